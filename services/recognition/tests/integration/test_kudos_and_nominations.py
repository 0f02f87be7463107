"""Kudos and nominations through the subgraph: what works, and bad input that changes nothing."""

from __future__ import annotations

import json

import pytest
from servicekit.testing import GraphQLClient, Tokens
from sqlalchemy.ext.asyncio import AsyncEngine

from ..scenario import MEMBER_ORGS, World, two_organisations
from ..support import Consumer, People, Publisher, play, rows

pytestmark = pytest.mark.asyncio(loop_scope="session")

GIVE = """
mutation Give($input: GiveKudosInput!) {
  giveKudos(input: $input) {
    kudos { id message isPublic toMember { id } toProject { id } fromMember { id } }
  }
}
"""
NOMINATE = """
mutation Nominate($input: NominateInput!) {
  nominate(input: $input) {
    nomination { id awardName status reason member { id } nominatedBy { id } }
  }
}
"""
DECIDE = """
mutation Decide($input: DecideNominationInput!) {
  decideNomination(input: $input) {
    nomination { status decisionNote }
    celebration { kind title member { id } }
  }
}
"""


@pytest.fixture(scope="module")
async def people(publisher: Publisher, consumer: Consumer, tokens: Tokens) -> People:
    world = two_organisations(World("kudos-and-nominations"))
    await play(publisher, consumer, world.steps)
    return People(world, tokens, MEMBER_ORGS)


async def kudos_from(engine: AsyncEngine, people: People, member: str) -> int:
    [(count,)] = await rows(
        engine, "SELECT count(*) FROM kudos WHERE giver_id = :g", g=people.id(member)
    )
    return int(count)


async def said(api: GraphQLClient, kudos_ids: list[str], *, token: str) -> list[str | None]:
    """The messages of these thank-yous, as the gateway asks once membership says the caller may
    see everyone they name."""
    data = await api.data(
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on Kudos { message } } }",
        {"r": [{"__typename": "Kudos", "id": kudos_id, "everyoneShown": True} for kudos_id in kudos_ids]},
        token=token, as_gateway=True,
    )
    return [item["message"] if item else None for item in data["_entities"]]


class TestGiveKudos:
    async def test_a_member_thanks_a_colleague_and_it_is_celebrated_and_announced(
        self, api: GraphQLClient, people: People, engine: AsyncEngine
    ) -> None:
        patient = str(people.id("a-patient"))
        data = await api.data(
            GIVE,
            {"input": {"toMemberId": patient, "message": "  Thank you for the leaflet idea!  "}},
            token=people.token("a-nurse"),
        )

        kudos_id = data["giveKudos"]["kudos"].pop("id")
        # The words come only through the gateway, once membership says the caller may see
        # everyone they name (@requires everyoneShown); asked directly, they stay hidden.
        assert await said(api, [kudos_id], token=people.token("a-nurse")) == ["Thank you for the leaflet idea!"]
        assert data == {
            "giveKudos": {
                "kudos": {
                    "message": None,
                    "isPublic": True,
                    "toMember": {"id": patient},
                    "toProject": None,
                    "fromMember": {"id": str(people.id("a-nurse"))},
                }
            }
        }
        events = await rows(
            engine,
            "SELECT type, payload FROM outbox_messages WHERE key = :k ORDER BY position",
            k=patient,
        )
        assert [event[0] for event in events] == [
            "network.heroes.recognition.kudos_given.v1",
            "network.heroes.recognition.celebration_posted.v1",
        ]
        assert "leaflet" not in json.dumps(
            [event[1] for event in events]
        )  # thin: never the message
        assert events[1][1]["shared_with"] == "organisation"

    async def test_a_team_can_be_thanked_privately(
        self, api: GraphQLClient, people: People, engine: AsyncEngine
    ) -> None:
        project = str(people.id("p-a-net"))
        data = await api.data(
            GIVE,
            {"input": {"toProjectId": project, "message": "Great work", "isPublic": False}},
            token=people.token("a-hero"),
        )

        assert data["giveKudos"]["kudos"]["toProject"] == {"id": project}
        assert await rows(
            engine,
            "SELECT count(*) FROM celebrations WHERE project_id = :p AND kind = 'kudos'",
            p=people.id("p-a-net"),
        ) == [(0,)]

    @pytest.mark.parametrize(
        ("recipient", "message", "code"),
        [
            ("a-nurse", "Thanks me!", "self_kudos_not_allowed"),
            ("a-patient", "x" * 281, "kudos_message_too_long"),
            ("a-patient", "   ", "text_required"),
            ("a-patient", "Thanks <b>so</b> much", "not_plain_text"),
            ("a-patient", "Thanks\u202eevil", "not_plain_text"),
            ("nobody", "Thanks", "member_not_found"),
            (
                "b-private",
                "Thanks",
                "member_not_found",
            ),  # organisation-only in another organisation
        ],
    )
    async def test_bad_kudos_get_a_clear_error_and_change_nothing(
        self,
        api: GraphQLClient,
        people: People,
        engine: AsyncEngine,
        recipient: str,
        message: str,
        code: str,
    ) -> None:
        before = await kudos_from(engine, people, "a-nurse")

        error = await api.error_code(
            GIVE,
            {"input": {"toMemberId": str(people.id(recipient)), "message": message}},
            token=people.token("a-nurse"),
        )

        assert error == code
        assert await kudos_from(engine, people, "a-nurse") == before

    async def test_a_member_may_give_only_a_few_each_day(
        self, api: GraphQLClient, people: People, engine: AsyncEngine
    ) -> None:
        variables = {"input": {"toMemberId": str(people.id("b-carer")), "message": "Thanks"}}
        for _ in range(3):  # the test settings allow 3 a day
            await api.data(GIVE, variables, token=people.token("b-coord"))

        assert (
            await api.error_code(GIVE, variables, token=people.token("b-coord"))
            == "kudos_daily_limit_reached"
        )
        assert await kudos_from(engine, people, "b-coord") == 3

    async def test_signing_in_is_needed(self, api: GraphQLClient, people: People) -> None:
        variables = {"input": {"toMemberId": str(people.id("a-patient")), "message": "Thanks"}}
        assert await api.error_code(GIVE, variables) == "unauthenticated"

    @pytest.mark.parametrize(("document", "variables"), [
        (GIVE, {"input": {"message": "Thanks"}}),  # no one to thank
        (GIVE, {"input": {"toMemberId": "not-an-id", "message": ""}}),
        (NOMINATE, {"input": {"memberId": "not-an-id", "awardName": "", "reason": ""}}),
        (DECIDE, {"input": {"nominationId": "not-an-id", "decision": "GRANT"}}),
    ])
    async def test_without_sign_in_bad_input_is_still_asked_to_sign_in_first(
        self, api: GraphQLClient, document: str, variables: dict[str, object]
    ) -> None:
        assert await api.error_code(document, variables) == "unauthenticated"

    async def test_private_thanks_are_seen_only_by_the_member_thanked(
        self, api: GraphQLClient, people: People
    ) -> None:
        carer = str(people.id("b-carer"))
        await api.data(
            GIVE,
            {"input": {"toMemberId": carer, "message": "Thanks in public"}},
            token=people.token("b-private"),
        )
        await api.data(
            GIVE,
            {"input": {"toMemberId": carer, "message": "Just between us", "isPublic": False}},
            token=people.token("b-private"),
        )
        query = """query($r: [_Any!]!) { _entities(representations: $r) {
          ... on Member { kudosReceived(first: 10) { edges { node { id isPublic } } } } } }"""
        variables = {"r": [{"__typename": "Member", "id": carer, "shownToYou": True}]}  # membership: you may see them

        own = await api.data(query, variables, token=people.token("b-carer"), as_gateway=True)
        other = await api.data(query, variables, token=people.token("a-nurse"), as_gateway=True)

        own_messages = await said(api, [edge["node"]["id"] for edge in own["_entities"][0]["kudosReceived"]["edges"]],
                                  token=people.token("b-carer"))
        other_messages = await said(
            api, [edge["node"]["id"] for edge in other["_entities"][0]["kudosReceived"]["edges"]],
            token=people.token("a-nurse"))
        assert own_messages[:2] == ["Just between us", "Thanks in public"]
        assert "Just between us" not in other_messages
        assert other_messages[0] == "Thanks in public"


class TestNominations:
    async def test_a_service_user_nominates_and_a_coordinator_grants_with_a_celebration(
        self, api: GraphQLClient, people: People
    ) -> None:
        nurse = str(people.id("a-nurse"))
        nominated = await api.data(
            NOMINATE,
            {
                "input": {
                    "memberId": nurse,
                    "awardName": "Co-production champion",
                    "reason": "Listened to every patient.",
                }
            },
            token=people.token("a-patient"),
        )
        nomination = nominated["nominate"]["nomination"]
        queue = await api.data(
            "{ nominationsToDecide { edges { node { id awardName reason } } } }",
            token=people.coordinator("a-coord"),
        )

        decided = await api.data(
            DECIDE,
            {
                "input": {
                    "nominationId": nomination["id"],
                    "decision": "GRANT",
                    "note": "Well deserved",
                }
            },
            token=people.coordinator("a-coord"),
        )

        assert nomination["status"] == "PENDING"
        assert nomination["nominatedBy"] == {"id": str(people.id("a-patient"))}
        assert {
            "id": nomination["id"],
            "awardName": "Co-production champion",
            "reason": "Listened to every patient.",
        } in [edge["node"] for edge in queue["nominationsToDecide"]["edges"]]
        assert decided == {
            "decideNomination": {
                "nomination": {"status": "GRANTED", "decisionNote": "Well deserved"},
                "celebration": {
                    "kind": "NOMINATION",
                    "title": "Co-production champion",
                    "member": {"id": nurse},
                },
            }
        }
        again = {"input": {"nominationId": nomination["id"], "decision": "DECLINE"}}
        assert (
            await api.error_code(DECIDE, again, token=people.coordinator("a-coord"))
            == "nomination_already_decided"
        )

    async def test_a_coordinator_of_another_organisation_cannot_decide_and_nothing_changes(
        self, api: GraphQLClient, people: People, engine: AsyncEngine
    ) -> None:
        nominated = await api.data(
            NOMINATE,
            {
                "input": {
                    "memberId": str(people.id("a-hero")),
                    "awardName": "Rising star",
                    "reason": "Fresh ideas.",
                }
            },
            token=people.token("b-carer"),
        )
        nomination_id = nominated["nominate"]["nomination"]["id"]
        decide = {"input": {"nominationId": nomination_id, "decision": "GRANT"}}

        assert await api.error_code(DECIDE, decide, token=people.coordinator("b-coord")) == (
            "nomination_of_another_organisation"
        )
        assert await api.error_code(DECIDE, decide, token=people.token("a-nurse")) == (
            "nomination_of_another_organisation"
        )
        assert await rows(
            engine, "SELECT status, decided_by FROM nominations WHERE id = :n", n=nomination_id
        ) == [("pending", None)]

    @pytest.mark.parametrize(
        ("nominee", "award", "reason", "code"),
        [
            ("nobody", "Star", "Because", "member_not_found"),
            ("b-private", "Star", "Because", "member_not_found"),
            ("a-hero", "Star", "x" * 1001, "text_too_long"),
            ("a-hero", "", "Because", "text_required"),
            ("a-nurse", "Me", "I am great", "self_nomination_not_allowed"),
        ],
    )
    async def test_bad_nominations_get_a_clear_error_and_change_nothing(
        self,
        api: GraphQLClient,
        people: People,
        engine: AsyncEngine,
        nominee: str,
        award: str,
        reason: str,
        code: str,
    ) -> None:
        count = "SELECT count(*) FROM nominations WHERE nominator_id = :n"
        before = await rows(engine, count, n=people.id("a-nurse"))

        error = await api.error_code(
            NOMINATE,
            {"input": {"memberId": str(people.id(nominee)), "awardName": award, "reason": reason}},
            token=people.token("a-nurse"),
        )

        assert error == code
        assert await rows(engine, count, n=people.id("a-nurse")) == before

    async def test_only_coordinators_see_the_queue(
        self, api: GraphQLClient, people: People
    ) -> None:
        assert (
            await api.error_code(
                "{ nominationsToDecide { edges { node { id } } } }", token=people.token("a-hero")
            )
            == "forbidden"
        )
