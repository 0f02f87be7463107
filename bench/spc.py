"""Projects benchmark (not a test): the SPC engine alone, then Measure.chart over GraphQL.

Run with `make bench` (or `python -m devstack bench bench/spc.py`, which gives it
isolated PostgreSQL and Kafka). In one run it prints:
  1. SPC over 10,000 seeded random series of 60 points: series per second for each rule set;
  2. `Measure.chart` over HTTP/GraphQL for one measure of 500 points: p50 and p99 latency
     of 200 sequential requests (after 20 warm-up requests), for each rule set.
"""

from __future__ import annotations

import asyncio
import logging
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import uuid4

# Python puts this file's folder first on sys.path; bench/ holds files named like our packages
# (membership.py, recognition.py), so it is taken off the path before importing the service.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import httpx  # noqa: E402, I001 - after the sys.path fix above
from servicekit.db import create_engine, session_factory, transaction  # noqa: E402
from servicekit.identity import Principal  # noqa: E402
from servicekit.migrations import drop_database, upgrade  # noqa: E402
from servicekit.testing import fresh_database_url, serve_app  # noqa: E402

from projects import domain, service, spc  # noqa: E402
from projects.api import create_app  # noqa: E402
from projects.repository import MeasureRepository  # noqa: E402
from projects.settings import Settings  # noqa: E402

SERIES = 10_000
POINTS = 60
CHART_POINTS = 500
REQUESTS = 200
WARM_UP = 20
SERVICE_DIR = Path(__file__).resolve().parents[1] / "services" / "projects"
START = date(2015, 1, 5)


def random_series(rng: random.Random, length: int) -> list[spc.Observation]:
    level, values = rng.uniform(10, 100), []
    for i in range(length):
        if rng.random() < 0.03:
            level += rng.gauss(0, 10)  # an occasional real change, so rules fire
        values.append(
            spc.Observation(f"p{i}", START + timedelta(weeks=i), round(level + rng.gauss(0, 4), 2))
        )
    return values


def bench_engine() -> None:
    rng = random.Random(2026)  # noqa: S311 - reproducible data, not secrets
    all_series = [random_series(rng, POINTS) for _ in range(SERIES)]
    for rule_set in spc.RuleSetName:
        started = time.perf_counter()
        signals = 0
        for observations in all_series:
            chart = spc.build_chart(
                observations, rule_set=rule_set, direction=spc.Direction.UP, target=50.0
            )
            signals += len(chart.signals)
        elapsed = time.perf_counter() - started
        print(
            f"spc {rule_set.value:>14}: {SERIES / elapsed:9,.0f} series/s "
            f"({SERIES:,} series of {POINTS} points in {elapsed:.2f}s, {signals:,} signals)"
        )


async def seed_measure(database_url: str) -> str:
    """A network-visible project with one measure of 500 weekly points; returns the project id."""
    engine = create_engine(database_url, pool_size=2)
    lead = Principal(member_id=uuid4(), organisation_id=uuid4(), roles=frozenset({"hero"}))
    rng = random.Random(7)  # noqa: S311 - reproducible data, not secrets
    try:
        async with transaction(session_factory(engine)) as session:
            project = await service.propose_project(
                session, lead, title="Benchmark project", visibility=domain.Visibility.NETWORK
            )
            measure = await service.define_measure(
                session,
                lead,
                project.id,
                name="Benchmark measure",
                definition="",
                kind=domain.MeasureKind.OUTCOME,
                unit="events",
                direction=spc.Direction.DOWN,
            )
            measures = MeasureRepository(session)
            for observation in random_series(rng, CHART_POINTS):
                await measures.add_point(
                    domain.DataPoint(
                        uuid4(),
                        measure.id,
                        observation.on,
                        observation.value,
                        None,
                        False,
                        0,
                        lead.member_id,
                        datetime.now(UTC),
                    )
                )
        return str(project.id)
    finally:
        await engine.dispose()


async def bench_graphql(server_url: str) -> None:
    database_url = await asyncio.to_thread(fresh_database_url, server_url, "benchprojects")
    try:
        await asyncio.to_thread(upgrade, SERVICE_DIR, database_url)
        project_id = await seed_measure(database_url)
        app = create_app(
            Settings(database_url=database_url, environment="production", log_level="WARNING")
        )
        logging.getLogger("httpx").setLevel(
            logging.WARNING
        )  # one line per request would bury the results
        async with serve_app(app) as base, httpx.AsyncClient(timeout=30) as http:
            for rule_set in ("MDC", "IHI_RUN_CHART", "SHEWHART"):
                query = (
                    f"query($id: ID!) {{ project(id: $id) {{ measures {{ chart(ruleSet: {rule_set}) {{ "
                    "assurance limitsProvisional segments { centre upperLimit lowerLimit } "
                    "signals { rule nature pointIds } points { on value upperLimit lowerLimit specialCause } "
                    "} } } }"
                )
                timings = []
                for n in range(WARM_UP + REQUESTS):
                    started = time.perf_counter()
                    response = await http.post(
                        f"{base}/graphql", json={"query": query, "variables": {"id": project_id}}
                    )
                    if n >= WARM_UP:
                        timings.append((time.perf_counter() - started) * 1000)
                    body = response.json()
                    if (
                        "errors" in body
                        or len(body["data"]["project"]["measures"][0]["chart"]["points"])
                        != CHART_POINTS
                    ):
                        raise SystemExit(f"unexpected answer: {str(body)[:500]}")
                cuts = statistics.quantiles(timings, n=100)
                print(
                    f"Measure.chart {rule_set:>13} ({CHART_POINTS} points, {REQUESTS} requests): "
                    f"p50 {cuts[49]:.1f} ms, p99 {cuts[98]:.1f} ms"
                )
    finally:
        await drop_database(database_url)


def main() -> None:
    import os

    bench_engine()
    server_url = os.environ.get("HEROES_DATABASE_URL")
    if not server_url:
        print(
            "HEROES_DATABASE_URL is not set: run this with `python -m devstack bench bench/spc.py`.",
            file=sys.stderr,
        )
        raise SystemExit(2)
    asyncio.run(bench_graphql(server_url))


if __name__ == "__main__":
    main()
