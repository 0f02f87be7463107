"""Project rules: proposing, stages, the team and its lead, Big I, and who may see or change a project."""

from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from projects import domain
from projects.domain import Stage, TeamRole, Visibility
from servicekit.errors import InvalidInput, NotAllowed, Unauthenticated
from servicekit.identity import Principal

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=1)
RIVERSIDE, VOICE, COUNCIL = uuid4(), uuid4(), uuid4()
LEAD = uuid4()
FULL_AIM = domain.Aim.write(
    what="Fewer falls on Ward 7", how_much="a third fewer", by_when=date(2026, 12, 31)
)


def project(**overrides: object) -> domain.Project:
    details: dict[str, object] = {
        "organisation_id": RIVERSIDE,
        "proposed_by": LEAD,
        "title": "Fewer falls",
        "now": NOW,
    }
    details.update(overrides)
    return domain.Project.propose(**details)  # type: ignore[arg-type]


def walk(p: domain.Project, *stages: Stage) -> domain.Project:
    for stage in stages:
        p = p.move_to(stage, LATER)
    return p


class TestPropose:
    def test_a_new_project_is_an_idea_led_by_its_proposer(self) -> None:
        p = project(title="  Fewer   falls ", themes=["Falls", " falls", "Older People"])

        assert (p.title, p.stage, p.themes) == (
            "Fewer falls",
            Stage.IDEA,
            ("falls", "older people"),
        )
        assert [(s.member_id, s.role) for s in p.team] == [(LEAD, TeamRole.LEAD)]
        assert (p.has_lead, p.big_i) == (True, False)

    def test_an_empty_title_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match="Please give a title") as caught:
            project(title="   ")
        assert caught.value.details == {"field": "title"}

    @pytest.mark.parametrize(
        ("field", "value", "limit"),
        [("title", "x" * 121, 120), ("summary", "x" * 2001, 2000)],
    )
    def test_overlong_text_is_refused_with_its_limit(
        self, field: str, value: str, limit: int
    ) -> None:
        with pytest.raises(InvalidInput, match=f"at most {limit} characters"):
            project(**{field: value})

    def test_too_many_themes_are_refused(self) -> None:
        with pytest.raises(InvalidInput, match="at most 10 themes"):
            project(themes=[f"theme {n}" for n in range(11)])

    def test_the_owner_is_not_its_own_partner(self) -> None:
        assert project(
            partner_organisation_ids=[RIVERSIDE, VOICE, VOICE]
        ).partner_organisation_ids == (VOICE,)

    def test_the_aim_reads_as_one_sentence(self) -> None:
        assert FULL_AIM.statement == "Fewer falls on Ward 7 by a third fewer by 31 December 2026."
        assert FULL_AIM.is_complete
        assert not domain.Aim.write(what="Fewer falls").is_complete

    @pytest.mark.parametrize(("how_much", "reads"), [
        ("half", "Fewer falls by half."),
        ("by half", "Fewer falls by half."),
        ("From 12 a month to 6", "Fewer falls From 12 a month to 6."),
    ])
    def test_how_much_is_not_given_a_second_by(self, how_much: str, reads: str) -> None:
        assert domain.Aim.write(what="Fewer falls", how_much=how_much).statement == reads


class TestStages:
    def test_a_project_moves_forward_one_stage_at_a_time(self) -> None:
        p = walk(
            project(aim=FULL_AIM),
            Stage.SCOPING,
            Stage.TESTING,
            Stage.IMPLEMENTING,
            Stage.SPREADING,
            Stage.SUSTAINING,
            Stage.CLOSED,
        )
        assert (p.stage, p.is_finished) == (Stage.CLOSED, True)

    def test_jumping_from_idea_to_implementing_is_refused(self) -> None:
        with pytest.raises(
            domain.StageChangeNotAllowed, match="cannot go from idea to implementing"
        ):
            project(aim=FULL_AIM).move_to(Stage.IMPLEMENTING, LATER)

    def test_learning_can_send_a_project_back_a_stage(self) -> None:
        p = walk(project(aim=FULL_AIM), Stage.SCOPING, Stage.TESTING, Stage.SCOPING)
        assert p.stage is Stage.SCOPING

    def test_testing_needs_a_complete_aim(self) -> None:
        scoping = walk(project(aim=domain.Aim.write(what="Fewer falls")), Stage.SCOPING)
        with pytest.raises(domain.AimNeeded):
            scoping.move_to(Stage.TESTING, LATER)

    def test_any_unfinished_stage_before_sustaining_can_be_abandoned(self) -> None:
        assert walk(project(), Stage.ABANDONED).stage is Stage.ABANDONED

    @pytest.mark.parametrize("final", [Stage.CLOSED, Stage.ABANDONED])
    def test_closed_and_abandoned_are_final(self, final: Stage) -> None:
        assert domain.TRANSITIONS[final] == frozenset()

    def test_a_finished_project_takes_no_new_team_members(self) -> None:
        with pytest.raises(domain.ProjectFinished):
            walk(project(), Stage.ABANDONED).add_member(uuid4(), TeamRole.MEMBER, LATER)


class TestTeam:
    def test_big_i_comes_from_a_service_user_partner_on_the_team(self) -> None:
        partner = uuid4()
        with_partner, _ = project().add_member(partner, TeamRole.SERVICE_USER_PARTNER, LATER)
        after_leaving, _ = with_partner.remove_member(partner, LATER)

        assert with_partner.big_i
        assert not after_leaving.big_i
        assert [s.left_at for s in after_leaving.team] == [None, LATER]

    def test_the_only_lead_cannot_leave(self) -> None:
        with pytest.raises(domain.ProjectNeedsLead):
            project().remove_member(LEAD, LATER)

    def test_a_lead_can_leave_once_someone_else_leads(self) -> None:
        other = uuid4()
        p, _ = project().add_member(other, TeamRole.LEAD, LATER)
        p, seat = p.remove_member(LEAD, LATER)
        assert (p.has_lead, seat.member_id, seat.left_at) == (True, LEAD, LATER)

    def test_the_only_lead_cannot_step_down_to_member(self) -> None:
        with pytest.raises(domain.ProjectNeedsLead):
            project().change_role(LEAD, TeamRole.MEMBER, LATER)

    def test_a_role_change_keeps_the_seat(self) -> None:
        member = uuid4()
        p, seat = project().add_member(member, TeamRole.MEMBER, NOW)
        p, before, after = p.change_role(member, TeamRole.SERVICE_USER_PARTNER, LATER)
        assert (before.id, after.id, after.role, after.joined_at) == (
            seat.id,
            seat.id,
            TeamRole.SERVICE_USER_PARTNER,
            NOW,
        )
        assert p.big_i

    def test_nobody_joins_twice(self) -> None:
        with pytest.raises(domain.AlreadyOnTeam):
            project().add_member(LEAD, TeamRole.MEMBER, LATER)

    def test_removing_someone_not_on_the_team_is_not_found(self) -> None:
        with pytest.raises(domain.NotOnTeam):
            project().remove_member(uuid4(), LATER)


def hero(organisation: UUID | None = RIVERSIDE) -> Principal:
    return Principal(member_id=uuid4(), organisation_id=organisation, roles=frozenset({"hero"}))


def coordinator(organisation: UUID | None) -> Principal:
    return Principal(
        member_id=uuid4(), organisation_id=organisation, roles=frozenset({"coordinator"})
    )


ANONYMOUS = Principal()
TEAM_LEAD = Principal(member_id=LEAD, organisation_id=RIVERSIDE, roles=frozenset({"hero"}))


class TestAccess:
    @pytest.mark.parametrize(
        ("visibility", "caller", "sees"),
        [
            (Visibility.NETWORK, ANONYMOUS, True),
            (Visibility.NETWORK, hero(VOICE), True),
            (Visibility.ORGANISATION, ANONYMOUS, False),
            (Visibility.ORGANISATION, hero(RIVERSIDE), True),
            (Visibility.ORGANISATION, hero(VOICE), True),  # a partner organisation
            (Visibility.ORGANISATION, hero(COUNCIL), False),
            (Visibility.TEAM, hero(RIVERSIDE), False),
            (Visibility.TEAM, TEAM_LEAD, True),
            (Visibility.TEAM, coordinator(RIVERSIDE), True),
            (Visibility.TEAM, coordinator(VOICE), False),
        ],
    )
    def test_visibility_decides_who_sees_a_project(
        self, visibility: Visibility, caller: Principal, sees: bool
    ) -> None:
        p = project(visibility=visibility, partner_organisation_ids=[VOICE])
        assert p.visible_to(caller) is sees

    def test_team_members_and_own_coordinators_may_change_a_project(self) -> None:
        p = project(visibility=Visibility.NETWORK)
        p.require_change_by(TEAM_LEAD)
        p.require_change_by(coordinator(RIVERSIDE))
        with pytest.raises(NotAllowed):
            p.require_change_by(hero(RIVERSIDE))
        with pytest.raises(NotAllowed):
            p.require_change_by(coordinator(VOICE))
        with pytest.raises(Unauthenticated):
            p.require_change_by(ANONYMOUS)

    def test_a_project_you_may_not_see_is_not_found_rather_than_forbidden(self) -> None:
        with pytest.raises(domain.ProjectNotFound):
            project(visibility=Visibility.TEAM).require_change_by(hero(COUNCIL))
