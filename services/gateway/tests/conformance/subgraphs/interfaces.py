"""Conformance subgraphs: @interfaceObject and entity interfaces."""


import strawberry

ID = strawberry.ID


# --- @interfaceObject and entity interfaces ---------------------------------------------------------


def accounts() -> strawberry.federation.Schema:
    @strawberry.federation.interface(keys=["id"])
    class Account:
        id: ID
        name: str

        @classmethod
        def resolve_reference(cls, id: str) -> "Account":
            return {"a1": Admin(id=ID("a1"), name="Asha", level=3),
                    "g1": Guest(id=ID("g1"), name="Gil", expires="2027-01")}[id]

    @strawberry.federation.type(keys=["id"])
    class Admin(Account):
        level: int

    @strawberry.federation.type(keys=["id"])
    class Guest(Account):
        expires: str

    @strawberry.type
    class Query:
        @strawberry.field
        def accounts(self) -> list[Account]:
            return [Admin(id=ID("a1"), name="Asha", level=3), Guest(id=ID("g1"), name="Gil", expires="2027-01")]

    return strawberry.federation.Schema(query=Query, types=[Admin, Guest])


def billing() -> strawberry.federation.Schema:
    @strawberry.federation.interface_object(keys=["id"])
    class Account:
        id: ID
        balance: int

        @classmethod
        def resolve_reference(cls, id: str) -> "Account":
            return cls(id=ID(id), balance={"a1": 50, "g1": 0}[id])

    @strawberry.type
    class Query:
        @strawberry.field
        def richest(self) -> list[Account]:
            """Accounts by balance: billing knows them only as Account, not as Admin or Guest."""
            return [Account.resolve_reference("a1")]

    return strawberry.federation.Schema(query=Query, types=[Account])
