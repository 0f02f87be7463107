"""`_entities` resolves many members and organisations with one query per type (DataLoader)."""

from fastapi import FastAPI
from servicekit.testing import GraphQLClient
from sqlalchemy import event

from ..conftest import Network

ENTITIES = """query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Member { id displayName organisation { id } }
  ... on Organisation { id kind }
} }"""


class TestEntities:
    async def test_many_members_cost_one_members_query(
        self, api: GraphQLClient, network: Network, app: FastAPI
    ) -> None:
        org = await network.organisation()
        people = [await network.person(org, visibility="NETWORK") for _ in range(12)]
        viewer = await network.person(await network.organisation())  # names are for signed-in members only
        statements: list[str] = []

        def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
            statements.append(statement)

        event.listen(app.state.engine.sync_engine, "before_cursor_execute", count)
        try:
            data = await api.data(
                ENTITIES,
                {"r": [*({"__typename": "Member", "id": p.id} for p in people),
                       {"__typename": "Organisation", "id": org}]},
                as_gateway=True, token=viewer.token,
            )
        finally:
            event.remove(app.state.engine.sync_engine, "before_cursor_execute", count)

        assert data["_entities"] == [
            *({"id": p.id, "displayName": p.name, "organisation": {"id": org}} for p in people),
            {"id": org, "kind": "ACUTE_TRUST"},
        ]
        member_queries = [s for s in statements if "FROM members" in s and "display_name" in s]  # not the sign-in check
        organisation_queries = [s for s in statements if "FROM organisations" in s]
        assert len(member_queries) == 1
        assert len(organisation_queries) == 1  # the entity and every member.organisation, batched together
