"""The project aggregate: details, visibility, stage and team, with the rules that guard them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from uuid import UUID, uuid4

from servicekit.errors import InvalidInput, NotAllowed, Unauthenticated
from servicekit.identity import Principal

from projects.domain import common as c
from projects.domain.stages import FINISHED, NEEDS_AIM, TRANSITIONS, Stage


@dataclass(frozen=True, slots=True)
class Aim:
    """A SMART aim: what will improve, by how much, by when."""

    what: str
    how_much: str
    by_when: date | None

    @classmethod
    def write(cls, *, what: str, how_much: str = "", by_when: date | None = None) -> Aim:
        return cls(
            what=c.clean_text(what, field="aim.what", label="aim", max_length=c.AIM_WHAT_MAX),
            how_much=c.clean_text(
                how_much,
                field="aim.howMuch",
                label="'how much' of the aim",
                max_length=c.AIM_HOW_MUCH_MAX,
                required=False,
            ),
            by_when=by_when,
        )

    @property
    def is_complete(self) -> bool:
        return bool(self.what and self.how_much and self.by_when)

    @property
    def statement(self) -> str:
        parts = [self.what]
        if self.how_much:  # "half" reads "by half"; "from 12 a month to 6" and "by half" stand as written
            starts_own_phrase = self.how_much.split(" ", 1)[0].lower() in {"by", "from", "to"}
            parts.append(self.how_much if starts_own_phrase else f"by {self.how_much}")
        if self.by_when:
            parts.append(f"by {self.by_when.day} {self.by_when:%B %Y}")
        return " ".join(parts).rstrip(".") + "."


@dataclass(frozen=True, slots=True)
class TeamSeat:
    """One member's place on a team; kept after they leave, anonymised if they are erased."""

    id: UUID
    member_id: UUID | None
    role: c.TeamRole
    joined_at: datetime
    left_at: datetime | None = None
    anonymised: bool = False

    @property
    def is_current(self) -> bool:
        return self.left_at is None


def tidy_themes(themes: Sequence[str]) -> tuple[str, ...]:
    """Lower-case, trimmed, de-duplicated themes in the order given."""
    tidied: list[str] = []
    for theme in themes:
        cleaned = c.clean_text(theme, field="themes", label="theme", max_length=c.THEME_MAX).lower()
        if cleaned not in tidied:
            tidied.append(cleaned)
    if len(tidied) > c.THEMES_MAX:
        raise InvalidInput(f"Please choose at most {c.THEMES_MAX} themes.", field="themes")
    return tuple(tidied)


def tidy_partners(owner: UUID, partners: Sequence[UUID]) -> tuple[UUID, ...]:
    unique = tuple(dict.fromkeys(p for p in partners if p != owner))
    if len(unique) > c.PARTNERS_MAX:
        raise InvalidInput(
            f"A project can have at most {c.PARTNERS_MAX} partner organisations.",
            field="partnerOrganisationIds",
        )
    return unique


@dataclass(frozen=True, slots=True)
class Project:
    id: UUID
    organisation_id: UUID
    title: str
    summary: str
    aim: Aim | None
    themes: tuple[str, ...]
    partner_organisation_ids: tuple[UUID, ...]
    visibility: c.Visibility
    stage: Stage
    co_production_level: c.CoProductionLevel | None
    proposed_by: UUID | None
    proposed_at: datetime
    updated_at: datetime
    team: tuple[TeamSeat, ...] = ()

    @classmethod
    def propose(
        cls,
        *,
        organisation_id: UUID,
        proposed_by: UUID,
        title: str,
        summary: str = "",
        aim: Aim | None = None,
        themes: Sequence[str] = (),
        visibility: c.Visibility = c.Visibility.ORGANISATION,
        co_production_level: c.CoProductionLevel | None = None,
        partner_organisation_ids: Sequence[UUID] = (),
        now: datetime,
        id: UUID | None = None,
    ) -> Project:
        """A new project at the idea stage, led by whoever proposed it."""
        return cls(
            id=id or uuid4(),
            organisation_id=organisation_id,
            title=c.clean_text(title, field="title", label="title", max_length=c.TITLE_MAX),
            summary=c.clean_text(
                summary,
                field="summary",
                label="summary",
                max_length=c.SUMMARY_MAX,
                required=False,
                multiline=True,
            ),
            aim=aim,
            themes=tidy_themes(themes),
            partner_organisation_ids=tidy_partners(organisation_id, partner_organisation_ids),
            visibility=visibility,
            stage=Stage.IDEA,
            co_production_level=co_production_level,
            proposed_by=proposed_by,
            proposed_at=now,
            updated_at=now,
            team=(TeamSeat(uuid4(), proposed_by, c.TeamRole.LEAD, now),),
        )

    # --- what the project is now ------------------------------------------------------------

    @property
    def current_team(self) -> tuple[TeamSeat, ...]:
        return tuple(seat for seat in self.team if seat.is_current)

    @property
    def big_i(self) -> bool:
        """ "Big I" involvement: a service user or carer is a full member of the team right now."""
        return any(seat.role is c.TeamRole.SERVICE_USER_PARTNER for seat in self.current_team)

    @property
    def has_lead(self) -> bool:
        return any(seat.role is c.TeamRole.LEAD for seat in self.current_team)

    @property
    def is_finished(self) -> bool:
        return self.stage in FINISHED

    def seat_of(self, member_id: UUID | None) -> TeamSeat | None:
        if member_id is None:
            return None
        return next((seat for seat in self.current_team if seat.member_id == member_id), None)

    # --- access -----------------------------------------------------------------------------

    def visible_to(self, principal: Principal) -> bool:
        """Network: everyone. Organisation: the owning and partner organisations' members.
        Team: the current team. The owning organisation's coordinators always see it."""
        if self.visibility is c.Visibility.NETWORK:
            return True
        if principal.is_anonymous:
            return False
        if self.seat_of(principal.member_id) is not None or principal.is_coordinator_of(
            self.organisation_id
        ):
            return True
        return (
            self.visibility is c.Visibility.ORGANISATION
            and principal.organisation_id is not None
            and (
                principal.organisation_id == self.organisation_id
                or principal.organisation_id in self.partner_organisation_ids
            )
        )

    def changeable_by(self, principal: Principal) -> bool:
        return self.seat_of(principal.member_id) is not None or principal.is_coordinator_of(
            self.organisation_id
        )

    def require_change_by(self, principal: Principal) -> None:
        """Raise unless `principal` may change this project (team members, own coordinators)."""
        if principal.is_anonymous:
            raise Unauthenticated("Please sign in to change a project.")
        if not self.visible_to(principal):
            raise c.ProjectNotFound("We could not find that project.")
        if not self.changeable_by(principal):
            raise NotAllowed(
                "Only the project team and their organisation's coordinators can change this project."
            )

    def require_open(self) -> None:
        if self.is_finished:
            raise c.ProjectFinished(
                f"This project is {self.stage.value}, so its work can no longer change."
            )

    # --- changes ----------------------------------------------------------------------------

    def revise(
        self,
        *,
        now: datetime,
        title: str | None = None,
        summary: str | None = None,
        aim: Aim | None = None,
        themes: Sequence[str] | None = None,
        co_production_level: c.CoProductionLevel | None = None,
        partner_organisation_ids: Sequence[UUID] | None = None,
    ) -> Project:
        """The project with the given details changed; None means "leave as it is"."""
        changes: dict[str, object] = {"updated_at": now}
        if title is not None:
            changes["title"] = c.clean_text(
                title, field="title", label="title", max_length=c.TITLE_MAX
            )
        if summary is not None:
            changes["summary"] = c.clean_text(
                summary,
                field="summary",
                label="summary",
                max_length=c.SUMMARY_MAX,
                required=False,
                multiline=True,
            )
        if aim is not None:
            changes["aim"] = aim
        if themes is not None:
            changes["themes"] = tidy_themes(themes)
        if co_production_level is not None:
            changes["co_production_level"] = co_production_level
        if partner_organisation_ids is not None:
            changes["partner_organisation_ids"] = tidy_partners(
                self.organisation_id, partner_organisation_ids
            )
        return replace(self, **changes)  # type: ignore[arg-type]

    def with_visibility(self, visibility: c.Visibility, now: datetime) -> Project:
        return replace(self, visibility=visibility, updated_at=now)

    def move_to(self, stage: Stage, now: datetime) -> Project:
        if stage not in TRANSITIONS[self.stage]:
            allowed = (
                ", ".join(sorted(s.value for s in TRANSITIONS[self.stage]))
                or "none: it is finished"
            )
            raise c.StageChangeNotAllowed(
                f"A project cannot go from {self.stage.value} to {stage.value}. From {self.stage.value} it can "
                f"go to: {allowed}.",
                field="toStage",
            )
        if stage in NEEDS_AIM and not (self.aim and self.aim.is_complete):
            raise c.AimNeeded(
                "Before testing changes, write the aim in full: what will improve, by how much, and by when.",
                field="aim",
            )
        return replace(self, stage=stage, updated_at=now)

    def add_member(
        self, member_id: UUID, role: c.TeamRole, now: datetime
    ) -> tuple[Project, TeamSeat]:
        self.require_open()
        if self.seat_of(member_id) is not None:
            raise c.AlreadyOnTeam("That member is already on the team.", field="memberId")
        seat = TeamSeat(uuid4(), member_id, role, now)
        return replace(self, team=(*self.team, seat), updated_at=now), seat

    def remove_member(self, member_id: UUID, now: datetime) -> tuple[Project, TeamSeat]:
        """The member leaves the team; their seat stays in the history with the date they left."""
        seat = self._current_seat(member_id)
        if seat.role is c.TeamRole.LEAD:
            self._require_another_lead(seat)
        left = replace(seat, left_at=now)
        return self._with_seat(left, now), left

    def change_role(
        self, member_id: UUID, role: c.TeamRole, now: datetime
    ) -> tuple[Project, TeamSeat, TeamSeat]:
        """(project, seat before, seat after); the seat keeps its id and joining date."""
        self.require_open()
        seat = self._current_seat(member_id)
        if seat.role is c.TeamRole.LEAD and role is not c.TeamRole.LEAD:
            self._require_another_lead(seat)
        changed = replace(seat, role=role)
        return self._with_seat(changed, now), seat, changed

    def _current_seat(self, member_id: UUID) -> TeamSeat:
        seat = self.seat_of(member_id)
        if seat is None:
            raise c.NotOnTeam("That member is not on the team.", field="memberId")
        return seat

    def _require_another_lead(self, leaving: TeamSeat) -> None:
        if not any(s.role is c.TeamRole.LEAD and s.id != leaving.id for s in self.current_team):
            raise c.ProjectNeedsLead(
                "A project always needs a lead. Make someone else a lead first, then try again."
            )

    def _with_seat(self, changed: TeamSeat, now: datetime) -> Project:
        return replace(
            self,
            team=tuple(changed if s.id == changed.id else s for s in self.team),
            updated_at=now,
        )
