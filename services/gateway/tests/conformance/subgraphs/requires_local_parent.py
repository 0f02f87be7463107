"""Conformance subgraphs: @requires on an entity the requiring subgraph itself returned.

lp_projects owns `Project.owner: Member` and defines
`Member.displayLabel @requires(fields: "name")`, with `name` owned by lp_members. The owner is
reached inside lp_projects, yet displayLabel can only be resolved after a trip to lp_members and
an `_entities` call back into lp_projects.
"""

import strawberry

from .support import RequirementMissing, federation_schema

ID = strawberry.ID

MEMBERS = {"m1": ("Ada", "ada@example.org"), "m2": ("Bo", "bo@example.org")}
PROJECTS = {  # title, owner
    "p1": ("Falls clinic", "m1"),
    "p2": ("Hydration rounds", "m1"),
    "p3": ("Discharge letters", "m2"),
}


def lp_projects() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Member:
        id: ID
        name: str | None = strawberry.federation.field(external=True)

        @strawberry.federation.field(requires=["name"])
        def display_label(self) -> str | None:
            if self.name is None:
                raise RequirementMissing("displayLabel", "name")
            count = sum(owner == self.id for _, owner in PROJECTS.values())
            return f"{self.name} ({count} project{'' if count == 1 else 's'})"

        @classmethod
        def resolve_reference(cls, id: str, name: str | None = None) -> "Member":
            return cls(id=ID(id), name=name)

    @strawberry.federation.type(keys=["id"])
    class Project:
        id: ID
        title: str
        owner: Member

        @classmethod
        def resolve_reference(cls, id: str) -> "Project":
            return project(id)

    def project(key: str) -> Project:
        title, owner = PROJECTS[key]
        return Project(id=ID(key), title=title, owner=Member(id=ID(owner), name=None))

    @strawberry.type
    class Programme:
        name: str

        @strawberry.field
        def projects(self) -> list[Project]:
            return [project(key) for key in PROJECTS]

    @strawberry.type
    class Query:
        @strawberry.field
        def projects(self) -> list[Project]:
            return [project(key) for key in PROJECTS]

        @strawberry.field
        def programme(self) -> Programme:
            return Programme(name="Safer care")

        @strawberry.field(name="project")
        def project_by_id(self, id: ID) -> Project | None:
            return project(id) if id in PROJECTS else None

    return federation_schema(Query, [Member, Project])


def lp_members() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Member:
        id: ID
        name: str | None
        email: str

        @classmethod
        def resolve_reference(cls, id: str) -> "Member":
            name, email = MEMBERS[id]
            return cls(id=ID(id), name=name, email=email)

    @strawberry.type
    class Query:
        @strawberry.field
        def members(self) -> list[Member]:
            return [Member.resolve_reference(key) for key in MEMBERS]

    return federation_schema(Query, [Member])
