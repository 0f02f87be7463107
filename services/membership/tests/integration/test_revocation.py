"""A token counts only while membership says its member is active, and only for the roles they hold now."""

from datetime import UTC, datetime
from uuid import uuid4

from servicekit.testing import GraphQLClient, Tokens
from sqlalchemy.ext.asyncio import AsyncEngine

from ..conftest import Network, scalar

ERASE = "mutation($i: EraseMemberInput!) { eraseMember(input: $i) { memberId status } }"
LOG = "mutation($i: LogInvolvementInput!) { logInvolvement(input: $i) { entry { id } } }"
CONSENT = "mutation($i: ConsentInput!) { recordConsent(input: $i) { consent { contact } } }"
PROFILE = "mutation($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) { member { id } } }"
STATUS = "mutation($i: ChangeMemberStatusInput!) { changeMemberStatus(input: $i) { member { status } } }"
ROLE = "mutation($i: ChangeNetworkRoleInput!) { changeNetworkRole(input: $i) { member { networkRole } } }"
INVITE = "mutation($i: InviteMemberInput!) { inviteMember(input: $i) { member { id } } }"
MEMBERS = "query($org: ID!) { members(organisationId: $org) { edges { node { id } } } }"
ME = "{ me { id status } }"
PAIR = "mutation($i: PairPeersInput!) { pairPeers(input: $i) { pairing { id } } }"


def log_entry(activity: str) -> dict[str, object]:
    return {"i": {"date": datetime.now(UTC).date().isoformat(), "minutes": 30, "activity": activity}}


def invite(organisation_id: str) -> dict[str, object]:
    tag = uuid4().hex[:8]
    return {"i": {"organisationId": organisation_id, "displayName": f"New {tag}", "email": f"n-{tag}@test.invalid",
                  "memberType": "STAFF_CLINICAL"}}


class TestErasedMembers:
    async def test_an_erased_members_token_may_ask_who_it_is_and_nothing_else(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        org = await network.organisation()
        user = await network.person(org, member_type="SERVICE_USER", consents=("CONTACT",))
        await api.data(ERASE, {"i": {"memberId": user.id}}, token=user.token)

        logged = await api.error_code(LOG, log_entry("Panel about my ward"), token=user.token)
        consented = await api.error_code(CONSENT, {"i": {"purposes": ["STORY_PUBLISHED"]}}, token=user.token)
        profiled = await api.error_code(PROFILE, {"i": {"interests": ["gardens"]}}, token=user.token)
        listed = await api.error_code(MEMBERS, {"org": org}, token=user.token)
        me = await api.data(ME, token=user.token)

        assert (logged, consented, profiled, listed) == ("member_not_active",) * 4
        assert me == {"me": {"id": user.id, "status": "ERASED"}}
        assert await scalar(engine, "SELECT count(*) FROM involvement_entries WHERE member_id = :m", m=user.id) == 0
        assert await scalar(engine, "SELECT count(*) FROM consent_records WHERE member_id = :m", m=user.id) == 0

    async def test_erasure_ends_the_members_pairings(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        org = await network.organisation()
        coordinator = await network.person(org, role="COORDINATOR")
        coach = await network.person(org, by=coordinator.token)
        learner = await network.person(org, by=coordinator.token)
        paired = await api.data(PAIR, {"i": {"firstMemberId": coach.id, "secondMemberId": learner.id, "kind": "COACH"}},
                                token=coordinator.token)
        pairing = paired["pairPeers"]["pairing"]["id"]

        await api.data(ERASE, {"i": {"memberId": learner.id}}, token=coordinator.token)

        assert await scalar(engine, "SELECT ended_at IS NOT NULL FROM pairings WHERE id = :p", p=pairing) is True
        assert await scalar(engine, "SELECT count(*) FROM outbox_messages WHERE key = :p AND type = "
                            "'network.heroes.membership.pairing_ended.v1'", p=pairing) == 1


class TestStatusAndRoles:
    async def test_a_paused_member_is_refused_until_reactivated(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        org = await network.organisation()
        coordinator = await network.person(org, role="COORDINATOR")
        member = await network.person(org, by=coordinator.token)
        await api.data(STATUS, {"i": {"memberId": member.id, "status": "PAUSED"}}, token=coordinator.token)

        paused = await api.error_code(LOG, log_entry("While paused"), token=member.token)
        paused_read = await api.error_code(MEMBERS, {"org": org}, token=member.token)
        await api.data(STATUS, {"i": {"memberId": member.id, "status": "ACTIVE"}}, token=coordinator.token)
        back = await api.data(LOG, log_entry("Back again"), token=member.token)

        assert (paused, paused_read) == ("member_not_active", "member_not_active")
        assert back["logInvolvement"]["entry"]["id"]
        assert await scalar(engine, "SELECT count(*) FROM involvement_entries WHERE member_id = :m", m=member.id) == 1

    async def test_a_coordinator_who_is_made_a_hero_loses_the_role_at_once(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        org = await network.organisation()
        coordinator = await network.person(org, role="COORDINATOR")
        await api.data(INVITE, invite(org), token=coordinator.token)

        changed = await api.data(ROLE, {"i": {"memberId": coordinator.id, "networkRole": "HERO"}}, token=network.admin)
        refused = await api.error_code(INVITE, invite(org), token=coordinator.token)  # the token still says coordinator
        as_hero = await api.data(PROFILE, {"i": {"interests": ["audits"]}}, token=coordinator.token)

        assert changed == {"changeNetworkRole": {"member": {"networkRole": "HERO"}}}
        assert refused == "forbidden"
        assert as_hero["updateMyProfile"]["member"]["id"] == coordinator.id
        assert await scalar(engine, "SELECT count(*) FROM outbox_messages WHERE key = :m AND type = "
                            "'network.heroes.membership.member_role_changed.v1'", m=coordinator.id) == 1

    async def test_only_network_administrators_make_administrators(self, api: GraphQLClient, network: Network) -> None:
        org = await network.organisation()
        coordinator = await network.person(org, role="COORDINATOR")
        member = await network.person(org, by=coordinator.token)

        refused = await api.error_code(ROLE, {"i": {"memberId": member.id, "networkRole": "NETWORK_ADMIN"}},
                                       token=coordinator.token)
        made = await api.data(ROLE, {"i": {"memberId": member.id, "networkRole": "COORDINATOR"}},
                              token=coordinator.token)

        assert refused == "forbidden"
        assert made == {"changeNetworkRole": {"member": {"networkRole": "COORDINATOR"}}}


class TestStrangers:
    async def test_a_valid_sign_in_of_no_member_is_refused_but_may_ask_who_it_is(
        self, api: GraphQLClient, network: Network, tokens: Tokens
    ) -> None:
        org = await network.organisation()
        stranger = tokens.mint(uuid4(), roles=("hero", "network_admin"))

        refused = await api.error_code(MEMBERS, {"org": org}, token=stranger)
        me = await api.data(ME, token=stranger)

        assert refused == "not_a_member"
        assert me == {"me": None}
