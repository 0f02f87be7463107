"""Numbers, dates and lists as people read them, and short explanations of chart terms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from portal.charts.model import MeasureChart

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
MAX_DECIMALS = 4

# Said once, after the first sentence that uses the term (the portal also links the glossary).
EXPLANATIONS = (
    ("process limit", "The process limits show the range the values would normally stay "
                      "within by chance."),
    ("median", "The median is the middle value: half the values are above it and half below."),
)


def decimals_of(value: float) -> int:
    """How many decimal places a value needs, up to four."""
    digits = f"{abs(value):.{MAX_DECIMALS}f}".rstrip("0").split(".")[1]
    return len(digits)


def number(value: float, decimals: int | None = None) -> str:
    """1234.5 -> "1,234.5"; with `decimals`, rounded to that many places."""
    places = decimals_of(value) if decimals is None else decimals
    text = f"{value:,.{places}f}"
    return text[1:] if text.startswith("-") and float(text.replace(",", "")) == 0 else text


@dataclass(frozen=True, slots=True)
class Wording:
    """How one chart writes its numbers and dates, so every part of it says them alike."""

    decimals: int  # for worked-out numbers: averages and limits
    with_year: bool
    monthly: bool = False  # one value a month: a date is its month ("March 2026")

    @classmethod
    def for_chart(cls, chart: MeasureChart) -> Wording:
        data_decimals = max((decimals_of(p.value) for p in chart.points), default=0)
        years = {p.on.year for p in chart.points}
        return cls(decimals=min(data_decimals + 1, MAX_DECIMALS), with_year=len(years) > 1,
                   monthly=chart.monthly)

    def value(self, value: float) -> str:
        return number(value)

    def line(self, value: float | None) -> str:
        """A worked-out number, one decimal place finer than the data."""
        return "none" if value is None else number(value, self.decimals)

    def day(self, on: date) -> str:
        """A date in a sentence: "3 March", with the year when the chart spans years; a
        monthly chart's month always with its year ("March 2026")."""
        if self.monthly:
            return month_words(on)
        text = f"{on.day} {MONTHS[on.month - 1]}"
        return f"{text} {on.year}" if self.with_year else text

    @property
    def at(self) -> str:
        """The word before a date in a sentence: "On 3 March", "In March 2026"."""
        return "In" if self.monthly else "On"

    def label(self, on: date) -> str:
        """A date as a table's row heading: "3 March 2026", or a month "Mar 2026"."""
        return month_label(on) if self.monthly else full_date(on)


def full_date(on: date) -> str:
    return f"{on.day} {MONTHS[on.month - 1]} {on.year}"


def month_words(on: date) -> str:
    """The month of a date, in a sentence: "March 2026"."""
    return f"{MONTHS[on.month - 1]} {on.year}"


def month_label(on: date) -> str:
    """The month of a date, as a short label: "Mar 2026"."""
    return f"{MONTHS[on.month - 1][:3]} {on.year}"


def short_date(on: date, *, with_year: bool) -> str:
    text = f"{on.day} {MONTHS[on.month - 1][:3]}"
    return f"{text} {on.year}" if with_year else text


def join(items: Sequence[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def with_explanations(sentences: Sequence[str]) -> list[str]:
    """The sentences, each term explained once, right after the first sentence that uses it."""
    result: list[str] = []
    explained: set[str] = set()
    for sentence in sentences:
        result.append(sentence)
        for term, explanation in EXPLANATIONS:
            if term not in explained and term in sentence.lower():
                explained.add(term)
                result.append(explanation)
    return result
