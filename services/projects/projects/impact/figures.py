"""Monthly figures of every impact measure, for one organisation or the whole network.

Everything is counted from the impact tables at read time, so figures never drift from the
facts; one query per kind of measure. Months are calendar months in UTC, written YYYY-MM.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from projects.impact.catalogue import Unit

MINIMUM_PULSE_GROUP = 5
NOT_SHOWN = "Fewer than 5 answers this month, so not shown."
NO_ANSWERS = "No pulse answers this month."
STILL_OPEN = "This month's pulse is still open."
NOTHING_TO_DIVIDE = "Nothing to count this month."


@dataclass(frozen=True, slots=True)
class Value:
    month: str
    value: float | None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Months:
    """The months asked for, oldest first, with where each starts and stops (UTC)."""

    names: tuple[str, ...]

    @classmethod
    def ending(cls, now: datetime, count: int) -> Months:
        year, month = now.year, now.month
        names = []
        for _ in range(count):
            names.append(f"{year:04d}-{month:02d}")
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        return cls(tuple(reversed(names)))

    @property
    def starts(self) -> list[datetime]:
        return [_start(name) for name in self.names]

    @property
    def stops(self) -> list[datetime]:
        return [_start(_next(name)) for name in self.names]

    @property
    def current(self) -> str:
        return self.names[-1]


def _start(month: str) -> datetime:
    return datetime(int(month[:4]), int(month[5:]), 1, tzinfo=UTC)


def _next(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year + 1:04d}-01" if number == 12 else f"{year:04d}-{number + 1:02d}"


# Fact counts: (kind, detail or None, count distinct projects instead of facts).
FACT_COUNTS: dict[str, tuple[str, str | None, bool]] = {
    "heroes_joined_staff": ("joined", "staff", False),
    "heroes_joined_service_users": ("joined", "service_user", False),
    "heroes_joined_carers": ("joined", "carer", False),
    "heroes_joined_community": ("joined", "community", False),
    "levels_explorer": ("level", "1", False),
    "levels_practitioner": ("level", "2", False),
    "levels_leader": ("level", "3", False),
    "training_completions": ("training", None, False),
    "pdsa_cycles_completed": ("pdsa_completed", None, False),
    "projects_with_improvement": ("improvement", None, True),
    "kudos_given": ("kudos", None, False),
    "badges_awarded": ("badge", None, False),
    "nominations_granted": ("nomination_granted", None, False),
}
# A fact belongs to the organisation it names, else its member's, else its project's.
FACT_ORGANISATION = "COALESCE(f.organisation_id, p.organisation_id, pr.organisation_id)"
MONTHS = ("WITH m AS (SELECT * FROM unnest(CAST(:months AS text[]), CAST(:starts AS timestamptz[]), "
          "CAST(:stops AS timestamptz[])) AS m(month, start, stop))")
DURING = "{t}.started_at < m.stop AND ({t}.ended_at IS NULL OR {t}.ended_at >= m.start)"
COPRODUCERS = "('service_user', 'carer')"


class Figures:
    def __init__(self, session: AsyncSession, months: Months, organisation_id: UUID | None) -> None:
        self.session = session
        self.months = months
        self.organisation_id = organisation_id

    async def all(self) -> dict[str, list[Value]]:
        found: dict[str, list[Value]] = {}
        counts = await self._fact_counts()
        for key in FACT_COUNTS:
            found[key] = self._counts(counts.get(key, {}))
        found["recognition_to_service_users_share"] = await self._recognition_share()
        found["coproduction_reach"], found["big_i_share"] = await self._coproduction()
        found["active_pairings"], found["crossing_pairings"] = await self._pairings()
        found["pulse_energised_empowered_share"] = await self._pulse()
        return found

    async def _rows(self, sql: str, **params: Any) -> Sequence[Any]:
        # Every statement here is built from this module's constants and `_where_organisation` over fixed
        # column names (hence the S608 exemptions); values are always bound parameters.
        values = {"months": list(self.months.names), **params}
        if self.organisation_id is not None:
            values["org"] = self.organisation_id
        return (await self.session.execute(text(sql), values)).all()

    def _where_organisation(self, column: str) -> str:
        return f" AND {column} = :org" if self.organisation_id is not None else ""

    def _counts(self, by_month: dict[str, int]) -> list[Value]:
        return [Value(month, float(by_month.get(month, 0))) for month in self.months.names]

    async def _fact_counts(self) -> dict[str, dict[str, int]]:
        rows = await self._rows(
            "SELECT f.kind, f.detail, f.month, count(*), count(DISTINCT f.project_id) "
            "FROM impact_facts f "
            "LEFT JOIN impact_people p ON p.member_id = f.member_id "
            "LEFT JOIN impact_projects pr ON pr.project_id = f.project_id "
            "WHERE f.month = ANY(CAST(:months AS text[]))" + self._where_organisation(FACT_ORGANISATION)
            + " GROUP BY f.kind, f.detail, f.month"
        )
        by_kind: dict[tuple[str, str | None], dict[str, tuple[int, int]]] = {}
        for kind, detail, month, facts, projects in rows:
            by_kind.setdefault((kind, detail), {})[month] = (facts, projects)
        counts: dict[str, dict[str, int]] = {}
        for key, (kind, detail, distinct_projects) in FACT_COUNTS.items():
            months: dict[str, int] = {}
            for (found_kind, found_detail), per_month in by_kind.items():
                if found_kind != kind or (detail is not None and found_detail != detail):
                    continue
                for month, (facts, projects) in per_month.items():
                    months[month] = months.get(month, 0) + (projects if distinct_projects else facts)
            counts[key] = months
        return counts

    async def _recognition_share(self) -> list[Value]:
        rows = await self._rows(
            f"SELECT f.month, count(*) FILTER (WHERE p.type_group IN {COPRODUCERS}), count(*) "  # noqa: S608 - constants
            "FROM impact_facts f JOIN impact_people p ON p.member_id = f.member_id "
            "WHERE f.kind IN ('kudos', 'badge', 'nomination_granted') AND f.month = ANY(CAST(:months AS text[]))"
            + self._where_organisation("COALESCE(f.organisation_id, p.organisation_id)") + " GROUP BY f.month"
        )
        return self._shares({month: (part, whole) for month, part, whole in rows})

    async def _coproduction(self) -> tuple[list[Value], list[Value]]:
        params = {"starts": self.months.starts, "stops": self.months.stops}
        reach = await self._rows(
            f"{MONTHS} SELECT m.month, count(DISTINCT s.member_id) FROM m "  # noqa: S608 - constants
            f"JOIN impact_seats s ON {DURING.format(t='s')} "
            f"JOIN impact_projects pr ON pr.project_id = s.project_id AND {DURING.format(t='pr')} "
            "LEFT JOIN impact_people p ON p.member_id = s.member_id "
            f"WHERE (s.role = 'service_user_partner' OR p.type_group IN {COPRODUCERS})"
            + self._where_organisation("pr.organisation_id") + " GROUP BY m.month",
            **params,
        )
        big_i = await self._rows(
            f"{MONTHS} SELECT m.month, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM impact_seats s "  # noqa: S608 - constants
            f"WHERE s.project_id = pr.project_id AND s.role = 'service_user_partner' AND {DURING.format(t='s')})), "
            f"count(*) FROM m JOIN impact_projects pr ON {DURING.format(t='pr')} WHERE true"
            + self._where_organisation("pr.organisation_id") + " GROUP BY m.month",
            **params,
        )
        return (self._counts(dict(reach)),
                self._shares({month: (part, whole) for month, part, whole in big_i}))

    async def _pairings(self) -> tuple[list[Value], list[Value]]:
        rows = await self._rows(
            f"{MONTHS} SELECT m.month, count(*), count(*) FILTER (WHERE pa.crosses_organisations "  # noqa: S608 - constants
            "OR (a.type_group = 'staff') <> (b.type_group = 'staff')) FROM m "
            f"JOIN impact_pairings pa ON {DURING.format(t='pa')} "
            "LEFT JOIN impact_people a ON a.member_id = pa.first_member_id "
            "LEFT JOIN impact_people b ON b.member_id = pa.second_member_id WHERE true"
            + (" AND (a.organisation_id = :org OR b.organisation_id = :org)" if self.organisation_id else "")
            + " GROUP BY m.month",
            starts=self.months.starts, stops=self.months.stops,
        )
        return (self._counts({month: active for month, active, _ in rows}),
                self._counts({month: crossing for month, _, crossing in rows}))

    async def _pulse(self) -> list[Value]:
        # Only organisation-months of 5 or more answers carry a count (membership sends no other),
        # and a network figure is the sum of those: a small group never shows, alone or by difference.
        rows = await self._rows(
            "SELECT month, sum(responses) FILTER (WHERE positive IS NOT NULL), sum(positive), count(*) "
            "FROM impact_pulse WHERE month = ANY(CAST(:months AS text[]))"
            + self._where_organisation("organisation_id") + " GROUP BY month"
        )
        found = {month: (shown, positive, groups) for month, shown, positive, groups in rows}
        values = []
        for month in self.months.names:
            shown, positive, _ = found.get(month, (None, None, 0))
            if month == self.months.current:
                values.append(Value(month, None, STILL_OPEN))
            elif month not in found:
                values.append(Value(month, None, NO_ANSWERS))
            elif not shown or shown < MINIMUM_PULSE_GROUP:
                values.append(Value(month, None, NOT_SHOWN))
            else:
                values.append(Value(month, percent(int(positive), int(shown))))
        return values

    def _shares(self, by_month: dict[str, tuple[int, int]]) -> list[Value]:
        values = []
        for month in self.months.names:
            part, whole = by_month.get(month, (0, 0))
            values.append(Value(month, percent(part, whole)) if whole else Value(month, None, NOTHING_TO_DIVIDE))
        return values


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1)


UNITS = {Unit.COUNT: "count", Unit.PERCENT: "percent"}
