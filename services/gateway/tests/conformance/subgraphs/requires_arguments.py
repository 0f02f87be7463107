"""Conformance subgraphs: @requires on a field with arguments, next to the client's own arguments.

ra_stats requires `visits(limit: 3) { id }` for `recentSummary` and `visits(limit: 1) { note }` for
`latestNote`: two requirements on the same field with different arguments, which a client may
also select with a third `limit`.
"""

from typing import Any

import strawberry

from .support import RequirementMissing, federation_schema

ID = strawberry.ID

CLINICS = {"c1": "Riverside", "c2": "Hillside"}
VISITS = {  # clinic -> (visit id, note), newest first
    "c1": [("v1", "Flu jabs"), ("v2", "Blood tests"), ("v3", "Foot care"), ("v4", "Eye checks")],
    "c2": [("v5", "Hearing tests"), ("v6", "Flu jabs")],
}
NOTES = {visit: note for visits in VISITS.values() for visit, note in visits}


def ra_clinics() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Visit:
        id: ID
        note: str

        @classmethod
        def resolve_reference(cls, id: str) -> "Visit":
            return cls(id=ID(id), note=NOTES[id])

    @strawberry.federation.type(keys=["id"])
    class Clinic:
        id: ID
        name: str

        @strawberry.field
        def visits(self, limit: int) -> list[Visit]:
            return [Visit(id=ID(visit), note=note) for visit, note in VISITS[self.id][:limit]]

        @classmethod
        def resolve_reference(cls, id: str) -> "Clinic":
            return cls(id=ID(id), name=CLINICS[id])

    @strawberry.type
    class Query:
        @strawberry.field
        def clinics(self) -> list[Clinic]:
            return [Clinic(id=ID(key), name=name) for key, name in CLINICS.items()]

    return federation_schema(Query, [Clinic, Visit])


def ra_stats() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Visit:
        id: ID
        note: str = strawberry.federation.field(external=True)

    @strawberry.federation.type(keys=["id"])
    class Clinic:
        id: ID
        required_visits: strawberry.Private[list[dict[str, Any]] | None]

        @strawberry.federation.field(external=True)
        def visits(self, limit: int) -> list[Visit]:
            raise RequirementMissing("visits", "nothing: it is external here")

        @strawberry.federation.field(requires=["visits(limit: 3) { id }"])
        def recent_summary(self) -> str | None:
            visits = self.required_visits
            if visits is None or len(visits) > 3 or any("id" not in visit for visit in visits):
                raise RequirementMissing("recentSummary", "visits(limit: 3) { id }")
            return f"{len(visits)} recent: " + ", ".join(visit["id"] for visit in visits)

        @strawberry.federation.field(requires=["visits(limit: 1) { note }"])
        def latest_note(self) -> str | None:
            visits = self.required_visits
            if visits is None or len(visits) > 1 or any("note" not in visit for visit in visits):
                raise RequirementMissing("latestNote", "visits(limit: 1) { note }")
            return visits[0]["note"] if visits else None

        @classmethod
        def resolve_reference(cls, id: str, visits: list[dict[str, Any]] | None = None) -> "Clinic":
            return cls(id=ID(id), required_visits=visits)

    @strawberry.type
    class Query:
        stats_ready: bool = True

    return federation_schema(Query, [Clinic, Visit])
