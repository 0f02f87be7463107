"""GraphQL types for projects and their teams."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import strawberry

from projects import domain
from projects.schema.common import ProjectsInfo, parse_id
from projects.schema.enums import CoProductionLevel, Stage, TeamRole, Visibility
from projects.schema.work import DriverDiagram, Measure, MemberRef, PdsaCycle, shown_member

if TYPE_CHECKING:
    from projects.schema.entities import Organisation

OrganisationRef = Annotated["Organisation", strawberry.lazy("projects.schema.entities")]


def organisation_ref(organisation_id: object) -> OrganisationRef:
    from projects.schema.entities import Organisation

    return Organisation(id=strawberry.ID(str(organisation_id)))


@strawberry.type(description="A project stage with its meaning in plain English.")
class StageDescription:
    stage: Stage = strawberry.field(description="The stage.")
    meaning: str = strawberry.field(description="What this stage means, in plain English.")


@strawberry.type(description="A SMART aim: what will improve, by how much, and by when.")
class Aim:
    what: str = strawberry.field(description="What will improve, and for whom.")
    how_much: str = strawberry.field(description="By how much (empty until the team decides).")
    by_when: date | None = strawberry.field(description="By when (null until the team decides).")
    statement: str = strawberry.field(description="The whole aim as one sentence.")
    is_complete: bool = strawberry.field(
        description="True when what, how much and by when are all written."
    )


@strawberry.type(description="One person's place on a project team, now or in the past.")
class TeamMember:
    id: strawberry.ID = strawberry.field(description="Stable identifier of this place on the team.")
    _member_id: strawberry.Private[UUID | None]
    _project_id: strawberry.Private[UUID]

    @strawberry.field(
        description="The member; null when they asked for their details to be erased, or when you may not "
        "see them (their consent or profile choice does not reach you)."
    )
    async def member(self, info: ProjectsInfo) -> MemberRef | None:
        return await shown_member(info, self._member_id, self._project_id)

    role: TeamRole = strawberry.field(description="Their role on the team.")
    joined_at: datetime = strawberry.field(description="When they joined the team.")
    left_at: datetime | None = strawberry.field(
        description="When they left; null while they are on the team."
    )
    is_erased_member: bool = strawberry.field(
        description="True for a placeholder kept after a member asked for their details to be erased."
    )

    @classmethod
    def from_domain(cls, seat: domain.TeamSeat, project_id: UUID) -> TeamMember:
        return cls(
            id=strawberry.ID(str(seat.id)),
            _member_id=seat.member_id,
            _project_id=project_id,
            role=seat.role,
            joined_at=seat.joined_at,
            left_at=seat.left_at,
            is_erased_member=seat.anonymised,
        )


@strawberry.federation.type(
    keys=["id"],
    description=(
        "An improvement project: a team working to make care better, testing changes in small steps and "
        "measuring whether they lead to improvement."
    ),
)
class Project:
    id: strawberry.ID = strawberry.field(description="Stable identifier of the project.")
    title: str = strawberry.field(description=f"Its title (at most {domain.TITLE_MAX} characters).")
    summary: str = strawberry.field(description="What the project is about, in plain language.")
    aim: Aim | None = strawberry.field(description="Its SMART aim; null until written.")
    themes: list[str] = strawberry.field(
        description="Themes, such as 'falls' or 'discharge', in lower case."
    )
    visibility: Visibility = strawberry.field(description="Who can see it.")
    stage: Stage = strawberry.field(description="Where it is in its life.")
    stage_meaning: str = strawberry.field(description="What its stage means, in plain English.")
    allowed_next_stages: list[Stage] = strawberry.field(
        description="The stages it can move to from here."
    )
    co_production_level: CoProductionLevel | None = strawberry.field(
        description="How much people who use services share in it; null until chosen."
    )
    big_i: bool = strawberry.field(
        description=(
            "'Big I' involvement: true when a patient, carer or community member is a full team member now "
            "(worked out from the team, never typed in)."
        )
    )
    has_lead: bool = strawberry.field(description="True while someone on the team leads it.")
    organisation: OrganisationRef = strawberry.field(description="The organisation that owns it.")
    partner_organisations: list[OrganisationRef] = strawberry.field(
        description="Other organisations working on it; with ORGANISATION visibility their members see it too."
    )
    @strawberry.field(description="Who proposed it (null if they were erased, or if you may not see them).")
    async def proposed_by(self, info: ProjectsInfo) -> MemberRef | None:
        return await shown_member(info, self._project.proposed_by, self._project.id)

    proposed_at: datetime = strawberry.field(description="When it was proposed.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    can_change: bool = strawberry.field(
        description="True when you may change it (team members, own coordinators)."
    )
    _project: strawberry.Private[domain.Project]

    @classmethod
    def from_domain(cls, p: domain.Project, info: ProjectsInfo) -> Project:
        return cls(
            id=strawberry.ID(str(p.id)),
            title=p.title,
            summary=p.summary,
            aim=Aim(
                what=p.aim.what,
                how_much=p.aim.how_much,
                by_when=p.aim.by_when,
                statement=p.aim.statement,
                is_complete=p.aim.is_complete,
            )
            if p.aim
            else None,
            themes=list(p.themes),
            visibility=p.visibility,
            stage=p.stage,
            stage_meaning=domain.STAGE_MEANINGS[p.stage],
            allowed_next_stages=[s for s in domain.Stage if s in domain.TRANSITIONS[p.stage]],
            co_production_level=p.co_production_level,
            big_i=p.big_i,
            has_lead=p.has_lead,
            organisation=organisation_ref(p.organisation_id),
            partner_organisations=[organisation_ref(o) for o in p.partner_organisation_ids],
            proposed_at=p.proposed_at,
            updated_at=p.updated_at,
            can_change=p.changeable_by(info.context.principal),
            _project=p,
        )

    @classmethod
    async def resolve_reference(cls, info: ProjectsInfo, id: strawberry.ID) -> Project | None:
        """Null for a project the caller may not see, as if it did not exist."""
        project = await info.context.projects.load(parse_id(id))
        return cls.from_domain(project, info) if project else None

    @strawberry.field(
        description="The team. Former members (and erased-member placeholders) only when asked."
    )
    def team(
        self,
        include_former: Annotated[
            bool,
            strawberry.argument(
                description="Also list people who have left, and placeholders for erased members."
            ),
        ] = False,
    ) -> list[TeamMember]:
        seats = self._project.team if include_former else self._project.current_team
        return [TeamMember.from_domain(seat, self._project.id) for seat in seats]

    @strawberry.field(description="The driver diagram, whole: aim, drivers and change ideas.")
    async def driver_diagram(self, info: ProjectsInfo) -> DriverDiagram:
        items = await info.context.diagrams.load(self._project.id)
        aim = self._project.aim.statement if self._project.aim else None
        return DriverDiagram(aim=aim, _items=items)

    @strawberry.field(description="Every PDSA cycle of the project, oldest first.")
    async def pdsa_cycles(self, info: ProjectsInfo) -> list[PdsaCycle]:
        cycles = await info.context.cycles.load(self._project.id)
        return [PdsaCycle.from_domain(c) for c in sorted(cycles, key=lambda c: c.started_at)]

    @strawberry.field(description="The project's measures, in the order they were defined.")
    async def measures(self, info: ProjectsInfo) -> list[Measure]:
        measures = await info.context.measures.load(self._project.id)
        return [Measure.from_domain(m, self._project.organisation_id) for m in measures]


@strawberry.type(
    description="A project that may be similar to what you described, with how close a match it is."
)
class SimilarProject:
    project: Project = strawberry.field(description="The project.")
    score: float = strawberry.field(
        description="How close a match: higher is closer. Only the order matters."
    )
