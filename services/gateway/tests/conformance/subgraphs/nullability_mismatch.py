"""Conformance subgraphs: shareable fields whose nullability differs between subgraphs.

In nm_people `Patient.id` is `ID!` and `Patient.code` is `String!`, while Carer's are nullable.
nm_links declares both nullable, so in the supergraph all four are nullable and a client may
select `... on Patient { id code } ... on Carer { id code }`. Sent to nm_people as written, that
selection fails validation: "Fields 'id' conflict because they return conflicting types ID! and
ID".
"""

from typing import Annotated

import strawberry

from .support import federation_schema

ID = strawberry.ID

PATIENTS = {"pt1": ("Rosa", "P-100", ["cr1"])}  # name, code, carers
CARERS = [("cr1", "Dev", "C-7"), (None, "Neighbour", None)]  # id, name, code


def nm_people() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Patient:
        id: ID
        name: str = strawberry.federation.field(shareable=True)
        code: str = strawberry.federation.field(shareable=True)

        @classmethod
        def resolve_reference(cls, id: str) -> "Patient":
            name, code, _ = PATIENTS[id]
            return cls(id=ID(id), name=name, code=code)

    @strawberry.federation.type(shareable=True)
    class Carer:
        id: ID | None
        name: str
        code: str | None

    Contact = Annotated[Patient | Carer, strawberry.union("Contact")]  # noqa: N806 - a GraphQL type, named like one

    @strawberry.type
    class Query:
        @strawberry.field
        def contacts(self) -> list[Contact]:
            carers = [Carer(id=ID(key) if key else None, name=name, code=code)
                      for key, name, code in CARERS]
            return [Patient.resolve_reference("pt1"), *carers]

    return federation_schema(Query, [Patient])


def nm_links() -> strawberry.federation.Schema:
    @strawberry.federation.type(shareable=True)
    class Carer:
        id: ID | None
        name: str
        code: str | None

    def carer(key: str) -> Carer:
        return next(Carer(id=ID(key), name=name, code=code)
                    for found, name, code in CARERS if found == key)

    @strawberry.federation.type(keys=["id"])
    class Patient:
        id: ID | None
        code: str | None = strawberry.federation.field(shareable=True)
        carers: list[Carer]

        @classmethod
        def resolve_reference(cls, id: str) -> "Patient":
            _, code, carers = PATIENTS[id]
            return cls(id=ID(id), code=code, carers=[carer(key) for key in carers])

    Contact = Annotated[Patient | Carer, strawberry.union("Contact")]  # noqa: N806 - a GraphQL type, named like one

    @strawberry.type
    class Query:
        @strawberry.field
        def linked(self) -> list[Contact]:
            return [carer("cr1"), Patient.resolve_reference("pt1")]

    return federation_schema(Query, [Patient])
