"""Conformance subgraphs: @requires chains, and a @requires on fields owned by two other subgraphs.

Training courses. `advice` requires `band`, which itself requires `fee`; `freeToStaff` requires
`netFee`, which requires `fee` (from rc_catalog) and `grant` (from rc_funding) together.
"""

from typing import Any

import strawberry

from .support import RequirementMissing, federation_schema

ID = strawberry.ID

COURSES = {"c1": ("First aid", 400), "c2": ("Manual handling", 150)}
GRANTS = {"c1": 100, "c2": 150}


def rc_catalog() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Course:
        id: ID
        title: str
        fee: int | None

        @classmethod
        def resolve_reference(cls, id: str) -> "Course | None":
            if id not in COURSES:
                return None
            title, fee = COURSES[id]
            return cls(id=ID(id), title=title, fee=fee)

    @strawberry.type
    class Query:
        @strawberry.field
        def courses(self) -> list[Course]:
            return [Course.resolve_reference(key) for key in COURSES]  # type: ignore[misc]

    return federation_schema(Query, [Course])


def rc_funding() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Course:
        id: ID
        grant: int | None

        @classmethod
        def resolve_reference(cls, id: str) -> "Course":
            return cls(id=ID(id), grant=GRANTS.get(id))

    @strawberry.type
    class Query:
        funding_ready: bool = True

    return federation_schema(Query, [Course])


def rc_costs() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Course:
        id: ID
        fee: int | None = strawberry.federation.field(external=True)
        grant: int | None = strawberry.federation.field(external=True)

        @strawberry.federation.field(requires=["fee"])
        def band(self) -> str | None:
            if self.fee is None:
                raise RequirementMissing("band", "fee")
            return "high" if self.fee >= 300 else "low"

        @strawberry.federation.field(requires=["fee grant"])
        def net_fee(self) -> int | None:
            if self.fee is None or self.grant is None:
                raise RequirementMissing("netFee", "fee and grant")
            return self.fee - self.grant

        @classmethod
        def resolve_reference(
            cls, id: str, fee: int | None = None, grant: int | None = None
        ) -> "Course":
            return cls(id=ID(id), fee=fee, grant=grant)

    @strawberry.type
    class Query:
        @strawberry.field
        def cheapest_course(self) -> Course:
            """Known here by id only: its fee and grant live in the other subgraphs."""
            return Course(id=ID("c2"), fee=None, grant=None)

    return federation_schema(Query, [Course])


def rc_advice() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Course:
        id: ID
        band: str | None = strawberry.federation.field(external=True)
        net_fee: int | None = strawberry.federation.field(external=True)

        @strawberry.federation.field(requires=["band"])
        def advice(self) -> str | None:
            if self.band is None:
                raise RequirementMissing("advice", "band")
            return "Ask your manager first" if self.band == "high" else "Book directly"

        @strawberry.federation.field(requires=["netFee"])
        def free_to_staff(self) -> bool | None:
            if self.net_fee is None:
                raise RequirementMissing("freeToStaff", "netFee")
            return self.net_fee == 0

        @classmethod
        def resolve_reference(cls, id: str, **required: Any) -> "Course":
            return cls(id=ID(id), band=required.get("band"), net_fee=required.get("netFee"))

    @strawberry.type
    class Query:
        advice_ready: bool = True

    return federation_schema(Query, [Course])
