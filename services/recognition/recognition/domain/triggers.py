"""The events a recognition rule may fire on, with the fields its conditions may test.

This catalogue is what keeps rules-as-data safe: a rule (from the rules file or
added by a coordinator) names a trigger from here, tests only fields listed here,
with values listed here, and names a member field that the event really has.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

ANY_VALUE: tuple[str, ...] = ()  # a field whose values are not a fixed list

STAGES = (
    "idea",
    "scoping",
    "testing",
    "implementing",
    "spreading",
    "sustaining",
    "closed",
    "abandoned",
)
TEAM_ROLES = ("lead", "member", "service_user_partner", "sponsor", "coach")
LEVELS = ("1", "2", "3")
# As the projects service sends them (its SPC engine's rule set names).
RULE_SETS = ("mdc", "ihi_run_chart", "shewhart")


@dataclass(frozen=True, slots=True)
class Trigger:
    """One event type rules can fire on."""

    name: str
    meaning: str
    member_fields: tuple[str, ...] = ()
    about_project: bool = False
    conditions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def allowed_values(self, field_name: str) -> tuple[str, ...] | None:
        """The values a condition on `field_name` may use; () for any, None if not testable."""
        return self.conditions.get(field_name)


def _trigger(
    name: str,
    meaning: str,
    *,
    members: tuple[str, ...] = (),
    project: bool = False,
    **conditions: tuple[str, ...],
) -> Trigger:
    return Trigger(name, meaning, members, project, MappingProxyType(dict(conditions)))


_ALL = (
    _trigger(
        "membership.member_joined",
        "A person joined the network as a hero.",
        members=("member_id",),
        member_type=ANY_VALUE,
        network_role=ANY_VALUE,
        visibility=ANY_VALUE,
    ),
    _trigger(
        "membership.level_achieved",
        "A hero reached a MAC Heroes learning level (1 Explorer, 2 Practitioner, 3 Leader).",
        members=("member_id",),
        level=LEVELS,
    ),
    _trigger(
        "membership.training_completed",
        "A hero finished a training module.",
        members=("member_id",),
        level=LEVELS,
    ),
    _trigger(
        "membership.involvement_logged",
        "Time a hero gave to co-production was recorded.",
        members=("member_id",),
    ),
    _trigger(
        "membership.peers_paired",
        "Two heroes were paired for peer support.",
        members=("first_member_id", "second_member_id"),
        kind=ANY_VALUE,
        crosses_organisations=("true", "false"),
    ),
    _trigger(
        "projects.project_proposed",
        "A new improvement project was proposed.",
        members=("proposed_by",),
        project=True,
        visibility=("team", "organisation", "network"),
        stage=STAGES,
    ),
    _trigger(
        "projects.team_member_added",
        "Someone joined a project team.",
        members=("member_id",),
        project=True,
        role=TEAM_ROLES,
    ),
    _trigger(
        "projects.stage_advanced",
        "A project moved on to a new stage.",
        project=True,
        from_stage=STAGES,
        to_stage=STAGES,
    ),
    _trigger(
        "projects.pdsa_cycle_started",
        "A test of change (a Plan-Do-Study-Act or PDSA cycle) was started.",
        members=("started_by",),
        project=True,
    ),
    _trigger(
        "projects.pdsa_cycle_completed",
        "A test of change (a Plan-Do-Study-Act or PDSA cycle) was finished and a decision made.",
        members=("completed_by",),
        project=True,
        decision=("adopt", "adapt", "abandon"),
    ),
    _trigger(
        "projects.measure_defined",
        "A project chose something to measure.",
        project=True,
        kind=("outcome", "process", "balancing"),
        improvement_direction=("up", "down", "neither"),
    ),
    _trigger(
        "projects.measurement_recorded",
        "A new data point was recorded for a measure.",
        project=True,
    ),
    _trigger(
        "projects.measure_signal_detected",
        "The chart of a measure showed a real change (a signal), not just everyday ups and downs.",
        project=True,
        measure_kind=("outcome", "process", "balancing"),
        rule_set=RULE_SETS,
        rule=ANY_VALUE,
        nature=("improvement", "concern", "neither"),
    ),
)

TRIGGERS: Mapping[str, Trigger] = MappingProxyType({trigger.name: trigger for trigger in _ALL})
