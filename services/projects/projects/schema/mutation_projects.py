"""Mutations on projects themselves: propose, update, team, stage, and an organisation's rule set."""

from __future__ import annotations

from contextlib import suppress
from typing import Annotated, TypeVar

import strawberry

from projects import domain, service
from projects.schema.common import INPUT, ProjectsInfo, parse_id
from projects.schema.entities import Organisation
from projects.schema.inputs import (
    AddTeamMemberInput,
    AdvanceStageInput,
    AimInput,
    ChangeTeamRoleInput,
    LeaveProjectInput,
    ProposeProjectInput,
    RemoveTeamMemberInput,
    SetDefaultRuleSetInput,
    UpdateProjectInput,
)
from projects.schema.payloads import (
    AdvanceStagePayload,
    ProposeProjectPayload,
    SetDefaultRuleSetPayload,
    TeamPayload,
    UpdateProjectPayload,
)
from projects.schema.projects import Project, TeamMember

T = TypeVar("T")


def aim_of(value: AimInput | None) -> domain.Aim | None:
    return (
        domain.Aim.write(what=value.what, how_much=value.how_much, by_when=value.by_when)
        if value
        else None
    )


def given(value: T | None) -> T | None:
    """None for a field left out (UNSET) or sent as null; the value otherwise."""
    return None if value is strawberry.UNSET else value


def seen(info: ProjectsInfo, project: domain.Project) -> Project | None:
    info.context.forget(project.id)
    return (
        Project.from_domain(project, info) if project.visible_to(info.context.principal) else None
    )


@strawberry.type
class ProjectMutations:
    @strawberry.mutation(
        description="Propose a new improvement project in your organisation; you become its lead."
    )
    async def propose_project(
        self, info: ProjectsInfo, input: Annotated[ProposeProjectInput, INPUT]
    ) -> ProposeProjectPayload:
        partners = [
            parse_id(p, field="partnerOrganisationIds") for p in input.partner_organisation_ids
        ]
        async with info.context.transaction() as session:
            project = await service.propose_project(
                session,
                info.context.principal,
                title=input.title,
                summary=input.summary,
                aim=aim_of(input.aim),
                themes=input.themes,
                visibility=input.visibility,
                co_production_level=input.co_production_level,
                partner_organisation_ids=partners,
            )
        return ProposeProjectPayload(project=Project.from_domain(project, info))

    @strawberry.mutation(
        description="Change a project's details or who can see it. Team members and coordinators."
    )
    async def update_project(
        self, info: ProjectsInfo, input: Annotated[UpdateProjectInput, INPUT]
    ) -> UpdateProjectPayload:
        partners = given(input.partner_organisation_ids)
        async with info.context.transaction() as session:
            project = await service.update_project(
                session,
                info.context.principal,
                parse_id(input.project_id, field="projectId"),
                visibility=given(input.visibility),
                title=given(input.title),
                summary=given(input.summary),
                aim=aim_of(given(input.aim)),
                themes=given(input.themes),
                co_production_level=given(input.co_production_level),
                partner_organisation_ids=None
                if partners is None
                else [parse_id(p, field="partnerOrganisationIds") for p in partners],
            )
        return UpdateProjectPayload(project=seen(info, project))

    @strawberry.mutation(description="Add someone to a project team with a role.")
    async def add_team_member(
        self, info: ProjectsInfo, input: Annotated[AddTeamMemberInput, INPUT]
    ) -> TeamPayload:
        async with info.context.transaction() as session:
            project, seat = await service.add_team_member(
                session,
                info.context.principal,
                parse_id(input.project_id, field="projectId"),
                member_id=parse_id(input.member_id, field="memberId"),
                role=input.role,
            )
        return TeamPayload(project=seen(info, project), team_member=TeamMember.from_domain(seat, project.id))

    @strawberry.mutation(
        description="Take someone off a project team. A project always keeps at least one lead."
    )
    async def remove_team_member(
        self, info: ProjectsInfo, input: Annotated[RemoveTeamMemberInput, INPUT]
    ) -> TeamPayload:
        async with info.context.transaction() as session:
            project = await service.remove_team_member(
                session,
                info.context.principal,
                parse_id(input.project_id, field="projectId"),
                member_id=parse_id(input.member_id, field="memberId"),
            )
        return TeamPayload(project=seen(info, project), team_member=None)

    @strawberry.mutation(
        description="Leave a project team yourself. The only lead must hand over first."
    )
    async def leave_project(
        self, info: ProjectsInfo, input: Annotated[LeaveProjectInput, INPUT]
    ) -> TeamPayload:
        async with info.context.transaction() as session:
            project = await service.remove_team_member(
                session, info.context.principal, parse_id(input.project_id, field="projectId")
            )
        return TeamPayload(project=seen(info, project), team_member=None)

    @strawberry.mutation(
        description="Change a team member's role (for example, hand over the lead)."
    )
    async def change_team_role(
        self, info: ProjectsInfo, input: Annotated[ChangeTeamRoleInput, INPUT]
    ) -> TeamPayload:
        async with info.context.transaction() as session:
            project, seat = await service.change_team_role(
                session,
                info.context.principal,
                parse_id(input.project_id, field="projectId"),
                member_id=parse_id(input.member_id, field="memberId"),
                role=input.role,
            )
        return TeamPayload(project=seen(info, project), team_member=TeamMember.from_domain(seat, project.id))

    @strawberry.mutation(
        description=(
            "Move a project to another stage. Only sensible moves are allowed (see Project.allowedNextStages), "
            "and testing needs a complete aim."
        )
    )
    async def advance_stage(
        self, info: ProjectsInfo, input: Annotated[AdvanceStageInput, INPUT]
    ) -> AdvanceStagePayload:
        async with info.context.transaction() as session:
            project = await service.advance_stage(
                session,
                info.context.principal,
                parse_id(input.project_id, field="projectId"),
                to_stage=input.to_stage,
            )
        info.context.forget(project.id)
        return AdvanceStagePayload(project=Project.from_domain(project, info))

    @strawberry.mutation(
        description="Choose the rule set your organisation's charts use by default. Coordinators only."
    )
    async def set_default_rule_set(
        self, info: ProjectsInfo, input: Annotated[SetDefaultRuleSetInput, INPUT]
    ) -> SetDefaultRuleSetPayload:
        organisation_id = parse_id(input.organisation_id, field="organisationId")
        async with info.context.transaction() as session:
            rule_set = await service.set_default_rule_set(
                session, info.context.principal, organisation_id, rule_set=input.rule_set
            )
        with suppress(KeyError):
            info.context.rule_sets.clear(organisation_id)
        return SetDefaultRuleSetPayload(
            organisation=Organisation(id=strawberry.ID(str(organisation_id))), rule_set=rule_set
        )
