"""Kudos and nomination rules, plain-text checks, and who may see what."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from recognition.domain import errors
from recognition.domain.kudos import Kudos, check_daily_limit, day_window
from recognition.domain.nominations import Decision, Nomination, NominationStatus
from recognition.domain.projections import (
    MemberView,
    MemberVisibility,
    ProjectView,
    ProjectVisibility,
)
from recognition.domain.text import plain_text
from recognition.domain.visibility import (
    CelebrationKind,
    CelebrationView,
    FeedScope,
    celebration_visible,
    member_visible,
    project_visible,
)
from servicekit.identity import Principal

NOW = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
ORG_A, ORG_B = uuid4(), uuid4()


def viewer(org: UUID = ORG_A, *roles: str, member: UUID | None = None) -> Principal:
    return Principal(
        member_id=member or uuid4(), organisation_id=org, roles=frozenset(roles or ("hero",))
    )


def member(visibility: MemberVisibility, org: UUID = ORG_A, status: str = "active") -> MemberView:
    return MemberView(uuid4(), org, visibility=visibility, status=status)


class TestKudos:
    def test_a_thank_you_is_trimmed_plain_text(self) -> None:
        kudos = Kudos.give(
            giver_id=uuid4(),
            to_member_id=uuid4(),
            to_project_id=None,
            message="  Thanks! 👨‍👩‍👧 \n",
            is_public=True,
            now=NOW,
        )
        assert kudos.message == "Thanks! 👨‍👩‍👧"

    @pytest.mark.parametrize(
        ("message", "error"),
        [
            ("x" * 281, errors.KudosMessageTooLong),
            ("", errors.TextRequired),
            ("<a href=x>hi</a>", errors.NotPlainText),
            ("bell\x07", errors.NotPlainText),
            ("hidden\u200btext", errors.NotPlainText),
        ],
    )
    def test_messages_are_short_and_plain(self, message: str, error: type[Exception]) -> None:
        with pytest.raises(error):
            Kudos.give(
                giver_id=uuid4(),
                to_member_id=uuid4(),
                to_project_id=None,
                message=message,
                is_public=True,
                now=NOW,
            )

    def test_comparisons_like_3_lt_5_are_fine(self) -> None:
        assert plain_text("waits < 5 minutes", field="m", limit=50) == "waits < 5 minutes"

    def test_no_thanking_yourself_or_nobody(self) -> None:
        me = uuid4()
        with pytest.raises(errors.SelfKudos):
            Kudos.give(
                giver_id=me,
                to_member_id=me,
                to_project_id=None,
                message="me",
                is_public=True,
                now=NOW,
            )
        with pytest.raises(errors.OneRecipientNeeded):
            Kudos.give(
                giver_id=me,
                to_member_id=None,
                to_project_id=None,
                message="hi",
                is_public=True,
                now=NOW,
            )

    def test_the_daily_limit_counts_the_utc_day(self) -> None:
        start, end = day_window(NOW)
        assert (start, end) == (datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC))
        check_daily_limit(9, 10)
        with pytest.raises(errors.KudosDailyLimitReached):
            check_daily_limit(10, 10)


class TestNominations:
    def nomination(self) -> Nomination:
        return Nomination.submit(
            nominator_id=uuid4(),
            member_id=uuid4(),
            project_id=None,
            organisation_id=ORG_A,
            award_name="Star",
            reason="Because",
            now=NOW,
        )

    def test_coordinators_of_the_nominees_organisation_decide_once(self) -> None:
        coordinator = viewer(ORG_A, "coordinator")
        granted = self.nomination().decide(coordinator, Decision.GRANT, "  Yes  ", NOW)

        assert (granted.status, granted.decision_note, granted.decided_by) == (
            NominationStatus.GRANTED,
            "Yes",
            coordinator.member_id,
        )
        with pytest.raises(errors.NominationAlreadyDecided):
            granted.decide(coordinator, Decision.DECLINE, None, NOW)

    @pytest.mark.parametrize("decider", [viewer(ORG_B, "coordinator"), viewer(ORG_A, "hero")])
    def test_nobody_else_decides(self, decider: Principal) -> None:
        with pytest.raises(errors.NotCoordinatorOfNominee):
            self.nomination().decide(decider, Decision.GRANT, None, NOW)

    def test_the_reason_is_for_the_people_involved(self) -> None:
        nomination = self.nomination()
        assert nomination.visible_to(viewer(ORG_A, "coordinator"))
        assert nomination.visible_to(viewer(ORG_B, member=nomination.nominator_id))
        assert not nomination.visible_to(viewer(ORG_A))


class TestVisibility:
    def test_members_are_seen_by_their_announced_visibility(self) -> None:
        network, organisation = (
            member(MemberVisibility.NETWORK),
            member(MemberVisibility.ORGANISATION),
        )
        hidden = member(MemberVisibility.HIDDEN)

        assert member_visible(network, viewer(ORG_B))
        assert member_visible(organisation, viewer(ORG_A))
        assert not member_visible(organisation, viewer(ORG_B))
        assert not member_visible(hidden, viewer(ORG_A))
        assert member_visible(hidden, viewer(ORG_A, member=hidden.member_id))  # yourself
        assert not member_visible(member(MemberVisibility.NETWORK, status="left"), viewer(ORG_A))
        assert not member_visible(None, viewer(ORG_A))
        assert not member_visible(network, Principal())

    def test_team_projects_are_seen_by_the_team_and_the_owning_coordinators(self) -> None:
        on_team = uuid4()
        project = ProjectView(
            uuid4(), ORG_A, visibility=ProjectVisibility.TEAM, team={on_team: {"lead"}}
        )

        assert project_visible(project, viewer(ORG_A, member=on_team))
        assert project_visible(project, viewer(ORG_A, "coordinator"))
        assert not project_visible(project, viewer(ORG_A))
        assert not project_visible(project, viewer(ORG_B, "coordinator"))

    def test_the_feeds_follow_the_member_and_never_cross_organisation_only_lines(self) -> None:
        def about(subject: MemberView) -> CelebrationView:
            return CelebrationView(
                uuid4(),
                CelebrationKind.BADGE,
                "t",
                None,
                None,
                NOW,
                subject.member_id,
                None,
                member=subject,
            )

        shared, own_org = (
            about(member(MemberVisibility.NETWORK)),
            about(member(MemberVisibility.ORGANISATION)),
        )
        elsewhere = about(member(MemberVisibility.ORGANISATION, org=ORG_B))
        a = viewer(ORG_A)

        assert celebration_visible(shared, a, FeedScope.NETWORK)
        assert celebration_visible(shared, a, FeedScope.ORGANISATION)
        assert not celebration_visible(own_org, a, FeedScope.NETWORK)
        assert celebration_visible(own_org, a, FeedScope.ORGANISATION)
        assert not celebration_visible(elsewhere, a, FeedScope.ORGANISATION)
        assert not celebration_visible(elsewhere, a, FeedScope.NETWORK)
