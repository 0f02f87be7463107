from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from membership import domain
from membership.domain.members import (
    ALLOWED_TRANSITIONS,
    ERASED_NAME,
    AlreadyJoined,
    InvalidStatusChange,
    InviteExpired,
    hash_invite_code,
)
from servicekit.errors import InvalidInput

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
Status = domain.MemberStatus


def invited(**overrides: object) -> tuple[domain.Member, str]:
    values: dict[str, object] = {
        "organisation_id": uuid4(), "display_name": "Pat", "email": "Pat@Example.org",
        "member_type": domain.MemberType.SERVICE_USER, "network_role": domain.NetworkRole.HERO, "now": NOW,
    }
    values.update(overrides)
    return domain.Member.invite(**values)  # type: ignore[arg-type]


def active() -> domain.Member:
    member, _ = invited()
    return member.join(now=NOW, display_name=None, profile_visibility=domain.ProfileVisibility.ORGANISATION)


class TestInvite:
    def test_keeps_only_a_hash_of_the_code_and_expires_in_two_weeks(self) -> None:
        member, code = invited()

        assert member.status is Status.INVITED
        assert member.email == "pat@example.org"
        assert member.invite_code_hash == hash_invite_code(code) != code
        assert member.invite_expires_at == NOW + timedelta(days=14)

    @pytest.mark.parametrize("email", ["", "pat", "pat@", "@example.org", "pat@example", "p at@example.org"])
    def test_refuses_email_addresses_that_cannot_work(self, email: str) -> None:
        with pytest.raises(InvalidInput) as caught:
            invited(email=email)
        assert caught.value.details == {"field": "email"}

    def test_refuses_an_empty_or_overlong_name(self) -> None:
        with pytest.raises(InvalidInput):
            invited(display_name="   ")
        with pytest.raises(InvalidInput, match="at most 80"):
            invited(display_name="x" * 81)


class TestJoin:
    def test_activates_with_the_chosen_visibility_and_forgets_the_code(self) -> None:
        member, _ = invited()

        joined = member.join(now=NOW + timedelta(days=1), display_name="Patricia",
                             profile_visibility=domain.ProfileVisibility.NETWORK)

        assert (joined.status, joined.display_name) == (Status.ACTIVE, "Patricia")
        assert joined.profile_visibility is domain.ProfileVisibility.NETWORK
        assert joined.invite_code_hash is None
        assert joined.joined_at == NOW + timedelta(days=1)

    def test_an_expired_invite_cannot_be_used(self) -> None:
        member, _ = invited()

        with pytest.raises(InviteExpired):
            member.join(now=NOW + timedelta(days=15), display_name=None,
                        profile_visibility=domain.ProfileVisibility.ORGANISATION)

    def test_joining_twice_is_refused(self) -> None:
        with pytest.raises(AlreadyJoined):
            active().join(now=NOW, display_name=None, profile_visibility=domain.ProfileVisibility.ORGANISATION)


class TestStatusLifecycle:
    @pytest.mark.parametrize(
        ("start", "target"),
        [(s, t) for s in Status for t in Status if t not in ALLOWED_TRANSITIONS[s] and t is not Status.ERASED],
    )
    def test_invalid_transitions_are_refused(self, start: domain.MemberStatus, target: domain.MemberStatus) -> None:
        member, _ = invited()
        member = domain.Member(**{**{f: getattr(member, f) for f in member.__slots__}, "status": start})

        with pytest.raises(InvalidStatusChange):
            member.change_status(target, now=NOW)

    def test_pause_resume_leave_and_return(self) -> None:
        member = active()
        for status in (Status.PAUSED, Status.ACTIVE, Status.LEFT, Status.ACTIVE):
            member = member.change_status(status, now=NOW)
            assert member.status is status

    def test_erasure_keeps_only_anonymous_facts_and_is_final(self) -> None:
        member = active().update_profile(interests=["falls"], skills=["data"],
                                         access=domain.AccessPreferences(easy_read=True, interpreter_language="Polish"))

        erased = member.change_status(Status.ERASED, now=NOW)

        assert (erased.display_name, erased.email, erased.interests, erased.skills) == (ERASED_NAME, None, (), ())
        assert erased.access == domain.AccessPreferences()
        assert (erased.id, erased.organisation_id, erased.member_type) == (member.id, member.organisation_id,
                                                                          member.member_type)
        with pytest.raises(InvalidStatusChange):
            erased.change_status(Status.ACTIVE, now=NOW)
        with pytest.raises(InvalidStatusChange):
            erased.update_profile(display_name="Back again")


class TestProfile:
    def test_tags_are_trimmed_and_deduplicated_ignoring_case(self) -> None:
        member = active().update_profile(interests=[" Falls ", "falls", "Discharge  planning", ""])

        assert member.interests == ("Falls", "Discharge planning")

    def test_too_many_tags_are_refused(self) -> None:
        with pytest.raises(InvalidInput, match="at most 20"):
            active().update_profile(skills=[f"skill {n}" for n in range(21)])
