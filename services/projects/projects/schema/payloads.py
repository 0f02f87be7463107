"""Mutation results."""

from __future__ import annotations

import strawberry

from projects.schema.charts import Signal
from projects.schema.entities import Organisation
from projects.schema.enums import RuleSetName
from projects.schema.projects import Project, TeamMember
from projects.schema.work import ChangeIdea, DataPoint, Driver, Measure, PdsaCycle


@strawberry.type(description="The result of proposing a project.")
class ProposeProjectPayload:
    project: Project = strawberry.field(description="The new project.")


@strawberry.type(description="The result of changing a project.")
class UpdateProjectPayload:
    project: Project | None = strawberry.field(
        description="The project; null if you can no longer see it."
    )


@strawberry.type(description="The result of a change to a project team.")
class TeamPayload:
    project: Project | None = strawberry.field(
        description="The project; null if you can no longer see it."
    )
    team_member: TeamMember | None = strawberry.field(
        description="The team member concerned, when still on the team."
    )


@strawberry.type(description="The result of moving a project to another stage.")
class AdvanceStagePayload:
    project: Project = strawberry.field(description="The project at its new stage.")


@strawberry.type(description="The result of adding a driver.")
class AddDriverPayload:
    project: Project = strawberry.field(description="The project.")
    driver: Driver = strawberry.field(description="The new driver.")


@strawberry.type(description="The result of adding a change idea.")
class AddChangeIdeaPayload:
    project: Project = strawberry.field(description="The project.")
    change_idea: ChangeIdea = strawberry.field(description="The new change idea.")


@strawberry.type(description="The result of changing the driver diagram.")
class DiagramPayload:
    project: Project = strawberry.field(description="The project, with its driver diagram.")


@strawberry.type(description="The result of a step in a PDSA cycle.")
class PdsaCyclePayload:
    cycle: PdsaCycle = strawberry.field(description="The cycle.")
    next_cycle: PdsaCycle | None = strawberry.field(
        description="The linked next cycle, when one was started."
    )


@strawberry.type(description="The result of defining or changing a measure.")
class MeasurePayload:
    measure: Measure = strawberry.field(description="The measure.")
    new_signals: list[Signal] = strawberry.field(
        description="Signals that appeared for the first time just now."
    )


@strawberry.type(description="The result of recording or correcting data.")
class MeasurementPayload:
    point: DataPoint = strawberry.field(description="The data point.")
    measure: Measure = strawberry.field(
        description="Its measure (ask for its chart to see the effect)."
    )
    new_signals: list[Signal] = strawberry.field(
        description="Signals that appeared for the first time just now."
    )


@strawberry.type(description="The result of choosing an organisation's default rule set.")
class SetDefaultRuleSetPayload:
    organisation: Organisation = strawberry.field(description="The organisation.")
    rule_set: RuleSetName = strawberry.field(description="Its default rule set now.")
