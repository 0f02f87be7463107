"""Conformance subgraphs: interfaces and unions nested four levels deep over three subgraphs.

A care timeline: `Entry` (interface: Visit, Call) -> `Finding` (union: Observation, Prescription)
-> `Reading` (interface) in na_records, or -> `Medicine` (interface: Tablet, Liquid, in
na_pharmacy) -> `Supplier` (union: Pharmacy, Wholesaler, named in na_suppliers).
"""

from typing import Annotated

import strawberry

from .support import federation_schema

ID = strawberry.ID

# medicine kind, name, strength or millilitres, supplier kind, supplier id
PRESCRIPTIONS: dict[str, tuple[str, str, str | int, str, str]] = {
    "rx1": ("tablet", "Amlodipine", "5 mg", "pharmacy", "ph1"),
    "rx2": ("liquid", "Oral rehydration", 200, "wholesaler", "wh1"),
}
PHARMACIES = {"ph1": ("High Street Pharmacy", "Leeds")}
WHOLESALERS = {"wh1": "MedSupply"}


def na_records() -> strawberry.federation.Schema:
    @strawberry.interface
    class Reading:
        unit: str

    @strawberry.type
    class BloodPressure(Reading):
        systolic: int
        diastolic: int

    @strawberry.type
    class Temperature(Reading):
        celsius: float

    @strawberry.type
    class Observation:
        label: str
        reading: Reading

    @strawberry.federation.type(keys=["id"])
    class Prescription:
        id: ID

    Finding = Annotated[Observation | Prescription, strawberry.union("Finding")]  # noqa: N806 - a GraphQL type, named like one

    @strawberry.interface
    class Entry:
        id: ID
        at: str

    @strawberry.federation.type(keys=["id"])
    class Visit(Entry):
        findings: list[Finding]

    @strawberry.federation.type(keys=["id"])
    class Call(Entry):
        minutes: int

    @strawberry.type
    class Query:
        @strawberry.field
        def timeline(self) -> list[Entry]:
            findings: list[Observation | Prescription] = [
                Observation(label="Blood pressure",
                            reading=BloodPressure(unit="mmHg", systolic=128, diastolic=82)),
                Prescription(id=ID("rx1")),
                Observation(label="Temperature", reading=Temperature(unit="C", celsius=37.2)),
                Prescription(id=ID("rx2")),
            ]
            return [Visit(id=ID("v1"), at="2025-03-01 09:00", findings=findings),
                    Call(id=ID("c1"), at="2025-03-02 14:00", minutes=10)]

    return federation_schema(Query, [BloodPressure, Temperature, Visit, Call])


def na_pharmacy() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Pharmacy:
        id: ID

    @strawberry.federation.type(keys=["id"])
    class Wholesaler:
        id: ID

    Supplier = Annotated[Pharmacy | Wholesaler, strawberry.union("Supplier")]  # noqa: N806 - a GraphQL type, named like one

    @strawberry.interface
    class Medicine:
        name: str
        supplier: Supplier

    @strawberry.type
    class Tablet(Medicine):
        strength: str

    @strawberry.type
    class Liquid(Medicine):
        millilitres: int

    @strawberry.federation.type(keys=["id"])
    class Prescription:
        id: ID
        item: Medicine

        @classmethod
        def resolve_reference(cls, id: str) -> "Prescription":
            kind, name, amount, supplier_kind, supplier_id = PRESCRIPTIONS[id]
            supplier: Pharmacy | Wholesaler = (
                Pharmacy(id=ID(supplier_id)) if supplier_kind == "pharmacy"
                else Wholesaler(id=ID(supplier_id))
            )
            item: Medicine = (
                Tablet(name=name, supplier=supplier, strength=str(amount)) if kind == "tablet"
                else Liquid(name=name, supplier=supplier, millilitres=int(amount))
            )
            return cls(id=ID(id), item=item)

    @strawberry.type
    class Query:
        @strawberry.field
        def prescription(self, id: ID) -> Prescription | None:
            return Prescription.resolve_reference(id) if id in PRESCRIPTIONS else None

    return federation_schema(Query, [Pharmacy, Wholesaler, Tablet, Liquid, Prescription])


def na_suppliers() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Pharmacy:
        id: ID
        name: str
        town: str

        @classmethod
        def resolve_reference(cls, id: str) -> "Pharmacy":
            name, town = PHARMACIES[id]
            return cls(id=ID(id), name=name, town=town)

    @strawberry.federation.type(keys=["id"])
    class Wholesaler:
        id: ID
        name: str

        @classmethod
        def resolve_reference(cls, id: str) -> "Wholesaler":
            return cls(id=ID(id), name=WHOLESALERS[id])

    @strawberry.type
    class Query:
        suppliers_ready: bool = True

    return federation_schema(Query, [Pharmacy, Wholesaler])
