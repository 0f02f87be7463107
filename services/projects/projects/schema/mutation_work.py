"""Mutations on a project's work: driver diagram, PDSA cycles, measures and data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated
from uuid import UUID

import strawberry

from projects import domain, service, spc
from projects.schema.charts import Signal
from projects.schema.common import INPUT, ProjectsInfo, parse_id
from projects.schema.inputs import (
    AddChangeIdeaInput,
    AddDriverInput,
    CompletePdsaCycleInput,
    CorrectMeasurementInput,
    DefineMeasureInput,
    FlagAstronomicalPointInput,
    RecordMeasurementInput,
    RemoveDiagramItemInput,
    StartPdsaCycleInput,
    StudyPdsaCycleInput,
    UpdateDiagramItemInput,
    UpdateMeasureInput,
)
from projects.schema.mutation_projects import given
from projects.schema.payloads import (
    AddChangeIdeaPayload,
    AddDriverPayload,
    DiagramPayload,
    MeasurementPayload,
    MeasurePayload,
    PdsaCyclePayload,
)
from projects.schema.projects import Project
from projects.schema.work import DataPoint, Driver, Measure, PdsaCycle, change_idea


async def _measure(info: ProjectsInfo, measure: domain.Measure) -> Measure:
    project = await info.context.projects.load(measure.project_id)
    if project is None:  # changed by the caller moments ago, but no longer visible to them
        raise domain.ProjectNotFound("We could not find that project.")
    return Measure.from_domain(measure, project.organisation_id)


def _signals(found: Sequence[spc.Signal]) -> list[Signal]:
    return [Signal.from_spc(s) for s in found]


def _optional_id(value: strawberry.ID | None, field: str) -> UUID | None:
    return parse_id(value, field=field) if value else None


@strawberry.type
class WorkMutations:
    @strawberry.mutation(
        description="Add a primary driver, or a secondary driver under a primary one."
    )
    async def add_driver(
        self, info: ProjectsInfo, input: Annotated[AddDriverInput, INPUT]
    ) -> AddDriverPayload:
        async with info.context.transaction() as session:
            project, driver = await service.add_driver(
                session,
                info.context.principal,
                parse_id(input.project_id, field="projectId"),
                text=input.text,
                parent_driver_id=_optional_id(input.parent_driver_id, "parentDriverId"),
            )
        info.context.forget(project.id)
        items = await info.context.diagrams.load(project.id)
        return AddDriverPayload(
            project=Project.from_domain(project, info), driver=Driver.build(driver, items)
        )

    @strawberry.mutation(
        description="Add a change idea (a specific change to test) under a driver."
    )
    async def add_change_idea(
        self, info: ProjectsInfo, input: Annotated[AddChangeIdeaInput, INPUT]
    ) -> AddChangeIdeaPayload:
        async with info.context.transaction() as session:
            project, idea = await service.add_change_idea(
                session,
                info.context.principal,
                parse_id(input.project_id, field="projectId"),
                driver_id=parse_id(input.driver_id, field="driverId"),
                title=input.title,
                description=input.description,
            )
        info.context.forget(project.id)
        return AddChangeIdeaPayload(
            project=Project.from_domain(project, info), change_idea=change_idea(idea)
        )

    @strawberry.mutation(description="Reword a driver or change idea.")
    async def update_diagram_item(
        self, info: ProjectsInfo, input: Annotated[UpdateDiagramItemInput, INPUT]
    ) -> DiagramPayload:
        async with info.context.transaction() as session:
            project, _ = await service.update_diagram_item(
                session,
                info.context.principal,
                parse_id(input.project_id, field="projectId"),
                item_id=parse_id(input.item_id, field="itemId"),
                text=input.text,
                description=input.description,
            )
        info.context.forget(project.id)
        return DiagramPayload(project=Project.from_domain(project, info))

    @strawberry.mutation(description="Remove a driver or change idea and everything under it.")
    async def remove_diagram_item(
        self, info: ProjectsInfo, input: Annotated[RemoveDiagramItemInput, INPUT]
    ) -> DiagramPayload:
        async with info.context.transaction() as session:
            project = await service.remove_diagram_item(
                session,
                info.context.principal,
                parse_id(input.project_id, field="projectId"),
                item_id=parse_id(input.item_id, field="itemId"),
            )
        info.context.forget(project.id)
        return DiagramPayload(project=Project.from_domain(project, info))

    @strawberry.mutation(
        description="Plan a PDSA cycle: a small test of a change idea, with a written prediction."
    )
    async def start_pdsa_cycle(
        self, info: ProjectsInfo, input: Annotated[StartPdsaCycleInput, INPUT]
    ) -> PdsaCyclePayload:
        async with info.context.transaction() as session:
            cycle = await service.start_pdsa_cycle(
                session,
                info.context.principal,
                change_idea_id=parse_id(input.change_idea_id, field="changeIdeaId"),
                plan=input.plan,
                prediction=input.prediction,
                led_by=_optional_id(input.led_by, "ledBy"),
            )
        info.context.forget(cycle.project_id)
        return PdsaCyclePayload(cycle=PdsaCycle.from_domain(cycle), next_cycle=None)

    @strawberry.mutation(
        description="Study a PDSA cycle: write what happened, compared with the prediction."
    )
    async def study_pdsa_cycle(
        self, info: ProjectsInfo, input: Annotated[StudyPdsaCycleInput, INPUT]
    ) -> PdsaCyclePayload:
        async with info.context.transaction() as session:
            cycle = await service.study_pdsa_cycle(
                session,
                info.context.principal,
                cycle_id=parse_id(input.cycle_id, field="cycleId"),
                what_happened=input.what_happened,
                do_notes=input.do_notes,
            )
        info.context.forget(cycle.project_id)
        return PdsaCyclePayload(cycle=PdsaCycle.from_domain(cycle), next_cycle=None)

    @strawberry.mutation(
        description=(
            "Act on a studied PDSA cycle: adopt, adapt or abandon the change. With ADAPT you may start the "
            "next cycle straight away, linked to this one."
        )
    )
    async def complete_pdsa_cycle(
        self, info: ProjectsInfo, input: Annotated[CompletePdsaCycleInput, INPUT]
    ) -> PdsaCyclePayload:
        following = input.next_cycle
        async with info.context.transaction() as session:
            cycle, started = await service.complete_pdsa_cycle(
                session,
                info.context.principal,
                cycle_id=parse_id(input.cycle_id, field="cycleId"),
                decision=input.decision,
                notes=input.notes,
                next_plan=following.plan if following else None,
                next_prediction=following.prediction if following else None,
                next_led_by=_optional_id(following.led_by, "nextCycle.ledBy")
                if following
                else None,
            )
        info.context.forget(cycle.project_id)
        return PdsaCyclePayload(
            cycle=PdsaCycle.from_domain(cycle),
            next_cycle=PdsaCycle.from_domain(started) if started else None,
        )

    @strawberry.mutation(description="Define a measure for a project.")
    async def define_measure(
        self, info: ProjectsInfo, input: Annotated[DefineMeasureInput, INPUT]
    ) -> MeasurePayload:
        async with info.context.transaction() as session:
            measure = await service.define_measure(
                session,
                info.context.principal,
                parse_id(input.project_id, field="projectId"),
                name=input.name,
                definition=input.definition,
                kind=input.kind,
                unit=input.unit,
                direction=input.improvement_direction,
                target=input.target,
                rule_set=input.rule_set,
                rebase_on=input.rebase_on,
            )
        info.context.forget(measure.project_id, measure_id=measure.id)
        return MeasurePayload(measure=await _measure(info, measure), new_signals=[])

    @strawberry.mutation(
        description="Change a measure: its wording, target, rule set or rebasing dates."
    )
    async def update_measure(
        self, info: ProjectsInfo, input: Annotated[UpdateMeasureInput, INPUT]
    ) -> MeasurePayload:
        changes: dict[str, object] = {
            "name": given(input.name),
            "definition": given(input.definition),
            "unit": given(input.unit),
            "rebase_on": given(input.rebase_on),
        }
        if input.rule_set is not strawberry.UNSET:
            changes |= {"rule_set": input.rule_set, "use_default_rule_set": input.rule_set is None}
        if input.target is not strawberry.UNSET:
            changes["target"] = input.target
        async with info.context.transaction() as session:
            measure, fresh = await service.update_measure(
                session,
                info.context.principal,
                parse_id(input.measure_id, field="measureId"),
                **changes,
            )
        info.context.forget(measure.project_id, measure_id=measure.id)
        return MeasurePayload(measure=await _measure(info, measure), new_signals=_signals(fresh))

    @strawberry.mutation(
        description="Record a value for a date. New signals are announced once each."
    )
    async def record_measurement(
        self, info: ProjectsInfo, input: Annotated[RecordMeasurementInput, INPUT]
    ) -> MeasurementPayload:
        measure_id = parse_id(input.measure_id, field="measureId")
        async with info.context.transaction() as session:
            point, fresh = await service.record_measurement(
                session,
                info.context.principal,
                measure_id,
                on=input.on,
                value=input.value,
                annotation=input.annotation,
            )
        return await _measurement(info, point, fresh)

    @strawberry.mutation(
        description="Correct a recorded value, with a reason; the old value stays in its history."
    )
    async def correct_measurement(
        self, info: ProjectsInfo, input: Annotated[CorrectMeasurementInput, INPUT]
    ) -> MeasurementPayload:
        async with info.context.transaction() as session:
            point, fresh = await service.correct_measurement(
                session,
                info.context.principal,
                parse_id(input.point_id, field="pointId"),
                value=input.value,
                reason=input.reason,
                annotation=input.annotation,
            )
        return await _measurement(info, point, fresh)

    @strawberry.mutation(
        description=(
            "Mark a point as astronomical (obviously unlike all the others), or unmark it. Run charts show "
            "marked points as signals; the system never marks them itself."
        )
    )
    async def flag_astronomical_point(
        self, info: ProjectsInfo, input: FlagAstronomicalPointInput
    ) -> MeasurementPayload:
        async with info.context.transaction() as session:
            point, fresh = await service.flag_astronomical_point(
                session,
                info.context.principal,
                parse_id(input.point_id, field="pointId"),
                flagged=input.flagged,
            )
        return await _measurement(info, point, fresh)


async def _measurement(
    info: ProjectsInfo, point: domain.DataPoint, fresh: Sequence[spc.Signal]
) -> MeasurementPayload:
    async with info.context.reading() as session:
        from projects.repository import MeasureRepository

        measure = await MeasureRepository(session).get(point.measure_id)
    info.context.forget(measure.project_id, measure_id=measure.id)
    return MeasurementPayload(
        point=DataPoint.from_domain(point),
        measure=await _measure(info, measure),
        new_signals=_signals(fresh),
    )
