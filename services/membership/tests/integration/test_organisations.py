from uuid import UUID, uuid4

from servicekit.testing import GraphQLClient, Tokens
from sqlalchemy.ext.asyncio import AsyncEngine

from ..conftest import Network, scalar

REGISTER = """
mutation Register($input: RegisterOrganisationInput!) {
  registerOrganisation(input: $input) { organisation { id name kind region } }
}
"""


def admin(network: Network) -> str:
    return network.admin


class TestRegisterOrganisation:
    async def test_a_network_admin_adds_an_organisation_and_queues_its_event(
        self, network: Network, api: GraphQLClient, tokens: Tokens, engine: AsyncEngine
    ) -> None:
        name = f"Hillside Mental Health Trust {uuid4().hex[:6]}"

        data = await api.data(
            REGISTER, {"input": {"name": name, "kind": "MENTAL_HEALTH_TRUST", "region": "Hillside"}},
            token=admin(network),
        )

        organisation = data["registerOrganisation"]["organisation"]
        assert organisation["name"] == name
        assert organisation["kind"] == "MENTAL_HEALTH_TRUST"
        assert await scalar(
            engine, "SELECT type FROM outbox_messages WHERE key = :k", k=organisation["id"]
        ) == "network.heroes.membership.organisation_registered.v1"

    async def test_others_may_not_and_nothing_changes(
        self, network: Network, api: GraphQLClient, tokens: Tokens, engine: AsyncEngine
    ) -> None:
        name = f"Sneaky Council {uuid4().hex[:6]}"
        coordinator = (await network.person(await network.organisation(), role="COORDINATOR")).token

        code = await api.error_code(
            REGISTER, {"input": {"name": name, "kind": "COUNCIL", "region": "r"}}, token=coordinator
        )

        assert code == "forbidden"
        assert await scalar(engine, "SELECT count(*) FROM organisations WHERE name = :n", n=name) == 0

    async def test_a_duplicate_name_is_a_conflict(self, network: Network, api: GraphQLClient, tokens: Tokens) -> None:
        name = f"Twin Trust {uuid4().hex[:6]}"
        variables = {"input": {"name": name, "kind": "ACUTE_TRUST", "region": "r"}}
        await api.data(REGISTER, variables, token=admin(network))

        variables["input"]["name"] = name.upper()
        assert await api.error_code(REGISTER, variables, token=admin(network)) == "organisation_already_exists"

    async def test_bad_input_gets_a_clear_error(self, network: Network, api: GraphQLClient, tokens: Tokens) -> None:
        empty = {"input": {"name": "  ", "kind": "COUNCIL", "region": "r"}}
        wrong_kind = {"input": {"name": "A", "kind": "SPACESHIP", "region": "r"}}

        assert await api.error_code(REGISTER, empty, token=admin(network)) == "invalid_input"
        assert await api.error_code(REGISTER, wrong_kind, token=admin(network)) == "BAD_USER_INPUT"


class TestReadOrganisations:
    async def test_pages_follow_on_without_gaps(self, network: Network, api: GraphQLClient, tokens: Tokens) -> None:
        for _ in range(3):
            await api.data(REGISTER, {"input": {"name": f"Paged {uuid4().hex}", "kind": "COUNCIL", "region": "r"}},
                           token=admin(network))
        query = ("query($after: String) { organisations(first: 2, after: $after) { edges { node { id } } "
                 "pageInfo { hasNextPage endCursor } } }")

        seen: list[str] = []
        after = None
        while True:
            page = (await api.data(query, {"after": after}))["organisations"]
            seen += [edge["node"]["id"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]

        assert len(seen) == len(set(seen)) >= 3

    async def test_entities_resolve_organisations_for_the_gateway(
        self, network: Network, api: GraphQLClient, tokens: Tokens
    ) -> None:
        data = await api.data(REGISTER, {"input": {"name": f"Entity {uuid4().hex}", "kind": "COUNCIL", "region": "r"}},
                              token=admin(network))
        known = data["registerOrganisation"]["organisation"]["id"]
        unknown = str(uuid4())

        entities = await api.data(
            "query($r: [_Any!]!) { _entities(representations: $r) { ... on Organisation { id kind } } }",
            {"r": [{"__typename": "Organisation", "id": known}, {"__typename": "Organisation", "id": unknown}]},
            as_gateway=True,
        )

        assert entities == {"_entities": [{"id": known, "kind": "COUNCIL"}, None]}
        assert UUID(known)
