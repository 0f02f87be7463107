"""Conformance subgraphs: a union and an interface whose members differ between subgraphs.

ai_left has `Resource = Leaflet | Video` and Contact implemented by Nurse and Pharmacist;
ai_right has `Resource = Leaflet | Podcast` and Contact implemented by Nurse and Volunteer.
The supergraph has every member, but each subgraph may only be asked about its own.
"""

from typing import Annotated

import strawberry

from .support import federation_schema

LEAFLET = "Staying active"
NURSE = ("Nurse Lee", "Ward 5")


def ai_left() -> strawberry.federation.Schema:
    @strawberry.federation.type(shareable=True)
    class Leaflet:
        title: str

    @strawberry.type
    class Video:
        title: str
        minutes: int

    Resource = Annotated[Leaflet | Video, strawberry.union("Resource")]  # noqa: N806 - a GraphQL type, named like one

    @strawberry.interface
    class Contact:
        name: str

    @strawberry.federation.type(shareable=True)
    class Nurse(Contact):
        ward: str

    @strawberry.type
    class Pharmacist(Contact):
        licence: str

    @strawberry.type
    class Query:
        @strawberry.federation.field(shareable=True)
        def resource(self) -> Resource:
            return Leaflet(title=LEAFLET)

        @strawberry.federation.field(shareable=True)
        def helpline(self) -> Contact:
            return Nurse(name=NURSE[0], ward=NURSE[1])

        @strawberry.field
        def pharmacist(self) -> Contact:
            return Pharmacist(name="Sam Patel", licence="GPhC 2087")

        @strawberry.field
        def videos(self) -> list[Resource]:
            return [Video(title="Chair exercises", minutes=12)]

    return federation_schema(Query, [Nurse, Pharmacist])


def ai_right() -> strawberry.federation.Schema:
    @strawberry.federation.type(shareable=True)
    class Leaflet:
        title: str

    @strawberry.type
    class Podcast:
        title: str
        episodes: int

    Resource = Annotated[Leaflet | Podcast, strawberry.union("Resource")]  # noqa: N806 - a GraphQL type, named like one

    @strawberry.interface
    class Contact:
        name: str

    @strawberry.federation.type(shareable=True)
    class Nurse(Contact):
        ward: str

    @strawberry.type
    class Volunteer(Contact):
        hours: int

    @strawberry.type
    class Query:
        @strawberry.federation.field(shareable=True)
        def resource(self) -> Resource:
            return Leaflet(title=LEAFLET)

        @strawberry.federation.field(shareable=True)
        def helpline(self) -> Contact:
            return Nurse(name=NURSE[0], ward=NURSE[1])

        @strawberry.field
        def latest_podcast(self) -> Resource:
            return Podcast(title="Caring at home", episodes=8)

        @strawberry.field
        def volunteers(self) -> list[Contact]:
            return [Volunteer(name="Jo", hours=6), Nurse(name=NURSE[0], ward=NURSE[1])]

    return federation_schema(Query, [Nurse, Volunteer])
