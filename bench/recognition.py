"""Recognition consumer benchmark (not a test): 50,000 prepared events, raw Kafka vs recognition.

Run with `.venv/bin/python -m devstack bench bench/recognition.py` (isolated PostgreSQL and
Kafka). In one run it:
  1. publishes 50,000 membership and projects events (a realistic mix, real CloudEvents
     headers) to the network's topics, before any clock starts;
  2. reads them all from the start with a raw aiokafka consumer: records per second;
  3. starts the real recognition consumer process (`python -m recognition.consumers`) on a
     fresh database and times it from its first applied event to the last: events per
     second and awards per second;
  4. prints the ratio recognition / raw.
"""

from __future__ import annotations

import asyncio
import os
import random
import secrets
import signal
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from aiokafka import TopicPartition
from servicekit.db import create_engine
from servicekit.envelope import Envelope
from servicekit.events import Event
from servicekit.kafka import (
    ensure_topics,
    load_topics,
    new_consumer,
    new_producer,
    topic_partitions,
)
from servicekit.migrations import ensure_database, upgrade
from servicekit.settings import database_url_for
from sqlalchemy import text

# Run as a script, this file's folder comes first on sys.path, and this file (recognition.py)
# would shadow the recognition package it measures.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE]

from recognition import inbound  # noqa: E402 - after the sys.path fix above

N = 50_000
REPO = Path(__file__).resolve().parents[1]
SERVICE_DIR = REPO / "services" / "recognition"
TOPICS = (inbound.MEMBERSHIP_TOPIC, inbound.PROJECTS_TOPIC)
START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
ORGANISATIONS, MEMBERS, PROJECTS = 8, 2_000, 500


class Workload:
    """A deterministic stream of events from a network of organisations, members and projects."""

    def __init__(self, seed: int = 7) -> None:
        self.random = random.Random(seed)  # noqa: S311 - a benchmark's reproducible mix, not security
        self.orgs = [uuid4() for _ in range(ORGANISATIONS)]
        self.members = {uuid4(): self.random.choice(self.orgs) for _ in range(MEMBERS)}
        self.projects: dict[UUID, tuple[UUID, list[UUID]]] = {}
        self.clock = START
        self.events: list[tuple[Event, UUID]] = []

    def now(self) -> datetime:
        self.clock += timedelta(seconds=7)
        return self.clock

    def build(self) -> list[tuple[Event, UUID]]:
        for member_id, org in self.members.items():
            visibility = self.random.choice(["network", "network", "organisation", "hidden"])
            self.add(
                inbound.MemberJoined(
                    member_id=member_id,
                    organisation_id=org,
                    member_type="staff_clinical",
                    network_role="hero",
                    visibility=visibility,
                    joined_at=self.now(),
                ),
                member_id,
            )
        for _ in range(PROJECTS):
            self.propose()
        steps: list[Callable[[], None]] = (
            [self.cycle] * 40
            + [self.measurement] * 40
            + [self.level] * 6
            + [self.visibility] * 4
            + [self.signal] * 5
            + [self.stage] * 3
            + [self.team] * 2
        )
        while len(self.events) < N:
            self.random.choice(steps)()
        return self.events[:N]

    def add(self, event: Event, key: UUID) -> None:
        self.events.append((event, key))

    def propose(self) -> None:
        project_id, lead = uuid4(), self.random.choice(list(self.members))
        org = self.members[lead]
        self.projects[project_id] = (org, [lead])
        self.add(
            inbound.ProjectProposed(
                project_id=project_id,
                organisation_id=org,
                proposed_by=lead,
                visibility=self.random.choice(["team", "organisation", "network"]),
                stage="idea",
                proposed_at=self.now(),
            ),
            project_id,
        )
        self.add(
            inbound.TeamMemberAdded(
                project_id=project_id,
                organisation_id=org,
                member_id=lead,
                role="lead",
                added_at=self.now(),
            ),
            project_id,
        )

    def _project(self) -> tuple[UUID, UUID, list[UUID]]:
        project_id = self.random.choice(list(self.projects))
        org, team = self.projects[project_id]
        return project_id, org, team

    def team(self) -> None:
        project_id, org, team = self._project()
        member_id = self.random.choice(list(self.members))
        team.append(member_id)
        role = self.random.choice(["member", "member", "service_user_partner", "coach"])
        self.add(
            inbound.TeamMemberAdded(
                project_id=project_id,
                organisation_id=org,
                member_id=member_id,
                role=role,
                added_at=self.now(),
            ),
            project_id,
        )

    def cycle(self) -> None:
        project_id, org, team = self._project()
        self.add(
            inbound.PdsaCycleCompleted(
                project_id=project_id,
                organisation_id=org,
                cycle_id=uuid4(),
                change_idea_id=uuid4(),
                decision=self.random.choice(["adopt", "adapt", "abandon"]),
                completed_by=self.random.choice(team),
                completed_at=self.now(),
            ),
            project_id,
        )

    def measurement(self) -> None:
        project_id, org, _ = self._project()
        self.add(
            inbound.MeasurementRecorded(
                project_id=project_id,
                organisation_id=org,
                measure_id=uuid4(),
                point_id=uuid4(),
                recorded_at=self.now(),
            ),
            project_id,
        )

    def signal(self) -> None:
        project_id, org, _ = self._project()
        self.add(
            inbound.MeasureSignalDetected(
                project_id=project_id,
                organisation_id=org,
                measure_id=uuid4(),
                measure_kind=self.random.choice(["outcome", "process"]),
                rule_set=self.random.choice(["mdc", "shewhart"]),
                rule="shift",
                nature=self.random.choice(["improvement", "concern"]),
                first_point_on=START.date(),
                last_point_on=START.date(),
                detected_at=self.now(),
            ),
            project_id,
        )

    def stage(self) -> None:
        project_id, org, _ = self._project()
        to_stage = self.random.choice(["testing", "implementing", "spreading", "sustaining"])
        self.add(
            inbound.StageAdvanced(
                project_id=project_id,
                organisation_id=org,
                from_stage="testing",
                to_stage=to_stage,
                advanced_at=self.now(),
            ),
            project_id,
        )

    def level(self) -> None:
        member_id = self.random.choice(list(self.members))
        self.add(
            inbound.LevelAchieved(
                member_id=member_id,
                organisation_id=self.members[member_id],
                level=self.random.randint(1, 3),
                achieved_at=self.now(),
            ),
            member_id,
        )

    def visibility(self) -> None:
        member_id = self.random.choice(list(self.members))
        self.add(
            inbound.MemberVisibilityChanged(
                member_id=member_id,
                organisation_id=self.members[member_id],
                visibility=self.random.choice(["hidden", "organisation", "network"]),
                changed_at=self.now(),
            ),
            member_id,
        )


async def publish(bootstrap: str, events: list[tuple[Event, UUID]]) -> float:
    producer = new_producer(bootstrap, client_id="bench-recognition", linger_ms=20)
    await producer.start()
    try:
        started = time.perf_counter()
        sends = []
        for event, key in events:
            envelope = Envelope(
                id=uuid4(),
                source=event.source,
                type=event.ce_type(),
                time=datetime.now(UTC),
                key=str(key),
                data=event.to_payload(),
            )
            sends.append(
                await producer.send(
                    event.topic,
                    envelope.value(),
                    key=envelope.key.encode(),
                    headers=envelope.headers(),
                )
            )
        await asyncio.gather(*sends)
        return time.perf_counter() - started
    finally:
        await producer.stop()


async def raw_consume(bootstrap: str) -> float:
    """Records per second reading both topics from the start, clocked from the first record."""
    reader = new_consumer(bootstrap, group_id=None, max_partition_fetch_bytes=4 * 1024 * 1024)
    await reader.start()
    try:
        found = await topic_partitions(reader, list(TOPICS))
        partitions = [TopicPartition(topic, p) for topic in TOPICS for p in sorted(found[topic])]
        reader.assign(partitions)
        await reader.seek_to_beginning(*partitions)
        seen, first = 0, 0.0
        while seen < N:
            batch = await reader.getmany(timeout_ms=500, max_records=5000)
            if batch and not first:
                first = time.perf_counter()
            seen += sum(len(records) for records in batch.values())
        return N / (time.perf_counter() - first)
    finally:
        await reader.stop()


async def count(engine: Any, sql: str) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text(sql))).scalar_one())


async def recognition_consume(url: str) -> tuple[float, float, int]:
    """(events/s, awards/s, awards) of the real consumer process, from its first applied event."""
    env = {**os.environ, "RECOGNITION_DATABASE_URL": url, "HEROES_LOG_LEVEL": "WARNING"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "recognition.consumers",
        env=env,
        cwd=REPO,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    engine = create_engine(url, pool_size=1)
    try:
        applied, first, at_first = 0, 0.0, 0
        while applied < N:
            if process.returncode is not None:
                raise RuntimeError(f"the recognition consumer stopped (exit {process.returncode})")
            applied = await count(engine, "SELECT count(*) FROM inbox_messages")
            if applied and not first:
                first, at_first = time.perf_counter(), applied
            await asyncio.sleep(0.1)
        elapsed = time.perf_counter() - first
        awards = await count(engine, "SELECT count(*) FROM awards")
        return (N - at_first) / elapsed, awards / elapsed, awards
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 30)
        await engine.dispose()


async def main() -> None:
    server = os.environ["HEROES_DATABASE_URL"]
    bootstrap = os.environ["HEROES_KAFKA_BOOTSTRAP_SERVERS"]
    url = database_url_for(server, f"bench_recognition_{secrets.token_hex(3)}")
    await ensure_database(url)
    await asyncio.to_thread(upgrade, SERVICE_DIR, url)
    await ensure_topics(bootstrap, load_topics(REPO / "infra" / "topics.toml"))

    events = Workload().build()
    membership = sum(1 for event, _ in events if event.topic == inbound.MEMBERSHIP_TOPIC)
    took = await publish(bootstrap, events)
    print(
        f"prepared: {N:,} events ({membership:,} membership, {N - membership:,} projects), "
        f"published in {took:.1f} s before any clock starts"
    )

    raw = await raw_consume(bootstrap)
    print(f"raw aiokafka consume:        {raw:10,.0f} events/s")
    rate, award_rate, awards = await recognition_consume(url)
    print(
        f"recognition consumer:        {rate:10,.0f} events/s  {award_rate:8,.0f} awards/s  "
        f"({awards:,} awards; inbox, projections, rules, awards, celebrations, outbox)"
    )
    print(f"ratio recognition/raw:       {rate / raw:10.3f}")


if __name__ == "__main__":
    asyncio.run(main())
