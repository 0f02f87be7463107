"""A small world of organisations, members and projects, and the events that happen in it.

Ids come from labels (uuid5 of a per-world namespace), so a world is the same on
every run and different worlds never collide in a shared database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid5

from recognition import inbound
from servicekit.events import Event

NAMESPACE = UUID("0b5e7a1c-9d3f-4e2a-8c6b-5f4d3e2a1b0c")
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class Step:
    label: str
    event: Event
    key: UUID
    event_id: UUID


@dataclass
class World:
    name: str
    steps: list[Step] = field(default_factory=list)
    clock: datetime = START
    labels: dict[UUID, str] = field(default_factory=dict)

    def id(self, label: str) -> UUID:
        return uuid5(uuid5(NAMESPACE, self.name), label)

    def label_of(self, value: UUID | None) -> str | None:
        return self.labels.get(value) if value is not None else None

    def now(self) -> datetime:
        self.clock += timedelta(minutes=1)
        return self.clock

    def add(self, label: str, event: Event, key: UUID) -> Step:
        step = Step(label, event, key, self.id(f"event:{label}"))
        self.labels[step.event_id] = label
        self.steps.append(step)
        return step

    def entity(self, label: str) -> UUID:
        self.labels[self.id(label)] = label
        return self.id(label)

    # --- membership ----------------------------------------------------------------------

    def joined(
        self,
        member: str,
        org: str,
        visibility: str = "network",
        member_type: str = "staff_clinical",
        network_role: str = "hero",
    ) -> Step:
        return self.add(
            f"joined:{member}",
            inbound.MemberJoined(
                member_id=self.entity(member),
                organisation_id=self.entity(org),
                member_type=member_type,
                network_role=network_role,
                visibility=visibility,
                joined_at=self.now(),
            ),
            self.entity(member),
        )

    def visibility(self, member: str, org: str, visibility: str, label: str | None = None) -> Step:
        return self.add(
            label or f"visibility:{member}:{visibility}",
            inbound.MemberVisibilityChanged(
                member_id=self.entity(member),
                organisation_id=self.entity(org),
                visibility=visibility,
                changed_at=self.now(),
            ),
            self.entity(member),
        )

    def level(self, member: str, org: str, level: int) -> Step:
        return self.add(
            f"level:{member}:{level}",
            inbound.LevelAchieved(
                member_id=self.entity(member),
                organisation_id=self.entity(org),
                level=level,
                achieved_at=self.now(),
            ),
            self.entity(member),
        )

    def erased(self, member: str, org: str) -> Step:
        return self.add(
            f"erased:{member}",
            inbound.MemberErased(
                member_id=self.entity(member),
                organisation_id=self.entity(org),
                erased_at=self.now(),
            ),
            self.entity(member),
        )

    # --- projects ------------------------------------------------------------------------

    def _project(self, project: str, org: str) -> dict[str, Any]:
        return {"project_id": self.entity(project), "organisation_id": self.entity(org)}

    def proposed(self, project: str, org: str, by: str, visibility: str = "network") -> Step:
        return self.add(
            f"proposed:{project}",
            inbound.ProjectProposed(
                **self._project(project, org),
                proposed_by=self.entity(by),
                visibility=visibility,
                stage="idea",
                proposed_at=self.now(),
            ),
            self.entity(project),
        )

    def project_visibility(self, project: str, org: str, visibility: str) -> Step:
        return self.add(
            f"project-visibility:{project}:{visibility}",
            inbound.ProjectVisibilityChanged(
                **self._project(project, org),
                visibility=visibility,
                changed_at=self.now(),
            ),
            self.entity(project),
        )

    def team(self, project: str, org: str, member: str, role: str = "member") -> Step:
        return self.add(
            f"team:{project}:{member}",
            inbound.TeamMemberAdded(
                **self._project(project, org),
                member_id=self.entity(member),
                role=role,
                added_at=self.now(),
            ),
            self.entity(project),
        )

    def cycle(self, project: str, org: str, cycle: str, by: str, decision: str = "adopt") -> Step:
        return self.add(
            f"cycle:{cycle}",
            inbound.PdsaCycleCompleted(
                **self._project(project, org),
                cycle_id=self.entity(cycle),
                change_idea_id=self.entity(f"idea:{cycle}"),
                decision=decision,
                completed_by=self.entity(by),
                completed_at=self.now(),
            ),
            self.entity(project),
        )

    def measurement(self, project: str, org: str, measure: str, point: str) -> Step:
        return self.add(
            f"measurement:{point}",
            inbound.MeasurementRecorded(
                **self._project(project, org),
                measure_id=self.entity(measure),
                point_id=self.entity(point),
                recorded_at=self.now(),
            ),
            self.entity(project),
        )

    def signal(
        self,
        project: str,
        org: str,
        label: str,
        *,
        kind: str = "outcome",
        rule_set: str = "mdc",
        nature: str = "improvement",
    ) -> Step:
        return self.add(
            f"signal:{label}",
            inbound.MeasureSignalDetected(
                **self._project(project, org),
                measure_id=self.entity(f"measure:{label}"),
                measure_kind=kind,
                rule_set=rule_set,
                rule="shift",
                nature=nature,
                first_point_on=date(2026, 1, 5),
                last_point_on=date(2026, 2, 16),
                detected_at=self.now(),
            ),
            self.entity(project),
        )

    def stage(self, project: str, org: str, from_stage: str, to_stage: str) -> Step:
        return self.add(
            f"stage:{project}:{to_stage}",
            inbound.StageAdvanced(
                **self._project(project, org),
                from_stage=from_stage,
                to_stage=to_stage,
                advanced_at=self.now(),
            ),
            self.entity(project),
        )


def fixed_sequence(world: World) -> World:
    """Two organisations, two projects and the events of a few weeks of improvement work."""
    w = world
    w.joined("a-nurse", "org-a")
    w.joined("a-patient", "org-a", visibility="organisation", member_type="service_user")
    w.joined("b-carer", "org-b", member_type="carer")
    w.joined("b-gone", "org-b")
    w.proposed("p1", "org-a", by="a-nurse")
    w.team("p1", "org-a", "a-nurse", "lead")
    w.team("p1", "org-a", "a-patient", "service_user_partner")
    w.team("p1", "org-a", "b-carer", "member")
    w.cycle("p1", "org-a", "c1", by="a-nurse")
    w.cycle("p1", "org-a", "c2", by="a-nurse", decision="adapt")
    w.cycle("p1", "org-a", "c3", by="b-carer")
    w.cycle("p1", "org-a", "c4", by="a-nurse", decision="abandon")
    w.proposed("p2", "org-b", by="b-carer", visibility="organisation")
    w.team("p2", "org-b", "b-carer", "lead")
    w.cycle("p2", "org-b", "c5", by="b-carer")
    w.cycle("p2", "org-b", "c6", by="b-carer")
    w.signal("p1", "org-a", "outcome-better")
    w.signal("p1", "org-a", "outcome-worse", nature="concern")
    w.signal("p1", "org-a", "process-better", kind="process")
    w.signal("p1", "org-a", "ihi-better", rule_set="ihi_run_chart")
    w.stage("p1", "org-a", "testing", "implementing")
    w.stage("p1", "org-a", "implementing", "spreading")
    w.level("a-nurse", "org-a", 1)
    w.level("a-nurse", "org-a", 2)
    w.level("b-carer", "org-b", 1)
    w.level("b-gone", "org-b", 1)
    w.erased("b-gone", "org-b")
    return w


# (rule, recipient kind, recipient label or None once anonymised, evidence labels)
EXPECTED_AWARDS = {
    ("co-production-partner", "member", "a-patient", ("team:p1:a-patient",)),
    ("co-produced-project", "project", "p1", ("team:p1:a-patient",)),
    ("first-test-of-change", "member", "a-nurse", ("cycle:c1",)),
    ("first-test-of-change", "member", "b-carer", ("cycle:c3",)),
    ("three-tests-of-change", "member", "a-nurse", ("cycle:c1", "cycle:c2", "cycle:c4")),
    ("three-tests-of-change", "member", "b-carer", ("cycle:c3", "cycle:c5", "cycle:c6")),
    ("improvement-shown-project", "project", "p1", ("signal:outcome-better",)),
    ("improvement-shown-team", "team", "a-nurse", ("signal:outcome-better",)),
    ("improvement-shown-team", "team", "a-patient", ("signal:outcome-better",)),
    ("improvement-shown-team", "team", "b-carer", ("signal:outcome-better",)),
    ("spreading-project", "project", "p1", ("stage:p1:spreading",)),
    ("spreading-team", "team", "a-nurse", ("stage:p1:spreading",)),
    ("spreading-team", "team", "a-patient", ("stage:p1:spreading",)),
    ("spreading-team", "team", "b-carer", ("stage:p1:spreading",)),
    ("level-1-explorer", "member", "a-nurse", ("level:a-nurse:1",)),
    ("level-1-explorer", "member", "b-carer", ("level:b-carer:1",)),
    ("level-1-explorer", "member", None, ("level:b-gone:1",)),
    ("level-2-practitioner", "member", "a-nurse", ("level:a-nurse:2",)),
}


def two_organisations(world: World) -> World:
    """Members of two organisations with different visibility, and projects of each visibility."""
    w = world
    w.joined("a-nurse", "org-a")
    w.joined("a-patient", "org-a", visibility="organisation", member_type="service_user")
    w.joined("a-coord", "org-a", network_role="coordinator")
    w.joined("a-hero", "org-a")
    w.joined("b-carer", "org-b", member_type="carer")
    w.joined("b-private", "org-b", visibility="organisation")
    w.joined("b-coord", "org-b", network_role="coordinator")
    w.proposed("p-a-net", "org-a", by="a-nurse")
    w.team("p-a-net", "org-a", "a-nurse", "lead")
    w.proposed("p-a-team", "org-a", by="a-nurse", visibility="team")
    w.team("p-a-team", "org-a", "a-nurse", "lead")
    w.proposed("p-b-org", "org-b", by="b-carer", visibility="organisation")
    w.team("p-b-org", "org-b", "b-carer", "lead")
    return w


MEMBER_ORGS = {
    "a-nurse": "org-a",
    "a-patient": "org-a",
    "a-coord": "org-a",
    "a-hero": "org-a",
    "b-carer": "org-b",
    "b-private": "org-b",
    "b-coord": "org-b",
}
