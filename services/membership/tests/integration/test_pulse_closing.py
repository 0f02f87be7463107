"""Ended pulse months leave membership as counts (PulseMonthClosed), once each, and only a group of
five or more gets its energised-and-empowered figure."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from membership import service
from membership.api import create_app
from membership.domain.pulse import ClosedPulseMonth
from membership.settings import Settings
from servicekit.clock import clock_at
from servicekit.db import create_engine, session_factory, transaction
from servicekit.identity import HERO, Principal
from servicekit.testing import eventually, proxied, serve_app
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from ..conftest import Network, Person, scalar

CLOSED = "network.heroes.membership.pulse_month_closed.v1"
ENERGISED = [5, 4, 3, 4, 4]  # 4 or 5 to both statement 1 and statement 2
NOT_ENERGISED = [4, 3, 5, 5, 5]


def month_start(months_back: int) -> datetime:
    """Midnight UTC on the first day of the month `months_back` months before this one."""
    first = datetime.now(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for _ in range(months_back):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


async def answer(engine: AsyncEngine, people: list[Person], answers: list[list[int]], *, at: datetime) -> None:
    """Each person answers the pulse of the month `at` falls in (as if it were then)."""
    with clock_at(at):
        async with transaction(session_factory(engine)) as session:
            for person, given in zip(people, answers, strict=True):
                principal = Principal(member_id=UUID(person.id), organisation_id=UUID(person.organisation_id),
                                      roles=frozenset({HERO}))
                await service.submit_pulse(session, principal, answers=given)


async def close(engine: AsyncEngine, *, now: datetime) -> list[ClosedPulseMonth]:
    async with transaction(session_factory(engine)) as session:
        return await service.close_pulse_months(session, now=now)


async def closed_events(engine: AsyncEngine, *organisations: str) -> list[dict[str, Any]]:
    """The PulseMonthClosed payloads queued for these organisations, in send order."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT key, payload FROM outbox_messages WHERE type = :t AND key = ANY(:keys) ORDER BY position"),
            {"t": CLOSED, "keys": list(organisations)},
        )
        return [{"key": key, **payload} for key, payload in rows]


async def group(network: Network, size: int, kind: str = "ACUTE_TRUST") -> tuple[str, list[Person]]:
    organisation = await network.organisation(kind)
    return organisation, [await network.person(organisation) for _ in range(size)]


def mine(closed: list[ClosedPulseMonth], *organisations: str) -> list[ClosedPulseMonth]:
    return [month for month in closed if str(month.organisation_id) in organisations]


class TestClosingMonths:
    async def test_each_ended_month_is_announced_once_with_a_figure_only_for_five_or_more(
        self, network: Network, engine: AsyncEngine
    ) -> None:
        month, next_month = month_start(2), month_start(1)
        a, people_a = await group(network, 6)
        b, people_b = await group(network, 3, "VOLUNTARY_COMMUNITY_GROUP")
        await answer(engine, people_a, [ENERGISED] * 4 + [NOT_ENERGISED] * 2, at=month + timedelta(days=9))
        await answer(engine, people_b, [ENERGISED] * 3, at=month + timedelta(days=20))
        # Answers of the month in which the closing runs stay open, however late in it.
        await answer(engine, people_a[:5], [ENERGISED] * 5, at=next_month + timedelta(days=2))
        closing_at = next_month + timedelta(days=27, hours=23)

        first = await close(engine, now=closing_at)
        again = await close(engine, now=closing_at)

        label = month.strftime("%Y-%m")
        assert [(str(m.organisation_id), m.month, m.responses, m.energised_and_empowered)
                for m in mine(first, a, b)] == sorted([(a, label, 6, 4), (b, label, 3, None)])
        assert mine(again, a, b) == []
        events = await closed_events(engine, a, b)
        expected: list[dict[str, Any]] = [
            {"key": a, "organisation_id": a, "month": label, "responses": 6, "energised_and_empowered": 4,
             "closed_at": closing_at.isoformat().replace("+00:00", "Z")},
            {"key": b, "organisation_id": b, "month": label, "responses": 3, "energised_and_empowered": None,
             "closed_at": closing_at.isoformat().replace("+00:00", "Z")},
        ]
        assert sorted(events, key=lambda e: e["key"]) == sorted(expected, key=lambda e: e["key"])
        assert await scalar(engine, "SELECT count(*) FROM pulse_month_closures WHERE organisation_id = ANY(:o)",
                            o=[UUID(a), UUID(b)]) == 2

    async def test_the_current_month_is_never_closed(self, network: Network, engine: AsyncEngine) -> None:
        organisation, people = await group(network, 5)
        await answer(engine, people, [ENERGISED] * 5, at=datetime.now(UTC))

        closed = await close(engine, now=datetime.now(UTC))

        assert mine(closed, organisation) == []
        assert await closed_events(engine, organisation) == []

    async def test_two_closings_at_once_announce_each_month_once(
        self, network: Network, membership_url: str
    ) -> None:
        organisation, people = await group(network, 5)
        engine = create_engine(membership_url, pool_size=3)
        try:
            await answer(engine, people, [ENERGISED, ENERGISED, NOT_ENERGISED, NOT_ENERGISED, ENERGISED],
                         at=month_start(3) + timedelta(days=14))
            now = datetime.now(UTC)
            sessions = session_factory(engine)
            async with transaction(sessions) as first:
                first_closed = await service.close_pulse_months(first, now=now)
                # The second closer finds the month still open (the first has not committed) and waits
                # on its closure row ...
                second = asyncio.create_task(close(engine, now=now))
                await eventually(lambda: waiting_for_a_lock(engine), timeout=10)
                assert not second.done()
            # ... until the first commits; then it has nothing left to close.
            second_closed = await asyncio.wait_for(second, 10)

            assert [m.responses for m in mine(first_closed, organisation)] == [5]
            assert mine(second_closed, organisation) == []
            [event] = await closed_events(engine, organisation)
            assert (event["responses"], event["energised_and_empowered"]) == (5, 3)
        finally:
            await engine.dispose()


async def waiting_for_a_lock(engine: AsyncEngine) -> bool:
    return bool(await scalar(
        engine,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    ))


@contextmanager
def recorded(logger: str) -> Iterator[list[logging.LogRecord]]:
    """Records the named logger emits inside the block (the service's logging setup replaces root's handlers)."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    logging.getLogger(logger).addHandler(handler)
    try:
        yield records
    finally:
        logging.getLogger(logger).removeHandler(handler)


class TestInTheApi:
    async def test_the_api_closes_ended_months_when_it_starts(
        self, settings: Settings, network: Network, engine: AsyncEngine
    ) -> None:
        organisation, people = await group(network, 5)
        await answer(engine, people, [ENERGISED] * 5, at=month_start(4) + timedelta(days=3))
        app = create_app(settings.model_copy(update={"pulse_close_interval_seconds": 600}))

        async with serve_app(app):
            events = await eventually(lambda: closed_events(engine, organisation), timeout=20)
            task = app.state.pulse_closer.task

        assert [(e["responses"], e["energised_and_empowered"]) for e in events] == [(5, 5)]
        assert task is not None
        assert task.cancelled()

    async def test_while_the_database_is_away_it_logs_and_closes_once_it_is_back(
        self, settings: Settings, network: Network, engine: AsyncEngine
    ) -> None:
        organisation, people = await group(network, 2)
        await answer(engine, people, [ENERGISED] * 2, at=month_start(5) + timedelta(days=3))
        async with proxied(settings.dsn) as (proxy, url_via_proxy):
            app = create_app(settings.model_copy(update={"database_url": url_via_proxy,
                                                        "pulse_close_interval_seconds": 0.1}))
            proxy.cut()
            with recorded("membership.pulse_closing") as records:
                async with serve_app(app) as base, httpx.AsyncClient(timeout=10) as http:
                    await eventually(lambda: postponed_twice(records), timeout=20)
                    assert (await http.get(f"{base}/healthz")).status_code == 200

                    proxy.restore()
                    events = await eventually(lambda: closed_events(engine, organisation), timeout=20)
                    task = app.state.pulse_closer.task

        assert [(e["responses"], e["energised_and_empowered"]) for e in events] == [(2, None)]
        assert not [r for r in records if r.levelno >= logging.ERROR]
        assert task is not None
        assert task.cancelled()


async def postponed_twice(records: list[logging.LogRecord]) -> bool:
    return sum(r.getMessage() == "pulse.close_postponed" for r in records) >= 2
