"""Conformance subgraphs: enum values a subgraph returns that the public schema does not have.

en_people's Role has AGENCY, marked @inaccessible, and returns it for one person; en_rota's Role
has no AGENCY at all and takes Role as an argument, so Role is both an input and an output.
"""

from enum import Enum

import strawberry

from .support import federation_schema

ID = strawberry.ID

PEOPLE = {"p1": ("Asha", "NURSE"), "p2": ("Kit", "AGENCY")}
SHIFTS = {"sh1": "NURSE", "sh2": "DOCTOR", "sh3": "NURSE"}


def en_people() -> strawberry.federation.Schema:
    @strawberry.enum
    class Role(Enum):
        NURSE = "NURSE"
        DOCTOR = "DOCTOR"
        AGENCY = strawberry.federation.enum_value("AGENCY", inaccessible=True)

    @strawberry.type
    class Person:
        id: ID
        name: str
        role: Role | None
        contract_role: Role

    @strawberry.type
    class Query:
        @strawberry.field
        def people(self) -> list[Person | None]:
            return [Person(id=ID(key), name=name, role=Role[role], contract_role=Role[role])
                    for key, (name, role) in PEOPLE.items()]

    return federation_schema(Query)


def en_rota() -> strawberry.federation.Schema:
    @strawberry.enum
    class Role(Enum):
        NURSE = "NURSE"
        DOCTOR = "DOCTOR"

    @strawberry.type
    class Shift:
        id: ID
        role: Role

    @strawberry.type
    class Query:
        @strawberry.field
        def shifts(self, role: Role) -> list[Shift]:
            return [Shift(id=ID(key), role=Role[value])
                    for key, value in SHIFTS.items() if value == role.value]

    return federation_schema(Query)
