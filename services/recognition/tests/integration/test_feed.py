"""The celebration feed: newest first, only what the caller may see; consent withdrawal at once."""

from __future__ import annotations

import time
from uuid import UUID

import pytest
from servicekit.testing import GraphQLClient, Tokens, eventually

from ..scenario import MEMBER_ORGS, World, two_organisations
from ..support import Consumer, People, Publisher, play

pytestmark = pytest.mark.asyncio(loop_scope="session")

FEED = """
query Feed($scope: CelebrationScope!, $after: String) {
  celebrationFeed(scope: $scope, first: 100, after: $after) {
    edges { node { id kind title member { id } project { id } relatedProject { id } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


@pytest.fixture(scope="module")
async def people(publisher: Publisher, consumer: Consumer, tokens: Tokens) -> People:
    """Every member reaches level 1 and every project reaches spreading: all earn a celebration."""
    world = two_organisations(World("feed"))
    for member, org in MEMBER_ORGS.items():
        world.level(member, org, 1)
    world.stage("p-a-net", "org-a", "implementing", "spreading")
    world.stage("p-a-team", "org-a", "implementing", "spreading")
    world.stage("p-b-org", "org-b", "implementing", "spreading")
    await play(publisher, consumer, world.steps)
    return People(world, tokens, MEMBER_ORGS)


async def feed(api: GraphQLClient, token: str, scope: str) -> list[dict[str, object]]:
    """Every page of a feed, followed to the end."""
    nodes: list[dict[str, object]] = []
    after = None
    while True:
        page = (await api.data(FEED, {"scope": scope, "after": after}, token=token))[
            "celebrationFeed"
        ]
        nodes += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


def about(nodes: list[dict[str, object]], people: People) -> set[tuple[str, str]]:
    """(member or project label, title) of each celebration of this world."""
    found = set()
    for node in nodes:
        subject = node["member"] or node["project"]
        assert isinstance(subject, dict)
        label = people.world.label_of(UUID(str(subject["id"])))
        if label is not None:
            found.add((label, str(node["title"])))
    return found


class TestFeedScopes:
    async def test_the_organisation_feed_shows_its_own_members_and_projects(
        self, api: GraphQLClient, people: People
    ) -> None:
        nodes = await feed(api, people.coordinator("a-coord"), "ORGANISATION")

        assert about(nodes, people) == {
            ("a-nurse", "MAC Hero Explorer"),
            ("a-patient", "MAC Hero Explorer"),
            ("a-coord", "MAC Hero Explorer"),
            ("a-hero", "MAC Hero Explorer"),
            ("a-nurse", "Change spreader"),
            ("p-a-net", "Spreading the change"),
            ("p-a-team", "Spreading the change"),  # coordinators see team ones
        }

    async def test_a_team_only_project_stays_out_of_the_feed_of_those_outside_the_team(
        self, api: GraphQLClient, people: People
    ) -> None:
        nodes = await feed(api, people.token("a-hero"), "ORGANISATION")

        assert ("p-a-team", "Spreading the change") not in about(nodes, people)
        assert ("p-a-net", "Spreading the change") in about(nodes, people)

    async def test_the_network_feed_shows_only_what_is_shared_with_the_network(
        self, api: GraphQLClient, people: People
    ) -> None:
        nodes = await feed(api, people.token("b-carer"), "NETWORK")

        assert about(nodes, people) == {
            ("a-nurse", "MAC Hero Explorer"),
            ("a-coord", "MAC Hero Explorer"),
            ("a-hero", "MAC Hero Explorer"),
            ("b-carer", "MAC Hero Explorer"),
            ("b-coord", "MAC Hero Explorer"),
            ("a-nurse", "Change spreader"),
            ("b-carer", "Change spreader"),
            ("p-a-net", "Spreading the change"),
        }

    async def test_organisation_a_never_sees_b_organisation_only_members_or_projects(
        self, api: GraphQLClient, people: People
    ) -> None:
        hidden_from_a = {str(people.id("b-private")), str(people.id("p-b-org"))}
        for member in ("a-nurse", "a-patient", "a-coord", "a-hero"):
            for token in (people.token(member), people.coordinator(member)):
                for scope in ("ORGANISATION", "NETWORK"):
                    nodes = await feed(api, token, scope)
                    shown = {
                        str(subject["id"])
                        for node in nodes
                        for subject in (node["member"], node["project"])
                        if isinstance(subject, dict)
                    }
                    assert not shown & hidden_from_a, (member, scope)

    async def test_the_feed_is_newest_first_and_pages_without_gaps(
        self, api: GraphQLClient, people: People
    ) -> None:
        token = people.coordinator("a-coord")
        everything = await feed(api, token, "ORGANISATION")
        query = """query($after: String) {
          celebrationFeed(scope: ORGANISATION, first: 2, after: $after) {
          edges { node { id postedAt } } pageInfo { hasNextPage endCursor } } }"""
        paged, after, times = [], None, []
        while True:
            page = (await api.data(query, {"after": after}, token=token))["celebrationFeed"]
            paged += [edge["node"]["id"] for edge in page["edges"]]
            times += [edge["node"]["postedAt"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]

        assert paged == [node["id"] for node in everything]
        assert times == sorted(times, reverse=True)

    async def test_signing_in_is_needed(self, api: GraphQLClient) -> None:
        assert await api.error_code(FEED, {"scope": "NETWORK"}) == "unauthenticated"

    async def test_a_bad_cursor_is_a_clear_error(self, api: GraphQLClient, people: People) -> None:
        code = await api.error_code(
            FEED, {"scope": "NETWORK", "after": "not-a-cursor"}, token=people.token("a-hero")
        )
        assert code == "invalid_input"


class TestConsentWithdrawal:
    async def test_withdrawal_hides_past_celebrations_within_one_second(
        self, api: GraphQLClient, people: People, publisher: Publisher, consumer: Consumer
    ) -> None:
        nurse = str(people.id("a-nurse"))
        token = people.token("b-carer")
        before = await feed(api, token, "NETWORK")
        assert any(node["member"] == {"id": nurse} for node in before)

        step = people.world.visibility("a-nurse", "org-a", "hidden", label="withdrawn")
        started = time.monotonic()
        await publisher.publish(step.event, key=step.key, event_id=step.event_id)

        async def hidden() -> bool:
            nodes = await feed(api, token, "NETWORK")
            assert all(node["member"] != {"id": nurse} for node in nodes)
            return True

        await eventually(hidden, timeout=5, interval=0.02)
        elapsed = time.monotonic() - started
        assert elapsed < 1.0, f"hidden after {elapsed:.2f}s"
        own_org = await feed(api, people.coordinator("a-coord"), "ORGANISATION")
        assert all(node["member"] != {"id": nurse} for node in own_org)

    async def test_narrowing_to_the_organisation_hides_them_from_the_network_only(
        self, api: GraphQLClient, people: People, publisher: Publisher, consumer: Consumer
    ) -> None:
        await play(
            publisher, consumer, [people.world.visibility("a-hero", "org-a", "organisation")]
        )
        hero = {"id": str(people.id("a-hero"))}

        network = await feed(api, people.token("b-carer"), "NETWORK")
        organisation = await feed(api, people.token("a-nurse"), "ORGANISATION")

        assert all(node["member"] != hero for node in network)
        assert any(node["member"] == hero for node in organisation)


class TestEntities:
    async def test_the_gateway_resolves_badges_and_project_celebrations_in_one_call(
        self, api: GraphQLClient, people: People
    ) -> None:
        query = """query($r: [_Any!]!) { _entities(representations: $r) {
          ... on Member { id badges { name member { id } } }
          ... on Project { id celebrations(first: 5) {
            edges { node { title project { id } } } } } } }"""
        carer, private, project, team_project = (
            str(people.id(label)) for label in ("b-carer", "b-private", "p-a-net", "p-a-team")
        )
        representations = [
            {"__typename": "Member", "id": carer, "shownToYou": True},
            {"__typename": "Member", "id": private, "shownToYou": True},
            {"__typename": "Project", "id": project},
            {"__typename": "Project", "id": team_project},
        ]

        data = await api.data(
            query, {"r": representations}, token=people.token("a-hero"), as_gateway=True
        )

        assert data == {
            "_entities": [
                {
                    "id": carer,
                    "badges": [
                        {"name": "MAC Hero Explorer", "member": {"id": carer}},
                        {"name": "Change spreader", "member": {"id": carer}},
                    ],
                },
                {"id": private, "badges": []},  # organisation-only, another organisation
                {
                    "id": project,
                    "celebrations": {
                        "edges": [
                            {"node": {"title": "Spreading the change", "project": {"id": project}}}
                        ]
                    },
                },
                {"id": team_project, "celebrations": {"edges": []}},  # a-hero is not on the team
            ]
        }

    async def test_entities_are_answered_only_to_the_gateway(
        self, api: GraphQLClient, people: People
    ) -> None:
        query = (
            'query { _entities(representations: [{__typename: "Member", id: "x"}]) { __typename } }'
        )
        assert await api.error_code(query, token=people.token("a-hero")) == "forbidden"
