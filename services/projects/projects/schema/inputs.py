"""Mutation inputs. Limits are quoted in the descriptions; too long or empty text is refused plainly."""

from __future__ import annotations

from datetime import date

import strawberry

from projects import domain
from projects.schema.enums import (
    CoProductionLevel,
    Decision,
    ImprovementDirection,
    MeasureKind,
    RuleSetName,
    Stage,
    TeamRole,
    Visibility,
)

ID = strawberry.ID


@strawberry.input(description="A SMART aim: what will improve, by how much, and by when.")
class AimInput:
    what: str = strawberry.field(
        description=f"What will improve, and for whom (at most {domain.AIM_WHAT_MAX} characters)."
    )
    how_much: str = strawberry.field(
        default="", description=f"By how much (at most {domain.AIM_HOW_MUCH_MAX} characters)."
    )
    by_when: date | None = strawberry.field(default=None, description="By when.")


@strawberry.input(description="A new improvement project. You become its lead.")
class ProposeProjectInput:
    title: str = strawberry.field(
        description=f"A short title (at most {domain.TITLE_MAX} characters)."
    )
    summary: str = strawberry.field(
        default="",
        description=f"What it is about, in plain language (at most {domain.SUMMARY_MAX} characters).",
    )
    aim: AimInput | None = strawberry.field(
        default=None, description="The aim, if you know it yet."
    )
    themes: list[str] = strawberry.field(
        default_factory=list,
        description=f"Up to {domain.THEMES_MAX} themes, each at most {domain.THEME_MAX} characters.",
    )
    visibility: Visibility = strawberry.field(
        default=domain.Visibility.ORGANISATION,
        description="Who can see it (ORGANISATION unless you choose).",
    )
    co_production_level: CoProductionLevel | None = strawberry.field(
        default=None, description="How much people who use services share in it."
    )
    partner_organisation_ids: list[ID] = strawberry.field(
        default_factory=list, description=f"Partner organisations (at most {domain.PARTNERS_MAX})."
    )


@strawberry.input(description="Changes to a project's details; leave out what stays the same.")
class UpdateProjectInput:
    project_id: ID = strawberry.field(description="The project.")
    title: str | None = strawberry.field(default=strawberry.UNSET, description="A new title.")
    summary: str | None = strawberry.field(default=strawberry.UNSET, description="A new summary.")
    aim: AimInput | None = strawberry.field(default=strawberry.UNSET, description="A new aim.")
    themes: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="The new list of themes."
    )
    visibility: Visibility | None = strawberry.field(
        default=strawberry.UNSET, description="Who can see it now."
    )
    co_production_level: CoProductionLevel | None = strawberry.field(
        default=strawberry.UNSET, description="A new co-production level."
    )
    partner_organisation_ids: list[ID] | None = strawberry.field(
        default=strawberry.UNSET, description="The new list of partner organisations."
    )


@strawberry.input(description="Add someone to a project team.")
class AddTeamMemberInput:
    project_id: ID = strawberry.field(description="The project.")
    member_id: ID = strawberry.field(description="The member joining.")
    role: TeamRole = strawberry.field(description="Their role.")


@strawberry.input(
    description="Take someone off a project team (the only lead cannot be taken off)."
)
class RemoveTeamMemberInput:
    project_id: ID = strawberry.field(description="The project.")
    member_id: ID = strawberry.field(description="The member leaving.")


@strawberry.input(description="Leave a project team yourself.")
class LeaveProjectInput:
    project_id: ID = strawberry.field(description="The project.")


@strawberry.input(description="Change a team member's role.")
class ChangeTeamRoleInput:
    project_id: ID = strawberry.field(description="The project.")
    member_id: ID = strawberry.field(description="The team member.")
    role: TeamRole = strawberry.field(description="Their new role.")


@strawberry.input(description="Move a project to another stage (only sensible moves are allowed).")
class AdvanceStageInput:
    project_id: ID = strawberry.field(description="The project.")
    to_stage: Stage = strawberry.field(
        description="The stage to move to; see Project.allowedNextStages."
    )


@strawberry.input(description="Add a driver to the driver diagram.")
class AddDriverInput:
    project_id: ID = strawberry.field(description="The project.")
    text: str = strawberry.field(
        description=f"The driver, in a few words (at most {domain.DRIVER_TEXT_MAX} characters)."
    )
    parent_driver_id: ID | None = strawberry.field(
        default=None,
        description="A primary driver, to add a secondary driver under it; leave out for a primary driver.",
    )


@strawberry.input(description="Add a change idea under a driver.")
class AddChangeIdeaInput:
    project_id: ID = strawberry.field(description="The project.")
    driver_id: ID = strawberry.field(description="The driver it belongs under.")
    title: str = strawberry.field(
        description=f"The change, in a few words (at most {domain.CHANGE_IDEA_TITLE_MAX} characters)."
    )
    description: str = strawberry.field(
        default="", description=f"More about it (at most {domain.DESCRIPTION_MAX} characters)."
    )


@strawberry.input(description="Reword a driver or change idea.")
class UpdateDiagramItemInput:
    project_id: ID = strawberry.field(description="The project.")
    item_id: ID = strawberry.field(description="The driver or change idea.")
    text: str | None = strawberry.field(
        default=None, description="New wording (for a change idea, its title)."
    )
    description: str | None = strawberry.field(
        default=None, description="New description (change ideas)."
    )


@strawberry.input(
    description="Remove a driver or change idea and everything under it (not if PDSA cycles hang there)."
)
class RemoveDiagramItemInput:
    project_id: ID = strawberry.field(description="The project.")
    item_id: ID = strawberry.field(description="The driver or change idea.")


@strawberry.input(
    description="Plan a PDSA cycle (a small test of a change idea) with a prediction."
)
class StartPdsaCycleInput:
    change_idea_id: ID = strawberry.field(description="The change idea to test.")
    plan: str = strawberry.field(
        description=f"What will be tried, by whom, when and where (at most {domain.PDSA_TEXT_MAX} characters)."
    )
    prediction: str = strawberry.field(
        description=f"What you expect to happen (at most {domain.PDSA_TEXT_MAX} characters)."
    )
    led_by: ID | None = strawberry.field(
        default=None,
        description="A team member who leads the test and is credited with it; you, if left out.",
    )


@strawberry.input(
    description="Study a PDSA cycle: write what happened compared with the prediction."
)
class StudyPdsaCycleInput:
    cycle_id: ID = strawberry.field(description="The cycle.")
    what_happened: str = strawberry.field(
        description=f"What happened, compared with the prediction (at most {domain.PDSA_TEXT_MAX} characters)."
    )
    do_notes: str = strawberry.field(
        default="", description="Notes on what was actually done, and any problems."
    )


@strawberry.input(description="The next cycle to start straight away after an 'adapt' decision.")
class NextCycleInput:
    plan: str = strawberry.field(description="What will be tried next.")
    prediction: str = strawberry.field(description="What you expect to happen.")
    led_by: ID | None = strawberry.field(
        default=None, description="Who leads it; you, if left out."
    )


@strawberry.input(description="Act on a studied PDSA cycle: adopt, adapt or abandon the change.")
class CompletePdsaCycleInput:
    cycle_id: ID = strawberry.field(description="The cycle (it must have been studied).")
    decision: Decision = strawberry.field(description="What the team decided.")
    notes: str = strawberry.field(default="", description="Notes on the decision.")
    next_cycle: NextCycleInput | None = strawberry.field(
        default=None, description="With ADAPT only: start the next cycle, linked to this one."
    )


@strawberry.input(description="Define a measure for a project.")
class DefineMeasureInput:
    project_id: ID = strawberry.field(description="The project.")
    name: str = strawberry.field(
        description=f"Its name (at most {domain.MEASURE_NAME_MAX} characters)."
    )
    definition: str = strawberry.field(default="", description="Exactly what is counted and how.")
    kind: MeasureKind = strawberry.field(description="Outcome, process or balancing.")
    unit: str = strawberry.field(description=f"The unit (at most {domain.UNIT_MAX} characters).")
    improvement_direction: ImprovementDirection = strawberry.field(
        description="Which way is better."
    )
    target: float | None = strawberry.field(
        default=None, description="A target (needs a direction other than NEITHER)."
    )
    rule_set: RuleSetName | None = strawberry.field(
        default=None,
        description="A rule set for its chart; the organisation's default if left out.",
    )
    rebase_on: list[date] = strawberry.field(
        default_factory=list, description="Dates from which to recalculate the limits."
    )


@strawberry.input(description="Change a measure; leave out what stays the same.")
class UpdateMeasureInput:
    measure_id: ID = strawberry.field(description="The measure.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="A new name.")
    definition: str | None = strawberry.field(
        default=strawberry.UNSET, description="A new definition."
    )
    unit: str | None = strawberry.field(default=strawberry.UNSET, description="A new unit.")
    target: float | None = strawberry.field(
        default=strawberry.UNSET, description="A new target; null removes it."
    )
    rule_set: RuleSetName | None = strawberry.field(
        default=strawberry.UNSET,
        description="A rule set; null goes back to the organisation's default.",
    )
    rebase_on: list[date] | None = strawberry.field(
        default=strawberry.UNSET, description="The new list of rebasing dates."
    )


@strawberry.input(description="Record a value for a date.")
class RecordMeasurementInput:
    measure_id: ID = strawberry.field(description="The measure.")
    on: date = strawberry.field(
        description="The date (or start of the period) the value belongs to; not in the future."
    )
    value: float = strawberry.field(description="The value: a number.")
    annotation: str | None = strawberry.field(
        default=None, description=f"A short note (at most {domain.ANNOTATION_MAX} characters)."
    )


@strawberry.input(description="Correct a recorded value; the old value is kept in its history.")
class CorrectMeasurementInput:
    point_id: ID = strawberry.field(description="The data point.")
    value: float = strawberry.field(description="The right value.")
    reason: str = strawberry.field(
        description=f"Why it is being corrected (at most {domain.REASON_MAX} characters)."
    )
    annotation: str | None = strawberry.field(
        default=None, description="A new note; the old one stays if left out."
    )


@strawberry.input(
    description="Mark or unmark a point as astronomical: obviously unlike all the others."
)
class FlagAstronomicalPointInput:
    point_id: ID = strawberry.field(description="The data point.")
    flagged: bool = strawberry.field(description="True to mark it, false to unmark it.")


@strawberry.input(description="Choose the rule set an organisation's measures use by default.")
class SetDefaultRuleSetInput:
    organisation_id: ID = strawberry.field(description="Your organisation.")
    rule_set: RuleSetName = strawberry.field(description="The rule set.")


@strawberry.input(description="Narrow the list of projects.")
class ProjectFilter:
    organisation_id: ID | None = strawberry.field(
        default=None, description="Only projects this organisation owns."
    )
    stages: list[Stage] | None = strawberry.field(
        default=None, description="Only projects at these stages."
    )
    theme: str | None = strawberry.field(default=None, description="Only projects with this theme.")
    big_i: bool | None = strawberry.field(
        default=None,
        description="Only projects with (true) or without (false) a service-user partner on the team.",
    )
