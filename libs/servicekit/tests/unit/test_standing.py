"""What a token may do given the member's standing as this service knows it."""

from uuid import uuid4

from servicekit.identity import Principal
from servicekit.standing import Standing, honour

ORGANISATION = uuid4()


def principal() -> Principal:
    return Principal(member_id=uuid4(), organisation_id=ORGANISATION, roles=frozenset({"hero", "coordinator"}))


class TestHonour:
    def test_an_active_coordinator_keeps_the_roles_membership_grants(self) -> None:
        caller, refused = honour(principal(), Standing(ORGANISATION, "active", "coordinator"), authoritative=False)
        assert refused is None
        assert caller.roles == {"hero", "coordinator"}

    def test_a_demoted_coordinator_is_only_a_hero(self) -> None:
        caller, refused = honour(principal(), Standing(ORGANISATION, "active", "hero"), authoritative=False)
        assert refused is None
        assert caller.roles == {"hero"}

    def test_still_invited_here_means_the_join_has_not_arrived_yet(self) -> None:
        caller, refused = honour(principal(), Standing(ORGANISATION, "invited", "hero"), authoritative=False)
        assert refused is not None
        assert refused.code == "membership_pending"
        assert caller.roles == frozenset()

    def test_invited_in_membership_itself_is_not_active(self) -> None:
        _, refused = honour(principal(), Standing(ORGANISATION, "invited", "hero"), authoritative=True)
        assert refused is not None
        assert refused.code == "member_not_active"

    def test_erased_is_refused_everywhere(self) -> None:
        _, refused = honour(principal(), Standing(ORGANISATION, "erased", "hero"), authoritative=False)
        assert refused is not None
        assert refused.code == "member_not_active"

    def test_unknown_here_is_pending_and_unknown_to_membership_is_not_a_member(self) -> None:
        assert honour(principal(), None, authoritative=False)[1].code == "membership_pending"  # type: ignore[union-attr]
        assert honour(principal(), None, authoritative=True)[1].code == "not_a_member"  # type: ignore[union-attr]
