"""Scales from values and point positions to SVG coordinates, and tidy tick values."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def rounded(coordinate: float) -> float:
    """Coordinates are written with two decimals: geometry and SVG agree exactly."""
    return round(coordinate, 2)


@dataclass(frozen=True, slots=True)
class ValueScale:
    """Maps values in [low, high] to y between `bottom` (low) and `top` (high)."""

    low: float
    high: float
    top: float
    bottom: float

    def y(self, value: float) -> float:
        share = (value - self.low) / (self.high - self.low)
        return rounded(self.bottom - share * (self.bottom - self.top))


@dataclass(frozen=True, slots=True)
class IndexScale:
    """Points equally spaced across [left, right], each in the middle of its own slot."""

    count: int
    left: float
    right: float

    @property
    def slot(self) -> float:
        return (self.right - self.left) / max(self.count, 1)

    def x(self, index: int) -> float:
        return rounded(self.left + (index + 0.5) * self.slot)

    def slot_start(self, index: int) -> float:
        return rounded(self.left + index * self.slot)


def value_ticks(values: Iterable[float], *, top: float, bottom: float,
                wanted: int = 5) -> tuple[ValueScale, tuple[float, ...]]:
    """A scale over `values` with some room, ending on tidy ticks (about `wanted` of them)."""
    seen = list(values)
    low, high = min(seen), max(seen)
    if high == low:
        spread = abs(low) * 0.1 or 1.0
        low, high = low - spread, high + spread
    room = (high - low) * 0.05
    step = _nice_step((high - low + 2 * room) / (wanted - 1))
    first = math.floor((low - room) / step)
    last = math.ceil((high + room) / step)
    places = max(0, -math.floor(math.log10(step)) + 1)
    ticks = tuple(round(k * step, places) for k in range(first, last + 1))
    return ValueScale(ticks[0], ticks[-1], top, bottom), ticks


def _nice_step(rough: float) -> float:
    power = 10.0 ** math.floor(math.log10(rough))
    return next(n * power for n in NICE_STEPS if n * power >= rough)
