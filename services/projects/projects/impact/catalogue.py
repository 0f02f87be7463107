"""The network's impact measures: what each counts, in plain words, and the diagram it starts on."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID, uuid5


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"


@dataclass(frozen=True, slots=True)
class ImpactMeasure:
    key: str
    name: str
    description: str
    unit: Unit = Unit.COUNT


MEASURES: tuple[ImpactMeasure, ...] = (
    ImpactMeasure("heroes_joined_staff", "Staff who joined",
                  "Staff (clinical and non-clinical) who joined the network that month."),
    ImpactMeasure("heroes_joined_service_users", "Service users who joined",
                  "Patients and other people who use services who joined that month."),
    ImpactMeasure("heroes_joined_carers", "Carers who joined", "Carers who joined that month."),
    ImpactMeasure("heroes_joined_community", "Community partners who joined",
                  "Members of community and voluntary groups who joined that month."),
    ImpactMeasure("coproduction_reach", "Service users and carers on project teams",
                  "Service users and carers who were on a project team at any time that month "
                  "(counted once each). Projects count for the organisation that owns them."),
    ImpactMeasure("big_i_share", "Projects with service users as full team members",
                  "Of the projects under way that month, the share with a service user or carer "
                  "as a full team member at some time that month ('Big I' involvement).",
                  Unit.PERCENT),
    ImpactMeasure("levels_explorer", "Heroes reaching Explorer (level 1)",
                  "Heroes who completed level 1, an introduction to improvement, that month."),
    ImpactMeasure("levels_practitioner", "Heroes reaching Practitioner (level 2)",
                  "Heroes who reached level 2 (runs tests of change and measures) that month."),
    ImpactMeasure("levels_leader", "Heroes reaching Leader (level 3)",
                  "Heroes who reached level 3 (leads projects and coaches others) that month."),
    ImpactMeasure("training_completions", "Training modules completed",
                  "Training modules completed by heroes that month."),
    ImpactMeasure("pdsa_cycles_completed", "Tests of change completed",
                  "PDSA cycles (small tests of change) completed that month."),
    ImpactMeasure("projects_with_improvement", "Projects showing an improvement",
                  "Projects where a chart showed a signal of improvement that month: evidence "
                  "that a change made things better, not just activity."),
    ImpactMeasure("kudos_given", "Thank-yous given", "Kudos (thank-you messages) given that month."),
    ImpactMeasure("badges_awarded", "Badges earned", "Badges earned by heroes and teams that month."),
    ImpactMeasure("nominations_granted", "Award nominations granted",
                  "Nominations for network awards that coordinators granted that month."),
    ImpactMeasure("recognition_to_service_users_share", "Recognition that went to service users and carers",
                  "Of the thank-yous, badges and granted nominations that went to a person that "
                  "month, the share that went to a service user or carer.", Unit.PERCENT),
    ImpactMeasure("pulse_energised_empowered_share", "Heroes who feel energised and empowered",
                  "Of the heroes who answered that month's pulse, the share who agreed they feel "
                  "energised by the network and able to make changes. Shown only for months with "
                  "5 or more answers, so no one's answers can be picked out.", Unit.PERCENT),
    ImpactMeasure("active_pairings", "Peer support pairings",
                  "Buddy, coach and co-coach pairings that were running that month."),
    ImpactMeasure("crossing_pairings", "Pairings across organisations or member types",
                  "Pairings running that month between two organisations, or between staff and "
                  "service users, carers or community partners."),
)
BY_KEY = {measure.key: measure for measure in MEASURES}

# The network's driver diagram as MAC Heroes began it; the migration seeds it, administrators edit it.
DIAGRAM_SEED = UUID("5eed1e00-0000-4000-8000-000000000014")
AIM = ("Every hero, staff and service user alike, feels energised and empowered to lead "
       "improvement, and together we show measurable improvement in the care people receive.")
DRIVERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("A network that welcomes everyone", ("heroes_joined_staff", "heroes_joined_service_users",
                                          "heroes_joined_carers", "heroes_joined_community")),
    ("Service users and carers as equal partners in improvement", ("coproduction_reach", "big_i_share")),
    ("Improvement skills at every level", ("levels_explorer", "levels_practitioner", "levels_leader",
                                           "training_completions")),
    ("Testing changes and showing evidence of improvement", ("pdsa_cycles_completed",
                                                             "projects_with_improvement")),
    ("Recognising and celebrating improvement", ("kudos_given", "badges_awarded", "nominations_granted",
                                                 "recognition_to_service_users_share")),
    ("Heroes supporting each other", ("active_pairings", "crossing_pairings")),
    ("Heroes who feel energised and empowered", ("pulse_energised_empowered_share",)),
)


def seeded_driver_id(position: int) -> UUID:
    return uuid5(DIAGRAM_SEED, f"driver:{position}")
