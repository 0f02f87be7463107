"""Conformance subgraphs: @interfaceObject fields, with and without @requires.

io_staff owns the entity interface Staff and its types Nurse and Porter. io_training sees Staff
only as an @interfaceObject: it adds `courses`, and `badge`, which requires `name` from io_staff.
"""

import strawberry

from .support import RequirementMissing, federation_schema

ID = strawberry.ID

NURSES = {"s1": ("Asha", "Ward 5")}
PORTERS = {"s2": ("Ben", "Nights")}
COURSES = {"s1": 4, "s2": 1}


def io_staff() -> strawberry.federation.Schema:
    @strawberry.federation.interface(keys=["id"])
    class Staff:
        id: ID
        name: str

        @classmethod
        def resolve_reference(cls, id: str) -> "Staff | None":
            return staff_member(id)

    @strawberry.federation.type(keys=["id"])
    class Nurse(Staff):
        ward: str

    @strawberry.federation.type(keys=["id"])
    class Porter(Staff):
        shift: str

    def staff_member(key: str) -> Staff | None:
        if key in NURSES:
            name, ward = NURSES[key]
            return Nurse(id=ID(key), name=name, ward=ward)
        if key in PORTERS:
            name, shift = PORTERS[key]
            return Porter(id=ID(key), name=name, shift=shift)
        return None

    @strawberry.type
    class Team:
        name: str
        lead: Staff

    @strawberry.type
    class Query:
        @strawberry.field
        def staff(self) -> list[Staff]:
            return [member for key in ("s1", "s2") if (member := staff_member(key))]

        @strawberry.field
        def nurses(self) -> list[Nurse]:
            return [member for key in NURSES if isinstance(member := staff_member(key), Nurse)]

        @strawberry.field
        def team(self) -> Team:
            return Team(name="Night team", lead=staff_member("s2"))  # type: ignore[arg-type]

    return federation_schema(Query, [Nurse, Porter])


def io_training() -> strawberry.federation.Schema:
    @strawberry.federation.interface_object(keys=["id"])
    class Staff:
        id: ID
        name: str = strawberry.federation.field(external=True)

        @strawberry.field
        def courses(self) -> int | None:
            return COURSES.get(self.id)

        @strawberry.federation.field(requires=["name"])
        def badge(self) -> str | None:
            if self.name is None:
                raise RequirementMissing("badge", "name")
            count = COURSES.get(self.id, 0)
            return f"{self.name}, {count} course{'' if count == 1 else 's'}"

        @classmethod
        def resolve_reference(cls, id: str, name: str | None = None) -> "Staff":
            return cls(id=ID(id), name=name)  # type: ignore[arg-type]

    @strawberry.type
    class Query:
        @strawberry.field
        def trainees(self) -> list[Staff]:
            """Staff in training, known here only as Staff: io_staff knows which type each is."""
            return [Staff(id=ID(key), name=None) for key in ("s2", "s1")]  # type: ignore[arg-type]

    return federation_schema(Query, [Staff])
