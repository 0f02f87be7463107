"""The model of a random federated network: its types and fields, and where each lives."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypeVar

T = TypeVar("T")

SCALARS = ("Int", "String", "Boolean", "Float", "ID")
FIELD_NAMES = (
    "name",
    "size",
    "tag",
    "rank",
    "flag",
    "score",
    "note",
    "title",
    "count",
    "level",
    "price",
    "label",
)
FEDERATION_VERSION = "v2.7"
Kind = Literal["entity", "value", "interface", "union", "enum", "input", "entity_interface"]


class Choices(Protocol):
    """A source of decisions. Each shrinks towards its smallest answer: low numbers, False, the
    first option."""

    def integer(self, low: int, high: int) -> int: ...

    def chance(self, percent: int) -> bool: ...

    def choice(self, options: Sequence[T]) -> T: ...


class SeededChoices:
    """Choices from a seeded random generator: the same seed builds the same network."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)  # noqa: S311 - test data, not security

    def integer(self, low: int, high: int) -> int:
        return self.random.randint(low, high)

    def chance(self, percent: int) -> bool:
        return self.random.randrange(100) < percent

    def choice(self, options: Sequence[T]) -> T:
        return options[self.random.randrange(len(options))]


@dataclass(frozen=True)
class Sizes:
    """How big a network to build: (least, most) of each thing."""

    subgraphs: tuple[int, int] = (2, 6)
    entities: tuple[int, int] = (1, 4)
    values: tuple[int, int] = (0, 2)
    interfaces: tuple[int, int] = (0, 2)
    unions: tuple[int, int] = (0, 2)
    enums: tuple[int, int] = (0, 2)
    inputs: tuple[int, int] = (0, 1)
    entity_interfaces: tuple[int, int] = (0, 1)
    fields: tuple[int, int] = (1, 3)
    relations: tuple[int, int] = (1, 6)
    root_fields: tuple[int, int] = (1, 4)
    requires: tuple[int, int] = (0, 3)
    provides: tuple[int, int] = (0, 2)
    overrides: tuple[int, int] = (0, 1)
    inaccessible: tuple[int, int] = (0, 2)
    extenders: int = 3  # most subgraphs (besides the home) adding fields to one entity
    option_percent: int = 60  # chance a union member or implementation is one in a given subgraph
    # Chance a value type (or value interface) field may return a non-entity composite type. Value
    # types are written in full wherever they appear, so in a big network such fields would pull
    # most types into every subgraph.
    value_link_percent: int = 100


@dataclass
class Field:
    name: str
    type: str  # as written in SDL: "Int", "[Ent0!]!"
    args: str = ""  # as written in SDL: "(unit: String!)"
    owners: list[str] = field(default_factory=list)  # subgraphs resolving it (entities only)
    shareable: bool = False
    inaccessible: bool = False
    requires: str | None = None  # in its only owner
    provides: dict[str, str] = field(default_factory=dict)  # owner -> field set
    override_from: str | None = None  # owners[-1] took the field over from this subgraph
    external_in: set[str] = field(default_factory=set)
    special: bool = (
        False  # used by a key, interface, @requires, @provides or @override: leave alone
    )
    # Subgraph -> a narrower output type there (non-null, or a member of the union or interface).
    type_in: dict[str, str] = field(default_factory=dict)
    hidden_in: set[str] = field(
        default_factory=set
    )  # interface fields: subgraphs whose interface lacks it

    @property
    def named_type(self) -> str:
        return self.type.strip("[]!")

    def type_for(self, subgraph: str) -> str:
        return self.type_in.get(subgraph, self.type)


@dataclass
class Type:
    name: str
    kind: Kind
    fields: dict[str, Field] = field(default_factory=dict)
    home: str = ""  # entities and entity interfaces
    keys: list[str] = field(default_factory=list)  # entities: field sets; [0] is the primary key
    key_fields: set[str] = field(default_factory=set)
    declared_keys: dict[str, list[tuple[int, bool]]] = field(
        default_factory=dict
    )  # subgraph -> (key, resolvable)
    implements: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)  # union members, interface implementations
    options_in: dict[str, list[str]] = field(
        default_factory=dict
    )  # subgraph -> its members / implementations
    values: list[str] = field(default_factory=list)  # enum values
    hidden_values: set[str] = field(default_factory=set)
    inaccessible: bool = False
    object_in: set[str] = field(
        default_factory=set
    )  # entity interfaces: subgraphs with @interfaceObject
    core: str = ""  # unions and interfaces: the member or implementation every subgraph has

    @property
    def resolvers(self) -> list[str]:
        """Subgraphs declaring a resolvable key (entities), in a stable order."""
        return [
            s for s, keys in self.declared_keys.items() if any(resolvable for _, resolvable in keys)
        ]


@dataclass
class Network:
    subgraphs: list[str]
    types: dict[str, Type]
    query: dict[str, Field]  # root fields
