"""Conformance subgraphs: @override and @inaccessible."""

from enum import Enum

import strawberry

ID = strawberry.ID


# --- override -----------------------------------------------------------------------------------


def legacy() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Member:
        id: ID
        name: str
        points: int

        @classmethod
        def resolve_reference(cls, id: str) -> "Member":
            return cls(id=ID(id), name="Ada", points=1)

    @strawberry.type
    class Query:
        @strawberry.field
        def member(self, id: ID) -> Member:
            return Member.resolve_reference(id)

    return strawberry.federation.Schema(query=Query, types=[Member])


def modern() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Member:
        id: ID
        points: int = strawberry.federation.field(override="legacy")

        @classmethod
        def resolve_reference(cls, id: str) -> "Member":
            return cls(id=ID(id), points=100)

    @strawberry.type
    class Query:
        modern_ready: bool = True

    return strawberry.federation.Schema(query=Query, types=[Member])


# --- inaccessible --------------------------------------------------------------------------------


def vault() -> strawberry.federation.Schema:
    @strawberry.enum
    class Tier(Enum):
        GOLD = "gold"
        SILVER = "silver"
        HIDDEN = strawberry.federation.enum_value("hidden", inaccessible=True)

    @strawberry.federation.type(inaccessible=True)
    class Internal:
        x: int

    @strawberry.input
    class Filter:
        name: str | None = None
        hidden_flag: bool | None = strawberry.federation.field(default=None, inaccessible=True)

    @strawberry.federation.type(keys=["id"])
    class Member:
        id: ID
        name: str
        secret: str = strawberry.federation.field(inaccessible=True)

    @strawberry.federation.type(keys=["code"])
    class Badge:
        code: str = strawberry.federation.field(inaccessible=True)
        title: str

    @strawberry.type
    class Query:
        @strawberry.field
        def member(self) -> Member:
            return Member(id=ID("1"), name="Ada", secret="s3cr3t")

        @strawberry.field
        def tiers(self, filter: Filter | None = None) -> list[Tier]:
            return [Tier.GOLD, Tier.SILVER]

        @strawberry.federation.field(inaccessible=True)
        def internal(self) -> Internal:
            return Internal(x=1)

        @strawberry.field
        def badge(self) -> Badge:
            return Badge(code="PDSA-1", title="First test of change")

    return strawberry.federation.Schema(query=Query, types=[Member, Badge, Internal])


def awards() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["code"])
    class Badge:
        code: str = strawberry.federation.field(inaccessible=True)
        points: int

        @classmethod
        def resolve_reference(cls, code: str) -> "Badge":
            return cls(code=code, points=len(code))

    @strawberry.type
    class Query:
        awards_ready: bool = True

    return strawberry.federation.Schema(query=Query, types=[Badge])
