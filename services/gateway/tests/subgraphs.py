"""A fixed test supergraph: three small Federation v2 subgraphs (people, work, praise).

people owns Member and Organisation (with a Node interface and a SearchResult union);
work owns Project and adds Member.projects, providing Member.name on Project.lead;
praise adds Member.badges and Member.greeting (which @requires name) and Project.cheers.
They run in-process for planner tests and over HTTP for gateway integration tests.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any, TypedDict

import strawberry
from fastapi import FastAPI, Request, WebSocket
from fastapi.responses import JSONResponse
from servicekit.graphql import GATEWAY_SECRET_HEADER
from strawberry.fastapi import GraphQLRouter
from strawberry.types import Info

PEOPLE = {
    "m1": {"name": "Ada", "organisation": "o1"},
    "m2": {"name": "Bo", "organisation": "o2"},
    "m3": {"name": "Cy", "organisation": "o1"},
}
ORGANISATIONS = {"o1": "Riverside", "o2": "Northvale"}


class ProjectRow(TypedDict):
    title: str
    lead: str
    team: list[str]


PROJECTS: dict[str, ProjectRow] = {
    "p1": {"title": "Fewer falls", "lead": "m1", "team": ["m1", "m2"]},
    "p2": {"title": "Faster discharge", "lead": "m2", "team": ["m2", "m3"]},
}
SLOW_SECONDS = 3.0
BADGES = {"m1": ["First PDSA", "Explorer"], "m2": ["Explorer"], "m3": []}


# --- people --------------------------------------------------------------------------------------


@strawberry.interface(description="Anything with an id.")
class Node:
    id: strawberry.ID


@strawberry.federation.type(keys=["id"])
class Organisation(Node):
    id: strawberry.ID
    name: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Organisation | None:
        return cls(id=id, name=ORGANISATIONS[id]) if id in ORGANISATIONS else None


@strawberry.federation.type(keys=["id"])
class Member(Node):
    id: strawberry.ID
    name: str

    @strawberry.field
    def organisation(self) -> Organisation:
        return Organisation.resolve_reference(strawberry.ID(PEOPLE[self.id]["organisation"]))  # type: ignore[return-value]

    @strawberry.field
    def failing(self) -> str | None:
        raise ValueError(f"cannot compute this for {self.id}")

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Member | None:
        return cls(id=id, name=PEOPLE[id]["name"]) if id in PEOPLE else None


def all_members() -> list[Member]:
    return [Member(id=strawberry.ID(i), name=p["name"]) for i, p in PEOPLE.items()]


SearchResult = Annotated[Member | Organisation, strawberry.union("SearchResult")]


@strawberry.type
class PeopleQuery:
    @strawberry.field
    def member(self, id: strawberry.ID) -> Member | None:
        return Member.resolve_reference(id)

    @strawberry.field
    def members(self, first: int | None = None) -> list[Member]:
        found = all_members()
        return found[:first] if first else found

    @strawberry.field
    def echo_headers(self, info: Info) -> list[str]:
        """What the gateway forwarded: header names and values this test cares about."""
        request = info.context.get("request") if isinstance(info.context, dict) else None
        if request is None:
            return []
        names = ("authorization", "x-request-id", "traceparent", "x-heroes-gateway-secret")
        return [f"{name}={request.headers.get(name, '')}" for name in names]

    @strawberry.field
    def node(self, id: strawberry.ID) -> Node | None:
        return Member.resolve_reference(id) or Organisation.resolve_reference(id)

    @strawberry.field
    def search(self, text: str) -> list[SearchResult]:
        found: list[Any] = [m for m in all_members() if text.lower() in m.name.lower()]
        found += [
            Organisation(id=strawberry.ID(i), name=n) for i, n in ORGANISATIONS.items() if text.lower() in n.lower()
        ]
        return found


def people_schema() -> strawberry.federation.Schema:
    return strawberry.federation.Schema(query=PeopleQuery, types=[Member, Organisation])


# --- work ----------------------------------------------------------------------------------------


@strawberry.federation.type(keys=["id"], name="Member")
class WorkMember:
    id: strawberry.ID
    name: str = strawberry.federation.field(external=True, default="")

    @strawberry.field
    def projects(self) -> list[Project]:
        return [project(i) for i, p in PROJECTS.items() if self.id in p["team"]]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> WorkMember:
        return cls(id=id)


@strawberry.federation.type(keys=["id"])
class Project:
    id: strawberry.ID
    title: str

    @strawberry.federation.field(provides=["name"])
    def lead(self) -> WorkMember:
        lead = PROJECTS[self.id]["lead"]
        return WorkMember(id=strawberry.ID(lead), name=PEOPLE[lead]["name"])

    @strawberry.field
    def team(self) -> list[WorkMember]:
        return [WorkMember(id=strawberry.ID(m)) for m in PROJECTS[self.id]["team"]]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Project | None:
        return project(id) if id in PROJECTS else None


def project(id: str) -> Project:
    return Project(id=strawberry.ID(id), title=str(PROJECTS[id]["title"]))


@strawberry.type
class WorkQuery:
    @strawberry.field
    def project(self, id: strawberry.ID) -> Project | None:
        return Project.resolve_reference(id)

    @strawberry.field
    def projects(self) -> list[Project]:
        return [project(i) for i in PROJECTS]


@strawberry.type
class WorkMutation:
    @strawberry.mutation
    def rename_project(self, id: strawberry.ID, title: str) -> Project:
        PROJECTS[id]["title"] = title
        return project(id)


def work_schema() -> strawberry.federation.Schema:
    return strawberry.federation.Schema(query=WorkQuery, mutation=WorkMutation, types=[WorkMember, Project])


# --- praise --------------------------------------------------------------------------------------


@strawberry.federation.type(keys=["id"], name="Member")
class PraiseMember:
    id: strawberry.ID
    name: str = strawberry.federation.field(external=True, default="")

    @strawberry.field
    def badges(self) -> list[Badge]:
        return [Badge(name=b, holder_id=self.id) for b in BADGES.get(self.id, [])]

    @strawberry.federation.field(requires=["name"])
    def greeting(self) -> str:
        return f"Well done, {self.name}!"

    @strawberry.field
    async def slow(self) -> str | None:
        import asyncio

        await asyncio.sleep(SLOW_SECONDS)
        return "finally"

    @classmethod
    def resolve_reference(cls, info: Info, id: strawberry.ID, name: str = "") -> PraiseMember:
        return cls(id=id, name=name)


@strawberry.type
class Badge:
    name: str
    holder_id: strawberry.Private[str]

    @strawberry.field
    def holder(self) -> PraiseMember:
        return PraiseMember(id=strawberry.ID(self.holder_id))


@strawberry.federation.type(keys=["id"], name="Project")
class PraiseProject:
    id: strawberry.ID

    @strawberry.field
    def cheers(self) -> list[str]:
        return [f"Hooray for {self.id}"]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> PraiseProject:
        return cls(id=id)


@strawberry.type
class PraiseQuery:
    @strawberry.field
    def top_badges(self) -> list[Badge]:
        return [Badge(name=b, holder_id=m) for m, names in BADGES.items() for b in names]


SUBSCRIPTIONS_CLOSED: list[str] = []


@strawberry.type
class PraiseSubscription:
    @strawberry.subscription
    async def badge_awarded(self, count: int = 2) -> AsyncGenerator[Badge, None]:
        """`count` badges, one after another; a negative count never ends."""
        import asyncio

        try:
            sent = 0
            while count < 0 or sent < count:
                holder = ("m1", "m2", "m3")[sent % 3]
                yield Badge(name=f"Live badge {sent}", holder_id=holder)
                sent += 1
                await asyncio.sleep(0.05 if count >= 0 else 0.2)
        finally:
            SUBSCRIPTIONS_CLOSED.append(f"badge_awarded({count})")


def praise_schema() -> strawberry.federation.Schema:
    return strawberry.federation.Schema(query=PraiseQuery, subscription=PraiseSubscription,
                                        types=[PraiseMember, PraiseProject])


def schemas() -> dict[str, strawberry.federation.Schema]:
    return {"people": people_schema(), "work": work_schema(), "praise": praise_schema()}


class InProcessSubgraphs:
    """Runs subgraph requests against in-process schemas, counting requests per subgraph."""

    def __init__(self, broken: set[str] | None = None) -> None:
        self.schemas = schemas()
        self.urls = {name: f"inprocess://{name}" for name in self.schemas}
        self.calls: list[tuple[str, str]] = []
        self.broken = broken or set()

    async def fetch(self, subgraph: str, query: str, variables: dict[str, Any], headers: dict[str, str], *,
                    retry_on_reset: bool) -> dict[str, Any]:
        from gateway.execution.fetcher import SubgraphUnavailable

        self.calls.append((subgraph, query))
        if subgraph in self.broken:
            raise SubgraphUnavailable(subgraph, "unreachable (test)")
        result = await self.schemas[subgraph].execute(query, variable_values=variables)
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [e.formatted for e in result.errors]
        return body

    def sdls(self) -> dict[str, str]:
        return {name: schema.as_str() for name, schema in self.schemas.items()}


def subgraph_app(schema: strawberry.federation.Schema, secret: str) -> Any:
    """A subgraph served over HTTP, recording each request it receives."""

    hits: list[str] = []

    async def context(request: Request = None, websocket: WebSocket = None) -> dict[str, Any]:  # type: ignore[assignment]
        connection = request if request is not None else websocket
        hits.append(connection.url.path)
        return {"request": connection, "from_gateway": connection.headers.get(GATEWAY_SECRET_HEADER) == secret}

    app = FastAPI()
    app.include_router(GraphQLRouter(schema, context_getter=context), prefix="/graphql")

    @app.get("/readyz")
    async def ready() -> JSONResponse:
        checks: dict[str, bool] = app.state.checks
        ready = all(checks.values())
        return JSONResponse({"status": "ready" if ready else "not ready", "checks": checks}, 200 if ready else 503)

    app.state.hits = hits
    app.state.checks = {"database": True, "kafka": True}  # what its /readyz reports; tests change it
    return app
