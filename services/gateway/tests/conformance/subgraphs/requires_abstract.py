"""Conformance subgraphs: @requires through an interface-typed field, with inline fragments.

Residents live in a Home (an interface). rq_care requires `home { town }` (a field of the
interface), `home { town ... on Staffed { staff ... on CareHome { beds } } }` (fragments on an
interface nested inside the interface) and `home { ... on OwnHome { rooms } }` (an object type).
"""

from typing import Any

import strawberry

from .support import RequirementMissing, federation_schema

ID = strawberry.ID

RESIDENTS = {"r1": ("Iris", "h1"), "r2": ("Omar", "h2"), "r3": ("Nell", "h3")}
CARE_HOMES = {"h1": ("Leeds", 12, 30), "h3": ("Hull", 4, 8)}  # town, staff, beds
OWN_HOMES = {"h2": ("York", 3)}  # town, rooms
FUNDING_NEEDS = "home { town ... on Staffed { staff ... on CareHome { beds } } }"


def _home_types() -> tuple[type, type, type, type]:
    """Home, Staffed, CareHome and OwnHome: value types both subgraphs declare alike."""

    @strawberry.interface
    class Home:
        id: ID
        town: str

    @strawberry.interface
    class Staffed(Home):
        staff: int

    @strawberry.federation.type(shareable=True)
    class CareHome(Staffed):
        beds: int

    @strawberry.federation.type(shareable=True)
    class OwnHome(Home):
        rooms: int

    return Home, Staffed, CareHome, OwnHome


def rq_homes() -> strawberry.federation.Schema:
    Home, Staffed, CareHome, OwnHome = _home_types()  # noqa: N806 - a GraphQL type, named like one

    def home_of(key: str) -> Any:
        if key in CARE_HOMES:
            town, staff, beds = CARE_HOMES[key]
            return CareHome(id=ID(key), town=town, staff=staff, beds=beds)
        town, rooms = OWN_HOMES[key]
        return OwnHome(id=ID(key), town=town, rooms=rooms)

    @strawberry.federation.type(keys=["id"])
    class Resident:
        id: ID
        name: str = strawberry.federation.field(shareable=True)
        home: Home  # type: ignore[valid-type]

        @classmethod
        def resolve_reference(cls, id: str) -> "Resident":
            name, home = RESIDENTS[id]
            return cls(id=ID(id), name=name, home=home_of(home))

    @strawberry.type
    class Query:
        @strawberry.field
        def residents(self) -> list[Resident]:
            return [Resident.resolve_reference(key) for key in ("r1", "r2")]

    return federation_schema(Query, [Resident, Staffed, CareHome, OwnHome])


def rq_care() -> strawberry.federation.Schema:
    Home, Staffed, CareHome, OwnHome = _home_types()  # noqa: N806 - a GraphQL type, named like one

    @strawberry.federation.type(keys=["id"])
    class Resident:
        id: ID
        name: str = strawberry.federation.field(shareable=True)
        home: Home = strawberry.federation.field(external=True)  # type: ignore[valid-type]
        required_home: strawberry.Private[dict[str, Any] | None]

        def _home(self, field: str, required: str) -> dict[str, Any]:
            if self.required_home is None:
                raise RequirementMissing(field, required)
            return self.required_home

        @strawberry.federation.field(requires=["home { town }"])
        def visit_plan(self) -> str | None:
            return f"Weekly visit from the {self._home('visitPlan', 'home { town }')['town']} team"

        @strawberry.federation.field(requires=[FUNDING_NEEDS])
        def funding_note(self) -> str | None:
            home = self._home("fundingNote", FUNDING_NEEDS)
            if "beds" in home:
                return f"Care home in {home['town']}: {home['beds']} beds, {home['staff']} staff"
            return f"Own home in {home['town']}: no care home funding"

        @strawberry.federation.field(requires=["home { ... on OwnHome { rooms } }"])
        def room_note(self) -> str | None:
            home = self._home("roomNote", "home { ... on OwnHome { rooms } }")
            return f"{home['rooms']} rooms to assess" if "rooms" in home else None

        @classmethod
        def resolve_reference(cls, id: str, home: dict[str, Any] | None = None) -> "Resident":
            return cls(id=ID(id), name=RESIDENTS[id][0], home=None, required_home=home)

    @strawberry.type
    class Query:
        @strawberry.field
        def newest_resident(self) -> Resident:
            """Known here without a home: that lives in rq_homes."""
            return Resident(id=ID("r3"), name="Nell", home=None, required_home=None)

    return federation_schema(Query, [Resident, Staffed, CareHome, OwnHome])
