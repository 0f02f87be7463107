"""Conformance subgraphs: a union with fewer members in one subgraph than in the supergraph.

lu_library knows Recording, but its `Material` union is only Leaflet; in lu_media it is
`Leaflet | Recording`. Sending `... on Recording` inside Material to lu_library fails validation
("objects of type Material can never be of type Recording"), so a gateway must drop it there.
"""

from typing import Annotated

import strawberry

from .support import federation_schema

ID = strawberry.ID

LEAFLETS = {"l1": ("Living with diabetes", 8), "l2": ("Sleep well", 4)}  # title, pages
RELATED = {"r1": ["l2"]}
RECORDINGS = {"r1": ("Relaxation", 15)}  # title, minutes


def lu_library() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Leaflet:
        id: ID
        title: str

        @classmethod
        def resolve_reference(cls, id: str) -> "Leaflet":
            return cls(id=ID(id), title=LEAFLETS[id][0])

    Material = Annotated[Leaflet, strawberry.union("Material")]  # noqa: N806 - a GraphQL type, named like one

    @strawberry.federation.type(keys=["id"])
    class Recording:
        id: ID
        title: str

        @strawberry.field
        def related(self) -> list[Material]:
            return [Leaflet.resolve_reference(key) for key in RELATED[self.id]]

        @classmethod
        def resolve_reference(cls, id: str) -> "Recording":
            return cls(id=ID(id), title=RECORDINGS[id][0])

    @strawberry.type
    class Query:
        @strawberry.field
        def materials(self) -> list[Material]:
            return [Leaflet.resolve_reference(key) for key in LEAFLETS]

    return federation_schema(Query, [Leaflet, Recording])


def lu_media() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Leaflet:
        id: ID
        pages: int

        @classmethod
        def resolve_reference(cls, id: str) -> "Leaflet":
            return cls(id=ID(id), pages=LEAFLETS[id][1])

    @strawberry.federation.type(keys=["id"])
    class Recording:
        id: ID
        minutes: int

        @classmethod
        def resolve_reference(cls, id: str) -> "Recording":
            return cls(id=ID(id), minutes=RECORDINGS[id][1])

    Material = Annotated[Leaflet | Recording, strawberry.union("Material")]  # noqa: N806 - a GraphQL type, named like one

    @strawberry.type
    class Query:
        @strawberry.field
        def playlist(self) -> list[Material]:
            return [Recording.resolve_reference("r1"), Leaflet.resolve_reference("l1")]

    return federation_schema(Query, [Leaflet, Recording])
