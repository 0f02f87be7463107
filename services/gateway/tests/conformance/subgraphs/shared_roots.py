"""Conformance subgraphs: shareable root fields that no single subgraph can answer alone.

`medicine`/`medicines` are shareable roots in sr_names and sr_doses returning the value type
Medicine (no key): its `name` and `dose` only come from calling each root. `ward` is a shareable
root in sr_wards and sr_beds; sr_beds @provides the `name` it would otherwise lack.
"""

import strawberry

from .support import federation_schema

ID = strawberry.ID

MEDICINES = {"med1": ("Paracetamol", "500 mg"), "med2": ("Ibuprofen", "200 mg")}
WARDS = {"w1": ("Ash ward", 2, 18), "w2": ("Elm ward", 3, 12)}  # name, floor, beds


def sr_names() -> strawberry.federation.Schema:
    @strawberry.type
    class Medicine:
        id: ID = strawberry.federation.field(shareable=True)
        name: str

    @strawberry.type
    class Query:
        @strawberry.federation.field(shareable=True)
        def medicine(self) -> Medicine:
            return Medicine(id=ID("med1"), name=MEDICINES["med1"][0])

        @strawberry.federation.field(shareable=True)
        def medicines(self) -> list[Medicine]:
            return [Medicine(id=ID(key), name=name) for key, (name, _) in MEDICINES.items()]

    return federation_schema(Query)


def sr_doses() -> strawberry.federation.Schema:
    @strawberry.type
    class Medicine:
        id: ID = strawberry.federation.field(shareable=True)
        dose: str

    @strawberry.type
    class Query:
        @strawberry.federation.field(shareable=True)
        def medicine(self) -> Medicine:
            return Medicine(id=ID("med1"), dose=MEDICINES["med1"][1])

        @strawberry.federation.field(shareable=True)
        def medicines(self) -> list[Medicine]:
            return [Medicine(id=ID(key), dose=dose) for key, (_, dose) in MEDICINES.items()]

    return federation_schema(Query)


def sr_wards() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Ward:
        id: ID
        name: str = strawberry.federation.field(shareable=True)
        floor: int

        @classmethod
        def resolve_reference(cls, id: str) -> "Ward | None":
            if id not in WARDS:
                return None
            name, floor, _ = WARDS[id]
            return cls(id=ID(id), name=name, floor=floor)

    @strawberry.type
    class Query:
        @strawberry.federation.field(shareable=True)
        def ward(self, id: ID) -> Ward | None:
            return Ward.resolve_reference(id)

    return federation_schema(Query, [Ward])


def sr_beds() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Ward:
        id: ID
        name: str = strawberry.federation.field(external=True)
        beds: int

        @classmethod
        def resolve_reference(cls, id: str) -> "Ward | None":
            if id not in WARDS:
                return None
            name, _, beds = WARDS[id]
            return cls(id=ID(id), name=name, beds=beds)

    @strawberry.type
    class Query:
        @strawberry.federation.field(shareable=True, provides=["name"])
        def ward(self, id: ID) -> Ward | None:
            return Ward.resolve_reference(id)

    return federation_schema(Query, [Ward])
