"""Conformance subgraphs: interface keys and interface objects declared with `resolvable: false`.

nr_supplies owns the entity interface Item (Glove, Mask). nr_stock declares Item with
`@key(fields: "id", resolvable: false)`: it adds `stock` to Item, but can only be entered through
Glove's and Mask's own keys. nr_orders references Item as a non-resolvable @interfaceObject and
cannot say which type an item is.
"""

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

from .support import federation_schema

ID = strawberry.ID

GLOVES = {"i1": ("Nitrile gloves", "M")}
MASKS = {"i2": ("Face masks", "FFP3")}
STOCK = {"i1": 40, "i2": 3}


def nr_supplies() -> strawberry.federation.Schema:
    @strawberry.federation.interface(keys=["id"])
    class Item:
        id: ID
        label: str

        @classmethod
        def resolve_reference(cls, id: str) -> "Item | None":
            return item(id)

    @strawberry.federation.type(keys=["id"])
    class Glove(Item):
        size: str

    @strawberry.federation.type(keys=["id"])
    class Mask(Item):
        grade: str

    def item(key: str) -> Item | None:
        if key in GLOVES:
            label, size = GLOVES[key]
            return Glove(id=ID(key), label=label, size=size)
        if key in MASKS:
            label, grade = MASKS[key]
            return Mask(id=ID(key), label=label, grade=grade)
        return None

    @strawberry.type
    class Query:
        @strawberry.field
        def items(self) -> list[Item]:
            return [found for key in ("i1", "i2") if (found := item(key))]

    return federation_schema(Query, [Glove, Mask])


def nr_stock() -> strawberry.federation.Schema:
    @strawberry.federation.interface(keys=[Key(fields=FieldSet("id"), resolvable=False)])
    class Item:
        id: ID
        stock: int

    @strawberry.federation.type(keys=["id"])
    class Glove(Item):
        @classmethod
        def resolve_reference(cls, id: str) -> "Glove":
            return cls(id=ID(id), stock=STOCK[id])

    @strawberry.federation.type(keys=["id"])
    class Mask(Item):
        @classmethod
        def resolve_reference(cls, id: str) -> "Mask":
            return cls(id=ID(id), stock=STOCK[id])

    @strawberry.type
    class Query:
        @strawberry.field
        def low_stock(self) -> list[Item]:
            return [Mask(id=ID(key), stock=count) for key, count in STOCK.items() if count < 10]

    return federation_schema(Query, [Glove, Mask])


def nr_orders() -> strawberry.federation.Schema:
    @strawberry.federation.interface_object(keys=[Key(fields=FieldSet("id"), resolvable=False)])
    class Item:
        id: ID

    @strawberry.type
    class Order:
        id: ID
        quantity: int
        item: Item

    @strawberry.type
    class Query:
        @strawberry.field
        def orders(self) -> list[Order]:
            return [Order(id=ID("o1"), quantity=100, item=Item(id=ID("i1"))),
                    Order(id=ID("o2"), quantity=20, item=Item(id=ID("i2")))]

    return federation_schema(Query, [Item])

