from uuid import uuid4

from projects.domain.people import MemberSeen, member_shown
from servicekit.identity import Principal

ORG, OTHER = uuid4(), uuid4()
MEMBER = uuid4()


def viewer(organisation: object = ORG, *roles: str) -> Principal:
    return Principal(uuid4(), organisation, frozenset(roles or ("hero",)))  # type: ignore[arg-type]


class TestMemberShown:
    def test_network_members_are_shown_to_everyone(self) -> None:
        seen = MemberSeen(ORG, "network")
        assert member_shown(Principal(), MEMBER, seen)
        assert member_shown(viewer(OTHER), MEMBER, seen)

    def test_organisation_members_only_inside_their_organisation(self) -> None:
        seen = MemberSeen(ORG, "organisation")
        assert member_shown(viewer(ORG), MEMBER, seen)
        assert not member_shown(viewer(OTHER), MEMBER, seen)
        assert not member_shown(Principal(), MEMBER, seen)

    def test_hidden_members_only_to_themselves_their_coordinators_and_their_team(self) -> None:
        seen = MemberSeen(ORG, "hidden")
        teammate = viewer(OTHER)
        assert not member_shown(viewer(ORG), MEMBER, seen)
        assert member_shown(viewer(ORG, "coordinator"), MEMBER, seen)
        assert not member_shown(viewer(OTHER, "coordinator"), MEMBER, seen)
        assert member_shown(Principal(MEMBER, ORG), MEMBER, seen)
        assert member_shown(teammate, MEMBER, seen, team=frozenset({teammate.member_id, MEMBER}))  # type: ignore[arg-type]

    def test_a_member_not_yet_announced_is_shown_to_nobody_else(self) -> None:
        assert not member_shown(viewer(ORG, "coordinator"), MEMBER, None)
        assert member_shown(Principal(MEMBER, ORG), MEMBER, None)
