"""Conformance subgraphs: @provides on an interface-typed and on a union-typed field.

pa_library owns leaflets and their topics (Condition, Therapy). pa_feed returns them with
`featured: Leaflet @provides(fields: "topics { id title }")` (interfaces all the way down) and
`highlights: [Highlight] @provides(fields: "... on Condition { title }")` (a union, one member).
"""

from typing import Annotated

import strawberry

from .support import federation_schema

ID = strawberry.ID

CONDITIONS = {"t1": ("Asthma", "J45")}  # title, code
THERAPIES = {"t2": ("Breathing exercises", 6)}  # title, sessions
BOOKLET_TOPICS = {"b1": ["t1", "t2"]}


def pa_library() -> strawberry.federation.Schema:
    @strawberry.interface
    class Topic:
        id: ID
        title: str

    @strawberry.federation.type(keys=["id"])
    class Condition(Topic):
        title: str = strawberry.federation.field(shareable=True)
        code: str

        @classmethod
        def resolve_reference(cls, id: str) -> "Condition":
            title, code = CONDITIONS[id]
            return cls(id=ID(id), title=title, code=code)

    @strawberry.federation.type(keys=["id"])
    class Therapy(Topic):
        title: str = strawberry.federation.field(shareable=True)
        sessions: int

        @classmethod
        def resolve_reference(cls, id: str) -> "Therapy":
            title, sessions = THERAPIES[id]
            return cls(id=ID(id), title=title, sessions=sessions)

    def topic(key: str) -> Topic:
        if key in CONDITIONS:
            return Condition.resolve_reference(key)
        return Therapy.resolve_reference(key)

    @strawberry.interface
    class Leaflet:
        id: ID
        topics: list[Topic]

    @strawberry.federation.type(keys=["id"])
    class Booklet(Leaflet):
        topics: list[Topic] = strawberry.federation.field(shareable=True)

        @classmethod
        def resolve_reference(cls, id: str) -> "Booklet":
            return cls(id=ID(id), topics=[topic(key) for key in BOOKLET_TOPICS[id]])

    @strawberry.type
    class Query:
        library_ready: bool = True

    return federation_schema(Query, [Condition, Therapy, Booklet])


def pa_feed() -> strawberry.federation.Schema:
    @strawberry.interface
    class Topic:
        id: ID
        title: str

    @strawberry.federation.type(keys=["id"])
    class Condition(Topic):
        title: str = strawberry.federation.field(external=True)

    @strawberry.federation.type(keys=["id"])
    class Therapy(Topic):
        title: str = strawberry.federation.field(external=True)

    def topic(key: str) -> Condition | Therapy:
        if key in CONDITIONS:
            return Condition(id=ID(key), title=CONDITIONS[key][0])
        return Therapy(id=ID(key), title=THERAPIES[key][0])

    @strawberry.interface
    class Leaflet:
        id: ID
        topics: list[Topic]

    @strawberry.type
    class Booklet(Leaflet):
        id: ID = strawberry.federation.field(shareable=True)
        topics: list[Topic] = strawberry.federation.field(external=True)

    Highlight = Annotated[Condition | Therapy, strawberry.union("Highlight")]  # noqa: N806 - a GraphQL type, named like one

    @strawberry.type
    class Query:
        @strawberry.federation.field(provides=["topics { id title }"])
        def featured(self) -> Leaflet:
            return Booklet(id=ID("b1"), topics=[topic(key) for key in BOOKLET_TOPICS["b1"]])

        @strawberry.federation.field(provides=["... on Condition { title }"])
        def highlights(self) -> list[Highlight]:
            return [topic("t1"), topic("t2")]

    return federation_schema(Query, [Booklet, Condition, Therapy])
