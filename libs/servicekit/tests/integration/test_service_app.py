"""The app every service builds: health, metrics, identity, error codes, trace propagation."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar
from uuid import UUID, uuid4

import httpx
import pytest
import strawberry
from pydantic_settings import SettingsConfigDict
from servicekit import outbox
from servicekit.app import create_service_app
from servicekit.errors import NotFound
from servicekit.graphql import GATEWAY_SECRET_HEADER, ErrorCodes, RequestContext, SubgraphGuard
from servicekit.settings import ServiceSettings
from servicekit.testing import eventually, serve_app
from servicekit.tokens import init_keys, mint
from sqlalchemy import text as sql_text
from strawberry.types import Info

from .conftest import Kit

SECRET = "gateway-secret-for-tests"


class KitSettings(ServiceSettings):
    service_name: ClassVar[str] = "kit"
    model_config = SettingsConfigDict(env_prefix="KIT_", extra="ignore")


@strawberry.federation.type(keys=["id"])
class Widget:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> "Widget":
        return cls(id=id)


@strawberry.type
class Query:
    @strawberry.field
    def whoami(self, info: Info[RequestContext, None]) -> str | None:
        member = info.context.principal.member_id
        return str(member) if member else None

    @strawberry.field
    def missing(self) -> Widget | None:
        raise NotFound("We could not find that widget.")

    @strawberry.field
    def broken(self) -> str | None:
        raise RuntimeError("internal detail that must not leak: password=hunter2")

    @strawberry.field
    def widget(self) -> Widget:
        return Widget(id=strawberry.ID("w1"))


def mutation_type(kit: Kit) -> type:
    @strawberry.type
    class Mutation:
        @strawberry.mutation
        async def change_widget(self, info: Info[RequestContext, None]) -> bool:
            async with info.context.transaction() as session:
                await outbox.add(session, kit.event(widget_id=uuid4(), seq=1), key="w")
            return True

    return Mutation


@dataclass
class Served:
    url: str
    keys: Path
    client: httpx.AsyncClient

    async def graphql(self, query: str, **headers: str) -> dict:  # type: ignore[type-arg]
        response = await self.client.post(f"{self.url}/graphql", json={"query": query}, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]


@pytest.fixture
async def served(kit: Kit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Served]:
    init_keys(tmp_path)
    monkeypatch.setenv("KIT_DATABASE_URL", kit.url)
    monkeypatch.setenv("KIT_KAFKA_BOOTSTRAP", kit.bootstrap)
    monkeypatch.setenv("KIT_JWKS_FILE", str(tmp_path / "jwks.json"))
    monkeypatch.setenv("KIT_GATEWAY_SECRET", SECRET)
    schema = strawberry.federation.Schema(
        query=Query, mutation=mutation_type(kit), extensions=[SubgraphGuard, ErrorCodes]
    )
    app = create_service_app(settings=KitSettings(), schema=schema, consumer_groups={"kit.group": [kit.topic]})
    async with serve_app(app) as url, httpx.AsyncClient(timeout=10) as client:
        yield Served(url, tmp_path, client)


def token(keys: Path, **overrides: object) -> str:
    from servicekit.settings import NetworkSettings

    network = NetworkSettings()
    values: dict[str, object] = {"member_id": uuid4(), "organisation_id": uuid4(), "roles": ["hero"],
                                 "issuer": network.jwt_issuer, "audience": network.jwt_audience}
    values.update(overrides)
    return mint(keys, **values)  # type: ignore[arg-type]


class TestHealth:
    async def test_healthz_and_readyz_answer_when_database_and_kafka_do(self, served: Served) -> None:
        assert (await served.client.get(f"{served.url}/healthz")).json() == {"status": "ok"}
        ready = await served.client.get(f"{served.url}/readyz")
        assert ready.json() == {"status": "ready", "checks": {"database": True}, "reports": {"kafka": True}}

    async def test_readyz_is_ready_without_kafka_and_reports_it(
        self, kit: Kit, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # Writes wait in the outbox while the broker is away, so the API can still serve requests.
        monkeypatch.setenv("KIT_DATABASE_URL", kit.url)
        monkeypatch.setenv("KIT_KAFKA_BOOTSTRAP", "127.0.0.1:1")
        app = create_service_app(settings=KitSettings(), schema=strawberry.federation.Schema(query=Query))
        async with serve_app(app) as url, httpx.AsyncClient(timeout=10) as client:
            ready = await client.get(f"{url}/readyz")
            scraped = (await client.get(f"{url}/metrics")).text

        assert ready.status_code == 200
        assert ready.json() == {"status": "ready", "checks": {"database": True}, "reports": {"kafka": False}}
        assert 'heroes_dependency_up{dependency="kafka",process="kit-api"} 0.0' in scraped
        assert 'heroes_dependency_up{dependency="database",process="kit-api"} 1.0' in scraped


class TestMetrics:
    async def test_outbox_backlog_consumer_lag_and_dlq_are_exported(self, served: Served, kit: Kit) -> None:
        await kit.commit_event(uuid4(), 1)
        await kit.commit_event(uuid4(), 2)
        await kit.send_event(kit.event(widget_id=uuid4(), seq=3), key=uuid4())

        async def scraped() -> str:
            text = (await served.client.get(f"{served.url}/metrics")).text
            assert 'heroes_outbox_backlog{service="kit"} 2.0' in text
            assert f'heroes_consumer_lag{{group="kit.group",topic="{kit.topic}"}} 1.0' in text
            assert f'heroes_dlq_messages{{topic="{kit.topic}.dlq"}} 0.0' in text
            return text

        text = await eventually(scraped)
        assert 'path="/readyz"' not in text  # probes are not counted as traffic


async def stand(kit: Kit, member: UUID, *, status: str = "active", role: str = "hero") -> None:
    """Record what membership's events would say about a member (servicekit.standing)."""
    async with kit.engine.begin() as connection:
        await connection.execute(sql_text(
            "INSERT INTO member_standing VALUES (:m, NULL, :s, :r, now(), now()) ON CONFLICT (member_id) "
            "DO UPDATE SET status = :s, network_role = :r"), {"m": member, "s": status, "r": role})


class TestIdentityAndErrors:
    async def test_a_valid_token_names_the_caller(self, served: Served, kit: Kit) -> None:
        member = uuid4()
        await stand(kit, member)

        body = await served.graphql("{ whoami }", authorization=f"Bearer {token(served.keys, member_id=member)}")

        assert body == {"data": {"whoami": str(member)}}

    async def test_no_token_is_anonymous(self, served: Served) -> None:
        assert await served.graphql("{ whoami }") == {"data": {"whoami": None}}

    async def test_a_bad_token_is_refused_with_a_code(self, served: Served) -> None:
        expired = token(served.keys, ttl_seconds=-3600)

        body = await served.graphql("{ whoami }", authorization=f"Bearer {expired}")

        assert body["data"] is None
        assert body["errors"][0]["extensions"] == {"code": "invalid_token"}

    async def test_domain_errors_carry_their_code(self, served: Served) -> None:
        body = await served.graphql("{ missing { id } }")

        assert body["data"] == {"missing": None}
        assert body["errors"][0]["message"] == "We could not find that widget."
        assert body["errors"][0]["extensions"] == {"code": "not_found"}
        assert body["errors"][0]["path"] == ["missing"]

    async def test_internal_errors_are_masked(self, served: Served) -> None:
        body = await served.graphql("{ broken }")

        assert body["data"] == {"broken": None}
        assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
        assert "hunter2" not in str(body)

    async def test_validation_errors_are_coded(self, served: Served) -> None:
        body = await served.graphql("{ nosuchfield }")

        assert body["errors"][0]["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}


class TestGatewayOnlyFields:
    @pytest.mark.parametrize(
        "query",
        [
            "{ _service { sdl } }",
            '{ _entities(representations: [{__typename: "Widget", id: "1"}]) { __typename } }',
            "{ whoami alias: _service { sdl } }",
            "query { ...F } fragment F on Query { _service { sdl } }",
        ],
    )
    async def test_are_refused_without_the_gateway_secret(self, served: Served, query: str) -> None:
        body = await served.graphql(query)

        assert body["data"] is None
        assert body["errors"][0]["extensions"] == {"code": "forbidden"}

    async def test_are_refused_with_a_wrong_secret(self, served: Served) -> None:
        body = await served.graphql("{ _service { sdl } }", **{GATEWAY_SECRET_HEADER: "guess"})

        assert body["errors"][0]["extensions"] == {"code": "forbidden"}

    async def test_are_answered_to_the_gateway(self, served: Served) -> None:
        body = await served.graphql(
            '{ _entities(representations: [{__typename: "Widget", id: "1"}]) { ... on Widget { id } } }',
            **{GATEWAY_SECRET_HEADER: SECRET},
        )

        assert body == {"data": {"_entities": [{"id": "1"}]}}


class TestTracing:
    async def test_request_id_is_echoed_and_traceparent_reaches_the_outbox(self, served: Served, kit: Kit) -> None:
        trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

        response = await served.client.post(
            f"{served.url}/graphql", json={"query": "mutation { changeWidget }"},
            headers={"x-request-id": "req-123", "traceparent": trace},
        )

        assert response.json() == {"data": {"changeWidget": True}}
        assert response.headers["x-request-id"] == "req-123"
        assert await kit.scalar("SELECT traceparent FROM outbox_messages") == trace


class TestStanding:
    """A token counts only while membership says its member is active, for the roles they hold."""

    async def test_a_member_this_service_has_not_heard_of_yet_is_told_to_retry(self, served: Served) -> None:
        body = await served.graphql("{ whoami }", authorization=f"Bearer {token(served.keys)}")

        assert body["data"] is None
        assert body["errors"][0]["extensions"] == {"code": "membership_pending", "retryable": True}

    async def test_an_erased_or_paused_member_is_refused_and_writes_nothing(self, served: Served, kit: Kit) -> None:
        erased, paused = uuid4(), uuid4()
        await stand(kit, erased, status="erased")
        await stand(kit, paused, status="paused")
        before = await kit.scalar("SELECT count(*) FROM outbox_messages")

        answers = [await served.graphql(query, authorization=f"Bearer {token(served.keys, member_id=who)}")
                   for who in (erased, paused) for query in ("{ whoami }", "mutation { changeWidget }")]

        codes = [body["errors"][0]["extensions"]["code"] for body in answers]
        assert codes == ["member_not_active"] * 4
        assert answers[0]["errors"][0]["message"] == "This membership has been erased."
        assert answers[2]["errors"][0]["extensions"] == {"code": "member_not_active", "status": "paused"}
        assert await kit.scalar("SELECT count(*) FROM outbox_messages") == before

    async def test_a_write_checks_again_inside_its_transaction(self, kit: Kit) -> None:
        from servicekit.identity import Principal
        from servicekit.standing import MemberNotActive, StandingCheck, table_lookup

        member = uuid4()
        await stand(kit, member)
        check = StandingCheck(table_lookup, kit.sessions, authoritative=False)
        caller, refused = await check.resolve(Principal(member_id=member, roles=frozenset({"hero"})))
        await stand(kit, member, status="erased")  # erased between the request's check and its write

        async with kit.sessions() as session, session.begin():
            with pytest.raises(MemberNotActive):
                await check.confirm(session, caller)

        assert refused is None
        assert caller.roles == {"hero"}
