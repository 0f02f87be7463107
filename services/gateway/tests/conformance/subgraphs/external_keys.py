"""Conformance subgraphs: types whose key and other fields are @external in a referencing subgraph.

ek_members owns Member. ek_notes declares it Federation-1 style
(`extend type Member @key(fields: "id")` with `id` and `name` @external) and ek_badges as a
`resolvable: false` reference with `name` @external. Each may be asked for `name` only where a
@provides says so: asked anywhere else, they answer with a placeholder that shows the gateway
went to the wrong subgraph. (`id` is different: @external on a key of an extended type is the
Federation 1 spelling, and the subgraph can still resolve it. A plain, non-extended type with an
@external key that nothing provides does not compose at all.)
"""

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

from .support import federation_schema

ID = strawberry.ID

MEMBERS = {"m1": ("Ada", "ada@example.org"), "m2": ("Bo", "bo@example.org")}
NOTES = {"m1": ["Prefers mornings"], "m2": ["Speaks Welsh", "Needs parking"]}
NOT_PROVIDED = "(name not provided)"


def ek_members() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Member:
        id: ID
        name: str = strawberry.federation.field(shareable=True)
        email: str

        @classmethod
        def resolve_reference(cls, id: str) -> "Member | None":
            if id not in MEMBERS:
                return None
            name, email = MEMBERS[id]
            return cls(id=ID(id), name=name, email=email)

    @strawberry.type
    class Query:
        @strawberry.field
        def member(self, id: ID) -> Member | None:
            return Member.resolve_reference(id)

    return federation_schema(Query, [Member])


def ek_notes() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"], extend=True)
    class Member:
        id: ID = strawberry.federation.field(external=True)
        provided_name: strawberry.Private[str | None]

        @strawberry.federation.field(external=True)
        def name(self) -> str:
            return self.provided_name or NOT_PROVIDED

        @strawberry.field
        def notes(self) -> list[str]:
            return NOTES.get(self.id, [])

        @classmethod
        def resolve_reference(cls, id: str) -> "Member":
            return cls(id=ID(id), provided_name=None)

    @strawberry.type
    class Query:
        @strawberry.field
        def note_author(self) -> Member:
            return Member(id=ID("m2"), provided_name=None)

        @strawberry.federation.field(provides=["name"])
        def provided_note_author(self) -> Member:
            return Member(id=ID("m1"), provided_name=MEMBERS["m1"][0])

    return federation_schema(Query, [Member])


def ek_badges() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)])
    class Member:
        id: ID
        provided_name: strawberry.Private[str | None]

        @strawberry.federation.field(external=True)
        def name(self) -> str:
            return self.provided_name or NOT_PROVIDED

    @strawberry.type
    class Badge:
        title: str
        nominee: Member

        @strawberry.federation.field(provides=["name"])
        def holder(self) -> Member:
            return Member(id=ID("m1"), provided_name=MEMBERS["m1"][0])

    @strawberry.type
    class Query:
        @strawberry.field
        def badges(self) -> list[Badge]:
            return [Badge(title="Kindness", nominee=Member(id=ID("m2"), provided_name=None))]

    return federation_schema(Query, [Member])
