"""DESIGN.md section 6 with two organisations: who sees which member, and which private field."""

from dataclasses import dataclass

import pytest
from servicekit.testing import GraphQLClient

from ..conftest import Network, Person

PRIVATE = ("email accessPreferences { easyRead } consent { contact } involvement { level } training { moduleId } "
           "pairings { id }")
MEMBER = f"query($id: ID!) {{ member(id: $id) {{ id displayName {PRIVATE} }} }}"
LIST = "query($org: ID!) { members(organisationId: $org, first: 100) { edges { node { id } } } }"
ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { id displayName } } }"


@dataclass
class World:
    a_coordinator: Person
    a_hero: Person
    a_staff_org_only: Person
    a_staff_network: Person
    a_user_consented_org: Person
    a_user_no_consent: Person
    a_user_network: Person
    b_coordinator: Person
    b_hero: Person
    b_user: Person


@pytest.fixture(scope="module")
async def world(network: Network) -> World:
    a, b = await network.organisation(), await network.organisation("COUNCIL")
    return World(
        a_coordinator=await network.person(a, role="COORDINATOR"),
        a_hero=await network.person(a),
        a_staff_org_only=await network.person(a, visibility="ORGANISATION"),
        a_staff_network=await network.person(a, member_type="STAFF_NON_CLINICAL", visibility="NETWORK"),
        a_user_consented_org=await network.person(a, member_type="SERVICE_USER", visibility="NETWORK",
                                                  consents=("NAME_IN_ORGANISATION",)),
        a_user_no_consent=await network.person(a, member_type="SERVICE_USER", visibility="NETWORK"),
        a_user_network=await network.person(a, member_type="CARER", visibility="NETWORK",
                                            consents=("NAME_ACROSS_NETWORK", "CONTACT")),
        b_coordinator=await network.person(b, role="COORDINATOR"),
        b_hero=await network.person(b),
        b_user=await network.person(b, member_type="SERVICE_USER", consents=("NAME_IN_ORGANISATION",)),
    )


def callers(world: World) -> dict[str, str | None]:
    return {
        "a_coordinator": world.a_coordinator.token, "a_hero": world.a_hero.token,
        "a_user": world.a_user_consented_org.token, "b_coordinator": world.b_coordinator.token,
        "b_hero": world.b_hero.token, "b_user": world.b_user.token, "anonymous": None,
    }


# subject -> callers who may see the profile at all (besides the member themself); callers without a
# token see no one: personal data is for signed-in members of the network only
PROFILE_VISIBLE_TO = {
    "a_staff_org_only": {"a_coordinator", "a_hero", "a_user"},
    "a_staff_network": {"a_coordinator", "a_hero", "a_user", "b_coordinator", "b_hero", "b_user"},
    "a_user_consented_org": {"a_coordinator", "a_hero", "a_user"},
    "a_user_no_consent": {"a_coordinator"},
    "a_user_network": {"a_coordinator", "a_hero", "a_user", "b_coordinator", "b_hero", "b_user"},
}


class TestProfiles:
    @pytest.mark.parametrize("subject", sorted(PROFILE_VISIBLE_TO))
    async def test_member_query_shows_a_profile_only_where_visibility_reaches(
        self, api: GraphQLClient, world: World, subject: str
    ) -> None:
        person: Person = getattr(world, subject)
        for caller, token in callers(world).items():
            if token == person.token:
                continue
            data = await api.data(MEMBER, {"id": person.id}, token=token)
            visible = caller in PROFILE_VISIBLE_TO[subject]
            assert (data["member"] is not None) == visible, f"{caller} looking at {subject}"
            if visible:
                assert data["member"]["displayName"] == person.name

    async def test_lists_never_include_what_the_caller_may_not_see(self, api: GraphQLClient, world: World) -> None:
        org = world.a_hero.organisation_id
        everyone = {getattr(world, name).id for name in PROFILE_VISIBLE_TO} | {
            world.a_coordinator.id, world.a_hero.id}
        for caller, token in callers(world).items():
            data = await api.data(LIST, {"org": org}, token=token)
            listed = {edge["node"]["id"] for edge in data["members"]["edges"]}
            expected = {getattr(world, s).id for s, allowed in PROFILE_VISIBLE_TO.items() if caller in allowed}
            if caller.startswith("a_"):
                expected |= {world.a_coordinator.id, world.a_hero.id}  # staff colleagues, organisation-visible
            if caller == "a_user":
                expected.add(world.a_user_consented_org.id)
            assert listed == expected, caller
            assert listed <= everyone

    async def test_entities_resolve_invisible_members_to_null(self, api: GraphQLClient, world: World) -> None:
        subjects = [world.a_staff_org_only, world.a_user_no_consent, world.a_staff_network]
        representations = [{"__typename": "Member", "id": person.id} for person in subjects]

        data = await api.data(ENTITIES, {"r": representations}, token=world.b_coordinator.token, as_gateway=True)

        assert data == {"_entities": [None, None, {"id": world.a_staff_network.id,
                                                   "displayName": world.a_staff_network.name}]}


class TestPrivateFields:
    @pytest.mark.parametrize("subject", ["a_user_network", "a_staff_network"])
    async def test_only_the_member_and_their_coordinators_see_private_fields(
        self, api: GraphQLClient, world: World, subject: str
    ) -> None:
        person: Person = getattr(world, subject)
        allowed = {"self": person.token, "a_coordinator": world.a_coordinator.token}
        for caller, token in {**callers(world), **allowed}.items():
            member = (await api.data(MEMBER, {"id": person.id}, token=token))["member"]
            if caller == "anonymous":
                assert member is None  # no token: no personal data at all
            elif caller in allowed:
                assert member["email"] == person.email, caller
                assert member["accessPreferences"] == {"easyRead": False}
                assert member["involvement"] == {"level": None}
                assert member["training"] == []
                assert member["pairings"] == []
            else:
                assert {k: member[k] for k in ("email", "accessPreferences", "consent", "involvement",
                                                "training", "pairings")} == dict.fromkeys(
                    ("email", "accessPreferences", "consent", "involvement", "training", "pairings")), caller

    async def test_consent_is_shown_to_the_member_and_their_coordinator_only(
        self, api: GraphQLClient, world: World
    ) -> None:
        query = ("query($id: ID!) { member(id: $id) { consent { contact nameInOrganisation nameAcrossNetwork "
                 "storyPublished } } }")
        expected = {"contact": True, "nameInOrganisation": False, "nameAcrossNetwork": True, "storyPublished": False}

        own = await api.data(query, {"id": world.a_user_network.id}, token=world.a_user_network.token)
        coordinator = await api.data(query, {"id": world.a_user_network.id}, token=world.a_coordinator.token)
        other = await api.data(query, {"id": world.a_user_network.id}, token=world.b_coordinator.token)

        assert own["member"]["consent"] == coordinator["member"]["consent"] == expected
        assert other["member"]["consent"] is None

    async def test_me_is_the_caller(self, api: GraphQLClient, world: World) -> None:
        assert (await api.data("{ me { id email } }", token=world.b_user.token)) == {
            "me": {"id": world.b_user.id, "email": world.b_user.email}}
        assert (await api.data("{ me { id } }")) == {"me": None}


class TestWithdrawal:
    async def test_withdrawing_consent_hides_a_service_user_at_once(self, api: GraphQLClient, network: Network) -> None:
        org = await network.organisation()
        colleague = await network.person(org)
        user = await network.person(org, member_type="SERVICE_USER", consents=("NAME_IN_ORGANISATION",))
        assert (await api.data(MEMBER, {"id": user.id}, token=colleague.token))["member"] is not None

        await api.data("mutation($i: ConsentInput!) { withdrawConsent(input: $i) { consent { nameInOrganisation } } }",
                       {"i": {"purposes": ["NAME_IN_ORGANISATION"]}}, token=user.token)

        assert (await api.data(MEMBER, {"id": user.id}, token=colleague.token))["member"] is None
        assert (await api.data(MEMBER, {"id": user.id}, token=user.token))["member"]["displayName"] == user.name

