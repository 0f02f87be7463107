"""Conformance subgraphs: a shareable value type completed by calling its parent entity elsewhere.

Appointment.slot returns Slot, a value type (no key) that each subgraph fills in part: pe_booking
knows `minutes`, pe_rooms knows `room` and pe_staff knows `clinician`. Those parts are only
reachable through `_entities` on the parent Appointment; pe_rooms only accepts the compound key
`id clinicCode`, which pe_booking holds.
"""

import strawberry

from .support import federation_schema

ID = strawberry.ID

APPOINTMENTS = {  # clinic code, start, minutes, room, step-free, clinician
    "a1": ("RIV", "09:00", 20, "Room 4", True, "Dr Shah"),
    "a2": ("HIL", "10:30", 40, "Room 1", False, "Nurse Lee"),
}


def pe_booking() -> strawberry.federation.Schema:
    @strawberry.type
    class Slot:
        start: str = strawberry.federation.field(shareable=True)
        minutes: int

    @strawberry.federation.type(keys=["id", "id clinicCode"])
    class Appointment:
        id: ID
        clinic_code: str
        slot: Slot = strawberry.federation.field(shareable=True)

        @classmethod
        def resolve_reference(cls, id: str, **_: str) -> "Appointment":
            code, start, minutes, *_rest = APPOINTMENTS[id]
            return cls(id=ID(id), clinic_code=code, slot=Slot(start=start, minutes=minutes))

    @strawberry.type
    class Query:
        @strawberry.field
        def appointments(self) -> list[Appointment]:
            return [Appointment.resolve_reference(key) for key in APPOINTMENTS]

    return federation_schema(Query, [Appointment])


def pe_rooms() -> strawberry.federation.Schema:
    @strawberry.type
    class Room:
        name: str
        step_free: bool

    @strawberry.type
    class Slot:
        start: str = strawberry.federation.field(shareable=True)
        room: Room

    @strawberry.federation.type(keys=["id clinicCode"])
    class Appointment:
        id: ID
        clinic_code: str
        slot: Slot = strawberry.federation.field(shareable=True)

        @classmethod
        def resolve_reference(cls, id: str, clinicCode: str) -> "Appointment | None":  # noqa: N803 - key field name
            code, start, _, room, step_free, _ = APPOINTMENTS[id]
            if code != clinicCode:
                return None
            room_here = Room(name=room, step_free=step_free)
            return cls(id=ID(id), clinic_code=code, slot=Slot(start=start, room=room_here))

    @strawberry.type
    class Query:
        rooms_ready: bool = True

    return federation_schema(Query, [Appointment])


def pe_staff() -> strawberry.federation.Schema:
    @strawberry.type
    class Slot:
        start: str = strawberry.federation.field(shareable=True)
        clinician: str

    @strawberry.federation.type(keys=["id"])
    class Appointment:
        id: ID
        slot: Slot = strawberry.federation.field(shareable=True)

        @classmethod
        def resolve_reference(cls, id: str) -> "Appointment":
            _, start, *_rest, clinician = APPOINTMENTS[id]
            return cls(id=ID(id), slot=Slot(start=start, clinician=clinician))

    @strawberry.type
    class Query:
        @strawberry.field
        def next_appointment(self) -> Appointment:
            return Appointment.resolve_reference("a2")

    return federation_schema(Query, [Appointment])
