"""The demo seed's year of history: exactly the projects, cycles and signals it promises, dated in
the past months they stand for (the same year as membership's history), made only once membership
has announced the people they name."""

from collections import Counter
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from projects import demo
from projects import seed as seeding
from projects import seed_history as history
from projects.settings import get_settings
from servicekit.identity import COORDINATOR, HERO
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from ..conftest import rows

pytestmark = pytest.mark.asyncio(loop_scope="session")

HISTORY_IDS = [str(demo.demo_id(plan.slug)) for plan in history.HISTORY]
C1_PARTNER = demo.member(history.H[23])  # the service user on the council's warm-homes project


def everyone_named() -> dict[UUID, tuple[UUID, str]]:
    """Each member the history names, with their organisation and network role."""
    people = [*history.H.values(), demo.NURSE, demo.RIVERSIDE_COORDINATOR, demo.VOICE_COORDINATOR]
    return {
        demo.member(who): (who.organisation_id, COORDINATOR if COORDINATOR in who.roles else HERO)
        for who in people
        if who.organisation_id is not None
    }


async def joined(
    engine: AsyncEngine, member: UUID, organisation: UUID, role: str, at: datetime,
    status: str = "active",
) -> None:
    """What membership's invite and join events leave in `member_standing` (servicekit.standing).
    Invited and joined at the same moment, as membership's seed does, a member stays "invited"."""
    async with engine.begin() as connection:
        await connection.execute(
            text("INSERT INTO member_standing (member_id, organisation_id, status, network_role, "
                 "status_at, role_at) VALUES (:m, :o, :s, :r, :at, :at) "
                 "ON CONFLICT (member_id) DO NOTHING"),
            {"m": member, "o": organisation, "s": status, "r": role, "at": at},
        )


async def history_outbox(engine: AsyncEngine) -> list[dict[str, Any]]:
    return await rows(
        engine,
        "SELECT key, type, payload, occurred_at FROM outbox_messages "
        "WHERE key = ANY(CAST(:keys AS text[])) ORDER BY position",
        keys=HISTORY_IDS,
    )


def by_month(moments: list[datetime]) -> dict[str, int]:
    return dict(Counter(moment.astimezone(UTC).strftime("%Y-%m") for moment in moments))


async def test_the_seed_builds_a_year_of_history_once_membership_has_announced_its_people(
    engine: AsyncEngine,
    projects_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PROJECTS_DATABASE_URL", projects_url)
    monkeypatch.setattr(history, "HISTORY_WAIT_SECONDS", 1.0)
    get_settings.cache_clear()
    now = datetime.now(UTC)
    # Membership's seed first ran last month: its history, and so this one, counts back from then.
    calendar = history.Calendar.of(now, months_later=-1)

    def month(months_ago: int) -> str:
        return calendar.day(months_ago, 1).strftime("%Y-%m")

    people = everyone_named()
    heroes = {demo.member(who): number for number, who in history.H.items()}
    for member_id, (organisation, role) in people.items():
        joined_at = history.joined(heroes[member_id], calendar) if member_id in heroes else now
        status = "invited" if heroes.get(member_id, 0) > 12 else "active"
        if member_id != C1_PARTNER:  # membership has not announced this one yet
            await joined(engine, member_id, organisation, role, joined_at, status)
    try:
        await seeding.seed(now)
        assert "history: 1 of 10 history projects left out" in capsys.readouterr().err
        await joined(engine, C1_PARTNER, people[C1_PARTNER][0], HERO, now)
        await seeding.seed(now)
        written = await history_outbox(engine)
        assert "history:" not in capsys.readouterr().err
        await seeding.seed(now)
    finally:
        get_settings.cache_clear()

    assert len(await history_outbox(engine)) == len(written)  # the third run added nothing
    projects = await rows(
        engine,
        "SELECT id, organisation_id, stage, proposed_at FROM projects "
        "WHERE id = ANY(CAST(:ids AS uuid[]))",
        ids=HISTORY_IDS,
    )
    assert Counter(p["organisation_id"] for p in projects) == {
        demo.RIVERSIDE: 4,
        demo.VOICE: 3,
        history.COUNCIL: 3,
    }
    assert by_month([p["proposed_at"] for p in projects]) == {
        month(12): 2, month(11): 1, month(10): 1, month(9): 1, month(7): 1, month(6): 2,
        month(5): 1, month(3): 1,
    }
    assert Counter(p["stage"] for p in projects) == {
        "scoping": 1, "testing": 4, "implementing": 2, "spreading": 1, "closed": 1, "abandoned": 1,
    }

    seats = await rows(
        engine,
        "SELECT project_id, joined_at FROM team_members WHERE role = 'service_user_partner' "
        "AND left_at IS NULL AND project_id = ANY(CAST(:ids AS uuid[]))",
        ids=HISTORY_IDS,
    )
    assert len({seat["project_id"] for seat in seats}) == 6  # "Big I" projects
    assert by_month([seat["joined_at"] for seat in seats]) == {
        month(9): 1, month(8): 1, month(6): 1, month(5): 1, month(4): 1, month(3): 1, month(2): 1,
    }

    completed = await rows(
        engine,
        "SELECT completed_at FROM pdsa_cycles WHERE status = 'completed' "
        "AND project_id = ANY(CAST(:ids AS uuid[]))",
        ids=HISTORY_IDS,
    )
    rising = (1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6)  # 12 months ago .. last month
    per_month = {month(12 - i): n for i, n in enumerate(rising)}
    assert by_month([c["completed_at"] for c in completed]) == per_month

    events = {(row["type"].rsplit(".", 2)[-2]) for row in written}
    assert {"project_proposed", "team_member_added", "stage_advanced", "project_closed",
            "pdsa_cycle_completed", "measure_signal_detected"} <= events
    anchor = datetime(calendar.this_month.year, calendar.this_month.month, 1, tzinfo=UTC)
    assert all(row["occurred_at"] < anchor for row in written)  # all in the year before it
    cycles_done = [row for row in written if row["type"].endswith(".pdsa_cycle_completed.v1")]
    assert by_month([row["occurred_at"] for row in cycles_done]) == per_month
    assert all(
        datetime.fromisoformat(row["payload"]["completed_at"]) == row["occurred_at"]
        for row in cycles_done
    )
    slugs = {str(demo.demo_id(plan.slug)): plan.slug for plan in history.HISTORY}
    signals = [
        (slugs[row["key"]], row["payload"]["rule"], row["payload"]["nature"],
         row["occurred_at"].astimezone(UTC).strftime("%Y-%m"))
        for row in written
        if row["type"].endswith(".measure_signal_detected.v1")
    ]
    assert sorted(signals, key=lambda s: s[3]) == [
        ("project:history-pain-relief", "shift", "improvement", month(9)),
        ("project:history-carers-group", "shift", "improvement", month(7)),
        ("project:history-missed-appointments", "shift", "improvement", month(5)),
        ("project:history-warm-homes", "shift", "improvement", month(2)),
    ]
