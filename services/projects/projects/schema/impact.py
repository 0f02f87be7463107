"""The network's impact in GraphQL: `networkImpact` and the mutations that edit its driver diagram."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from projects.impact import diagram as diagrams
from projects.impact.catalogue import Unit
from projects.impact.view import ImpactView, MeasureView, network_impact
from projects.schema.charts import Chart
from projects.schema.common import INPUT, ProjectsInfo, parse_id
from projects.schema.entities import Organisation
from projects.schema.enums import RuleSetName
from projects.service.common import utcnow


@strawberry.enum(description="How an impact measure is counted.")
class ImpactUnit(Enum):
    COUNT = Unit.COUNT
    PERCENT = Unit.PERCENT


@strawberry.type(description="One month of an impact measure.")
class ImpactValue:
    month: str = strawberry.field(description="The month, written YYYY-MM.")
    value: float | None = strawberry.field(
        description="The month's figure; null when it is not shown, and `note` says why."
    )
    note: str | None = strawberry.field(description="Why a figure is missing or not final, in plain words.")


@strawberry.type(description="A driver on the network's diagram: something that must go well to reach the aim.")
class NetworkDriver:
    id: strawberry.ID = strawberry.field(description="The driver's id.")
    text: str = strawberry.field(description="What the driver says.")
    measure_keys: list[str] = strawberry.field(description="The impact measures that show how it is going.")


@strawberry.type(description="The network's own driver diagram: its aim and the drivers that lead to it.")
class NetworkDiagram:
    aim: str = strawberry.field(description="What the network is trying to achieve.")
    drivers: list[NetworkDriver] = strawberry.field(description="The drivers, in order.")

    @classmethod
    def of(cls, diagram: diagrams.Diagram) -> NetworkDiagram:
        return cls(aim=diagram.aim, drivers=[
            NetworkDriver(id=strawberry.ID(str(d.id)), text=d.text, measure_keys=list(d.measure_keys))
            for d in diagram.drivers
        ])


@strawberry.type(description="One of the network's impact measures, month by month, with its chart.")
class ImpactMeasure:
    key: str = strawberry.field(description="The measure's fixed key, e.g. `big_i_share`.")
    name: str = strawberry.field(description="What it is, in plain words.")
    description: str = strawberry.field(description="How it is counted.")
    unit: ImpactUnit = strawberry.field(description="A count, or a percentage.")
    driver_id: strawberry.ID | None = strawberry.field(description="The driver it evidences, if any.")
    values: list[ImpactValue] = strawberry.field(description="One value per month, oldest first.")
    chart: Chart | None = strawberry.field(
        description="Its SPC chart over the complete months (points keyed by month), by the rule set of "
        "the figures; null with fewer than two months to chart."
    )
    latest: float | None = strawberry.field(description="The latest month's figure (this month so far).")

    @classmethod
    def of(cls, view: MeasureView) -> ImpactMeasure:
        return cls(
            key=view.measure.key, name=view.measure.name, description=view.measure.description,
            unit=ImpactUnit(view.measure.unit),
            driver_id=strawberry.ID(str(view.driver_id)) if view.driver_id else None,
            values=[ImpactValue(month=v.month, value=v.value, note=v.note) for v in view.values],
            chart=Chart.from_spc(view.chart) if view.chart else None,
            latest=view.values[-1].value if view.values else None,
        )


@strawberry.type(description="The network's impact: its driver diagram and its measures, month by month.")
class NetworkImpact:
    organisation_id: strawberry.ID | None = strawberry.field(
        description="The organisation the figures are for; null for the whole network."
    )
    organisation: Organisation | None = strawberry.field(description="That organisation; null for the network.")
    rule_set: RuleSetName = strawberry.field(description="The rule set the charts are read by.")
    months: list[str] = strawberry.field(description="The months, YYYY-MM, oldest first; the last is this month.")
    diagram: NetworkDiagram = strawberry.field(description="The network's aim and drivers.")
    measures: list[ImpactMeasure] = strawberry.field(description="Every impact measure, in a fixed order.")

    @classmethod
    def of(cls, view: ImpactView) -> NetworkImpact:
        organisation_id = strawberry.ID(str(view.organisation_id)) if view.organisation_id else None
        return cls(
            organisation_id=organisation_id,
            organisation=Organisation(id=organisation_id) if organisation_id else None,
            rule_set=view.rule_set, months=list(view.months), diagram=NetworkDiagram.of(view.diagram),
            measures=[ImpactMeasure.of(m) for m in view.measures],
        )


@strawberry.type
class ImpactQuery:
    @strawberry.field(description=(
        "How the network is doing against its own aim: every impact measure month by month, with SPC "
        "charts read by the same rules as project measures, laid out on the network's driver diagram. "
        "Counted from what members, projects and recognition record; no one is named. The whole network "
        "for anyone signed in; one organisation for its coordinators and network administrators."
    ))
    async def network_impact(
        self, info: ProjectsInfo,
        organisation_id: Annotated[strawberry.ID | None, strawberry.argument(
            description="An organisation, or leave out for the whole network.")] = None,
        months: Annotated[int, strawberry.argument(
            description="How many months, ending with this one: 3 to 36.")] = 12,
    ) -> NetworkImpact:
        organisation = parse_id(organisation_id, field="organisationId") if organisation_id else None
        async with info.context.reading() as session:
            view = await network_impact(session, info.context.principal, organisation, months=months,
                                        now=utcnow())
        return NetworkImpact.of(view)


@strawberry.input(description="The network's new aim.")
class SetNetworkAimInput:
    text: str = strawberry.field(description="What the network is trying to achieve (3 to 300 characters).")


@strawberry.input(description="A new driver at the end of the network's diagram.")
class AddNetworkDriverInput:
    text: str = strawberry.field(description="What must go well to reach the aim (3 to 300 characters).")


@strawberry.input(description="New words for a driver.")
class UpdateNetworkDriverInput:
    driver_id: strawberry.ID = strawberry.field(description="The driver.")
    text: str = strawberry.field(description="What it says now (3 to 300 characters).")


@strawberry.input(description="A driver to take off the diagram; its measures stay, on no driver.")
class RemoveNetworkDriverInput:
    driver_id: strawberry.ID = strawberry.field(description="The driver.")


@strawberry.input(description="Which driver an impact measure evidences.")
class AttachImpactMeasureInput:
    measure_key: str = strawberry.field(description="The measure's key, e.g. `big_i_share`.")
    driver_id: strawberry.ID | None = strawberry.field(
        default=None, description="The driver; leave out to put the measure on no driver."
    )


@strawberry.type(description="The network's driver diagram after the change.")
class NetworkDiagramPayload:
    diagram: NetworkDiagram = strawberry.field(description="The diagram as it is now.")


@strawberry.type
class ImpactMutations:
    @strawberry.mutation(description="Change the network's aim. Network administrators only.")
    async def set_network_aim(self, info: ProjectsInfo, input: Annotated[SetNetworkAimInput, INPUT]
                              ) -> NetworkDiagramPayload:
        async with info.context.transaction() as session:
            diagram = await diagrams.set_aim(session, info.context.principal, input.text, utcnow())
        return NetworkDiagramPayload(diagram=NetworkDiagram.of(diagram))

    @strawberry.mutation(description="Add a driver to the network's diagram. Network administrators only.")
    async def add_network_driver(self, info: ProjectsInfo, input: Annotated[AddNetworkDriverInput, INPUT]
                                 ) -> NetworkDiagramPayload:
        async with info.context.transaction() as session:
            diagram = await diagrams.add_driver(session, info.context.principal, input.text)
        return NetworkDiagramPayload(diagram=NetworkDiagram.of(diagram))

    @strawberry.mutation(description="Reword a driver on the network's diagram. Network administrators only.")
    async def update_network_driver(self, info: ProjectsInfo, input: Annotated[UpdateNetworkDriverInput, INPUT]
                                    ) -> NetworkDiagramPayload:
        driver_id = parse_id(input.driver_id, field="driverId")
        async with info.context.transaction() as session:
            diagram = await diagrams.update_driver(session, info.context.principal, driver_id, input.text)
        return NetworkDiagramPayload(diagram=NetworkDiagram.of(diagram))

    @strawberry.mutation(description="Take a driver off the network's diagram. Network administrators only.")
    async def remove_network_driver(self, info: ProjectsInfo, input: Annotated[RemoveNetworkDriverInput, INPUT]
                                    ) -> NetworkDiagramPayload:
        driver_id = parse_id(input.driver_id, field="driverId")
        async with info.context.transaction() as session:
            diagram = await diagrams.remove_driver(session, info.context.principal, driver_id)
        return NetworkDiagramPayload(diagram=NetworkDiagram.of(diagram))

    @strawberry.mutation(description="Say which driver an impact measure evidences. Network administrators only.")
    async def attach_impact_measure(self, info: ProjectsInfo, input: Annotated[AttachImpactMeasureInput, INPUT]
                                    ) -> NetworkDiagramPayload:
        driver_id = parse_id(input.driver_id, field="driverId") if input.driver_id else None
        async with info.context.transaction() as session:
            diagram = await diagrams.attach_measure(session, info.context.principal, input.measure_key, driver_id)
        return NetworkDiagramPayload(diagram=NetworkDiagram.of(diagram))
