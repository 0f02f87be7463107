"""Bad input gets a clear error with a code, and changes nothing."""

from uuid import uuid4

import pytest
from servicekit.testing import GraphQLClient
from sqlalchemy.ext.asyncio import AsyncEngine

from ..conftest import INVITE, JOIN, Network, scalar

UPDATE = "mutation($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) { member { displayName } } }"


@pytest.fixture(scope="module")
async def org(network: Network) -> str:
    return await network.organisation()


def invite(org: str, **overrides: object) -> dict[str, object]:
    values: dict[str, object] = {"organisationId": org, "displayName": "Valid Name", "email": f"{uuid4().hex}@x.org",
                                 "memberType": "STAFF_CLINICAL"}
    values.update(overrides)
    return {"input": values}


class TestInvites:
    @pytest.mark.parametrize(
        ("overrides", "code"),
        [
            ({"displayName": "   "}, "invalid_input"),
            ({"displayName": "x" * 81}, "invalid_input"),
            ({"email": "not-an-email"}, "invalid_input"),
            ({"memberType": "ALIEN"}, "BAD_USER_INPUT"),
            ({"organisationId": "not-a-uuid"}, "invalid_input"),
            ({"organisationId": str(uuid4())}, "forbidden"),  # not their organisation, whether or not it exists
            ({"networkRole": "NETWORK_ADMIN"}, "forbidden"),
        ],
    )
    async def test_bad_invites_are_refused_and_store_nothing(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine, org: str, overrides: dict, code: str  # type: ignore[type-arg]
    ) -> None:
        coordinator = await network.person(org, role="COORDINATOR")
        before = await scalar(engine, "SELECT count(*) FROM members")

        assert await api.error_code(INVITE, invite(org, **overrides), token=coordinator.token) == code
        assert await scalar(engine, "SELECT count(*) FROM members") == before

    async def test_a_hero_cannot_invite_and_anonymous_must_sign_in(
        self, api: GraphQLClient, network: Network, org: str
    ) -> None:
        hero = await network.person(org)

        assert await api.error_code(INVITE, invite(org), token=hero.token) == "forbidden"
        assert await api.error_code(INVITE, invite(org)) == "unauthenticated"

    async def test_an_unknown_organisation_is_not_found(self, api: GraphQLClient, network: Network, org: str) -> None:
        code = await api.error_code(INVITE, invite(org, organisationId=str(uuid4())), token=network.admin)

        assert code == "organisation_not_found"

    async def test_wrong_types_are_refused_before_anything_runs(
        self, api: GraphQLClient, network: Network, org: str
    ) -> None:
        assert await api.error_code(INVITE, {"input": {"organisationId": org}}, token=network.admin) == "BAD_USER_INPUT"


class TestJoining:
    async def test_an_unknown_code_and_a_second_join_are_refused(
        self, api: GraphQLClient, network: Network, org: str
    ) -> None:
        data = await api.data(INVITE, invite(org), token=network.admin)
        code = data["inviteMember"]["inviteCode"]

        assert await api.error_code(JOIN, {"input": {"inviteCode": "made-up"}}) == "invite_not_found"
        await api.data(JOIN, {"input": {"inviteCode": code}})
        # The code is forgotten on joining, so a second use finds nothing.
        assert await api.error_code(JOIN, {"input": {"inviteCode": code}}) == "invite_not_found"


class TestProfiles:
    async def test_overlong_and_empty_values_change_nothing(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine, org: str
    ) -> None:
        person = await network.person(org)

        for bad in ({"displayName": ""}, {"displayName": "x" * 81}, {"interests": ["x" * 41]},
                    {"skills": [f"s{n}" for n in range(21)]},
                    {"accessPreferences": {"interpreterLanguage": "x" * 41}}):
            assert await api.error_code(UPDATE, {"i": bad}, token=person.token) == "invalid_input", bad
        assert await scalar(engine, "SELECT display_name FROM members WHERE id = :i", i=person.id) == person.name

    async def test_unknown_member_ids_are_not_found(self, api: GraphQLClient, network: Network, org: str) -> None:
        coordinator = await network.person(org, role="COORDINATOR")

        unknown = {"i": {"memberId": str(uuid4()), "displayName": "X"}}
        code = await api.error_code(UPDATE, unknown, token=coordinator.token)

        assert code == "member_not_found"

    async def test_consent_is_for_service_users_and_carers(
        self, api: GraphQLClient, network: Network, org: str
    ) -> None:
        staff = await network.person(org)

        code = await api.error_code("mutation($i: ConsentInput!) { recordConsent(input: $i) { consent { contact } } }",
                                    {"i": {"purposes": ["CONTACT"]}}, token=staff.token)

        assert code == "consent_not_applicable"
