"""GraphQL types for a project's work: the driver diagram, PDSA cycles, measures and their data."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import strawberry
from servicekit.pagination import Connection, build_connection, decode_cursor, page_size

from projects import domain, spc
from projects.schema.charts import Chart
from projects.schema.common import PAGE, After, First, ProjectsInfo
from projects.schema.enums import (
    CycleStatus,
    Decision,
    DriverLevel,
    ImprovementDirection,
    MeasureKind,
    RuleSetName,
)

if TYPE_CHECKING:
    from projects.schema.entities import Member

MemberRef = Annotated["Member", strawberry.lazy("projects.schema.entities")]


async def shown_member(info: ProjectsInfo, member_id: UUID | None, project_id: UUID | None) -> MemberRef | None:
    """The member, or null when the caller may not see them (consent and profile, as membership
    announced; team-mates on the project always see each other)."""
    from projects.domain.people import member_shown
    from projects.schema.entities import Member

    if member_id is None:
        return None
    principal = info.context.principal
    seen = await info.context.member_seen.load(member_id)
    if not member_shown(principal, member_id, seen):
        project = await info.context.projects.load(project_id) if project_id and principal.member_id else None
        team = frozenset(s.member_id for s in project.current_team if s.member_id) if project else frozenset()
        if not member_shown(principal, member_id, seen, team=team):
            return None
    return Member(id=strawberry.ID(str(member_id)))


@strawberry.type(
    description=(
        "A PDSA cycle: one small test of a change idea. Plan it (with a written prediction of what will "
        "happen), Do it, Study what happened compared with the prediction, then Act: adopt, adapt or abandon."
    )
)
class PdsaCycle:
    id: strawberry.ID = strawberry.field(description="Stable identifier of the cycle.")
    change_idea_id: strawberry.ID = strawberry.field(description="The change idea being tested.")
    number: int = strawberry.field(
        description="1 for the first test of this change idea, 2 for the next, ..."
    )
    previous_cycle_id: strawberry.ID | None = strawberry.field(
        description="The cycle this one adapts, when it was started from an 'adapt' decision."
    )
    status: CycleStatus = strawberry.field(description="Where the cycle is.")
    plan: str = strawberry.field(description="Plan: what will be tried, by whom, when and where.")
    prediction: str = strawberry.field(
        description="What the team expects to happen, written before the test."
    )
    started_at: datetime = strawberry.field(description="When the cycle was planned.")
    _cycle: strawberry.Private[domain.PdsaCycle]

    @strawberry.field(description="Who planned it (null if they were erased, or if you may not see them).")
    async def started_by(self, info: ProjectsInfo) -> MemberRef | None:
        return await shown_member(info, self._cycle.started_by, self._cycle.project_id)

    @strawberry.field(
        description="Who leads the test and is credited with it (null if they were erased, or if you may "
        "not see them)."
    )
    async def led_by(self, info: ProjectsInfo) -> MemberRef | None:
        return await shown_member(info, self._cycle.led_by, self._cycle.project_id)
    do_notes: str = strawberry.field(
        description="Do: notes on what was actually done and any problems."
    )
    what_happened: str = strawberry.field(
        description="Study: what happened, compared with the prediction."
    )
    studied_at: datetime | None = strawberry.field(description="When the cycle was studied.")
    decision: Decision | None = strawberry.field(description="Act: what the team decided.")
    act_notes: str = strawberry.field(description="Notes on the decision.")
    completed_at: datetime | None = strawberry.field(description="When the decision was made.")

    @classmethod
    def from_domain(cls, c: domain.PdsaCycle) -> PdsaCycle:
        return cls(
            id=strawberry.ID(str(c.id)),
            change_idea_id=strawberry.ID(str(c.change_idea_id)),
            number=c.number,
            previous_cycle_id=strawberry.ID(str(c.previous_cycle_id))
            if c.previous_cycle_id
            else None,
            status=c.status,
            plan=c.plan,
            prediction=c.prediction,
            started_at=c.started_at,
            _cycle=c,
            do_notes=c.do_notes,
            what_happened=c.what_happened,
            studied_at=c.studied_at,
            decision=c.decision,
            act_notes=c.act_notes,
            completed_at=c.completed_at,
        )


@strawberry.type(
    description="A specific change to test, hanging under a driver in the driver diagram."
)
class ChangeIdea:
    id: strawberry.ID = strawberry.field(description="Stable identifier of the change idea.")
    title: str = strawberry.field(description="The change, in a few words.")
    description: str = strawberry.field(description="More about the change.")
    _item: strawberry.Private[domain.DiagramItem]

    @strawberry.field(description="Its PDSA cycles (tests), oldest first.")
    async def pdsa_cycles(self, info: ProjectsInfo) -> list[PdsaCycle]:
        cycles = await info.context.cycles.load(self._item.project_id)
        return [PdsaCycle.from_domain(c) for c in cycles if c.change_idea_id == self._item.id]


@strawberry.type(
    description=(
        "A driver: something that must go right to reach the aim. Primary drivers are the big areas; "
        "secondary drivers are smaller parts of them."
    )
)
class Driver:
    id: strawberry.ID = strawberry.field(description="Stable identifier of the driver.")
    text: str = strawberry.field(description="The driver, in a few words.")
    level: DriverLevel = strawberry.field(description="PRIMARY_DRIVER or SECONDARY_DRIVER.")
    _item: strawberry.Private[domain.DiagramItem]
    _all: strawberry.Private[list[domain.DiagramItem]]

    @strawberry.field(
        description="Secondary drivers under this one (empty for a secondary driver)."
    )
    def secondary_drivers(self) -> list[Driver]:
        return [
            Driver.build(i, self._all)
            for i in self._all
            if i.parent_id == self._item.id and i.is_driver
        ]

    @strawberry.field(description="Change ideas under this driver.")
    def change_ideas(self) -> list[ChangeIdea]:
        return [
            change_idea(i) for i in self._all if i.parent_id == self._item.id and not i.is_driver
        ]

    @classmethod
    def build(cls, item: domain.DiagramItem, everything: list[domain.DiagramItem]) -> Driver:
        return cls(
            id=strawberry.ID(str(item.id)),
            text=item.text,
            level=item.kind,
            _item=item,
            _all=everything,
        )


def change_idea(item: domain.DiagramItem) -> ChangeIdea:
    return ChangeIdea(
        id=strawberry.ID(str(item.id)), title=item.text, description=item.description, _item=item
    )


@strawberry.type(
    description=(
        "A driver diagram: a tree that links the aim to the things that drive it (primary and secondary "
        "drivers) and to the change ideas the team will test."
    )
)
class DriverDiagram:
    aim: str | None = strawberry.field(
        description="The project's aim, as one sentence; null until written."
    )
    _items: strawberry.Private[list[domain.DiagramItem]]

    @strawberry.field(description="The primary drivers, in order, each with everything beneath it.")
    def primary_drivers(self) -> list[Driver]:
        return [
            Driver.build(i, self._items)
            for i in self._items
            if i.kind is domain.DiagramItemKind.PRIMARY_DRIVER
        ]


@strawberry.type(description="A correction of a data point, kept so nothing is silently changed.")
class MeasurementRevision:
    number: int = strawberry.field(description="1 for the first correction, 2 for the next, ...")
    previous_value: float = strawberry.field(description="The value before the correction.")
    value: float = strawberry.field(description="The value after the correction.")
    reason: str = strawberry.field(description="Why it was corrected.")
    revised_at: datetime = strawberry.field(description="When it was corrected.")


@strawberry.type(name="MeasurementPoint", description="One data point of a measure.")
class DataPoint:
    id: strawberry.ID = strawberry.field(description="Stable identifier of the data point.")
    on: date = strawberry.field(description="The date (or period start) the value belongs to.")
    value: float = strawberry.field(description="The value.")
    annotation: str | None = strawberry.field(description="A short note about this point, if any.")
    astronomical: bool = strawberry.field(
        description="True when a person marked it as obviously unlike all the others (run charts show it)."
    )
    recorded_at: datetime = strawberry.field(description="When it was first recorded.")
    corrections: int = strawberry.field(description="How many times it has been corrected.")

    @strawberry.field(description="Its corrections, oldest first.")
    async def history(self, info: ProjectsInfo) -> list[MeasurementRevision]:
        revisions = await info.context.revisions.load(UUID(str(self.id)))
        return [
            MeasurementRevision(
                number=r.number,
                previous_value=r.previous_value,
                value=r.value,
                reason=r.reason,
                revised_at=r.revised_at,
            )
            for r in revisions
        ]

    @classmethod
    def from_domain(cls, p: domain.DataPoint) -> DataPoint:
        return cls(
            id=strawberry.ID(str(p.id)),
            on=p.on,
            value=p.value,
            annotation=p.annotation,
            astronomical=p.astronomical,
            recorded_at=p.recorded_at,
            corrections=p.revision,
        )


@strawberry.type(
    description="Something the team counts or measures over time to see whether change is improvement."
)
class Measure:
    id: strawberry.ID = strawberry.field(description="Stable identifier of the measure.")
    name: str = strawberry.field(description="The measure's name.")
    definition: str = strawberry.field(
        description="Exactly what is counted and how, so everyone counts the same."
    )
    kind: MeasureKind = strawberry.field(description="Outcome, process or balancing measure.")
    unit: str = strawberry.field(description="The unit, for example 'falls per 1,000 bed days'.")
    improvement_direction: ImprovementDirection = strawberry.field(
        description="Which way is better."
    )
    target: float | None = strawberry.field(description="The target, if the team set one.")
    rule_set: RuleSetName | None = strawberry.field(
        description="The rule set chosen for this measure; null means the organisation's default."
    )
    rebase_on: list[date] = strawberry.field(
        description="Dates from which the chart's limits are recalculated."
    )
    defined_at: datetime = strawberry.field(description="When the measure was defined.")
    _measure: strawberry.Private[domain.Measure]
    _organisation_id: strawberry.Private[UUID]

    @classmethod
    def from_domain(cls, m: domain.Measure, organisation_id: UUID) -> Measure:
        return cls(
            id=strawberry.ID(str(m.id)),
            name=m.name,
            definition=m.definition,
            kind=m.kind,
            unit=m.unit,
            improvement_direction=m.direction,
            target=m.target,
            rule_set=m.rule_set,
            rebase_on=list(m.rebase_on),
            defined_at=m.defined_at,
            _measure=m,
            _organisation_id=organisation_id,
        )

    @strawberry.field(
        description="The rule set its chart uses by default: its own, else the organisation's."
    )
    async def effective_rule_set(self, info: ProjectsInfo) -> RuleSetName:
        return self._measure.rule_set or await info.context.rule_sets.load(self._organisation_id)

    @strawberry.field(description="Its data points, newest first.", directives=[PAGE])
    async def data_points(
        self, info: ProjectsInfo, first: First = None, after: After = None
    ) -> Connection[DataPoint]:
        limit = page_size(first)
        cursor = decode_cursor(after)
        points = list(reversed(await info.context.points.load(self._measure.id)))
        if cursor:
            points = [p for p in points if p.on.isoformat() < str(cursor[0])]
        return build_connection(
            points[: limit + 1],
            limit=limit,
            cursor_of=lambda p: (p.on.isoformat(),),
            to_node=DataPoint.from_domain,
        )

    @strawberry.field(
        description=(
            "The chart: points, centre line, limits, signals and assurance. By the given rule set, else "
            "the measure's own, else its organisation's default."
        )
    )
    async def chart(
        self,
        info: ProjectsInfo,
        rule_set: Annotated[
            RuleSetName | None,
            strawberry.argument(
                description="Read the chart by this rule set instead of the measure's usual one."
            ),
        ] = None,
    ) -> Chart:
        chosen = (
            rule_set
            or self._measure.rule_set
            or await info.context.rule_sets.load(self._organisation_id)
        )
        points = await info.context.points.load(self._measure.id)
        return Chart.from_spc(domain.chart_of(self._measure, points, spc.RuleSetName(chosen)))
