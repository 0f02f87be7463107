"""State and small helpers shared by the steps that build a network model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from .model import FIELD_NAMES, SCALARS, Choices, Field, Kind, Sizes, Type

T = TypeVar("T")


class BuilderBase:
    def __init__(self, choices: Choices, sizes: Sizes) -> None:
        self.c = choices
        self.sizes = sizes
        self.types: dict[str, Type] = {}
        self.query: dict[str, Field] = {}
        self.subgraphs: list[str] = []

    def count(self, bounds: tuple[int, int]) -> int:
        return self.c.integer(*bounds)

    def some(self, options: Sequence[T], percent: int, *, at_least: int = 0) -> list[T]:
        chosen = [option for option in options if self.c.chance(percent)]
        while len(chosen) < min(at_least, len(options)):
            extra = self.c.choice([o for o in options if o not in chosen])
            chosen.append(extra)
        return chosen

    @staticmethod
    def percent_for(expected: int, options: Sequence[object]) -> int:
        """A chance per option that picks about `expected` of them (at most 40%)."""
        return max(2, min(40, 100 * expected // max(1, len(options))))

    def of_kind(self, *kinds: Kind) -> list[Type]:
        return [t for t in self.types.values() if t.kind in kinds]

    # --- names and leaf types -----------------------------------------------------------------

    def new_type(self, prefix: str, kind: Kind) -> Type:
        number = sum(1 for name in self.types if name.rstrip("0123456789") == prefix)
        definition = self.types[f"{prefix}{number}"] = Type(f"{prefix}{number}", kind)
        return definition

    def field_name(self, taken: dict[str, Field] | set[str]) -> str:
        name = self.c.choice(FIELD_NAMES)
        suffix = 1
        while (name if suffix == 1 else f"{name}{suffix}") in taken:
            suffix += 1
        return name if suffix == 1 else f"{name}{suffix}"

    def taken(self, definition: Type) -> set[str]:
        """Field names `definition` cannot take: its own, and those an interface shares with its
        implementations (an @interfaceObject's fields reach every implementation)."""
        related = [self.types[o] for o in definition.options] + [
            self.types[i] for i in definition.implements
        ]
        return set(definition.fields).union(*(t.fields for t in related))

    def leaf_type(self) -> str:
        enums = [t.name for t in self.of_kind("enum")]
        named = (
            self.c.choice([*SCALARS, *enums])
            if enums and self.c.chance(30)
            else self.c.choice(SCALARS)
        )
        return named + ("!" if self.c.chance(40) else "")

    def targets(self) -> list[Type]:
        """Types a field may return (implementations of entity interfaces only through those)."""
        return [
            t
            for t in self.types.values()
            if t.kind in ("entity", "value", "interface", "union", "entity_interface")
            and not (
                t.kind == "entity"
                and t.implements
                and self.types[t.implements[0]].kind == "entity_interface"
            )
        ]

    def wrapped(self, named: str) -> str:
        return self.c.choice([named, f"{named}!", f"[{named}!]!", f"[{named}]"])
