"""The demo seed's year of history: exactly the thank-yous and nominations it promises, dated in
the past months they stand for, given only to members membership has announced, and only once."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid5

import pytest
from recognition import inbound
from recognition import seed as demo
from recognition.seed import seed
from servicekit.db import create_engine, session_factory
from servicekit.identity import COORDINATOR, Principal
from servicekit.testing import Tokens
from sqlalchemy.ext.asyncio import AsyncEngine

from ..conftest import settings_for
from ..scenario import World
from ..support import Consumer, Databases, Publisher, Topics, play, rows

pytestmark = pytest.mark.asyncio(loop_scope="session")

# Member types by the contract of issue #14 (history heroes) and membership's demo seed.
HERO_TYPES = {
    **dict.fromkeys(range(1, 7), "staff_clinical"),
    7: "staff_non_clinical", 8: "staff_non_clinical",
    **dict.fromkeys((9, 10, 11, 15, 16, 23), "service_user"),
    **dict.fromkeys((12, 17, 18, 24), "carer"),
    13: "community_partner", 14: "community_partner",
    **dict.fromkeys(range(19, 23), "staff_non_clinical"),
}
DEMO_TYPES = {
    "member:riverside-nurse": ("staff_clinical", "network"),
    "member:riverside-patient": ("service_user", "network"),
    "member:riverside-coordinator": ("staff_non_clinical", "network"),
    "member:voice-coordinator": ("community_partner", "network"),
    "member:voice-carer": ("carer", "organisation"),
}
LATE = demo.H[17]  # a carer membership announces only after the first run


class DemoWorld(World):
    """The demo's own ids: uuid5 of the demo namespace and the slug."""

    def id(self, label: str) -> UUID:
        return uuid5(demo.DEMO, label)


def slug(who: Principal) -> str:
    return next(
        s for s in [*DEMO_TYPES, *(f"member:history-{n:02d}" for n in HERO_TYPES)]
        if demo.demo_id(s) == who.member_id
    )


def join(world: DemoWorld, who: Principal, calendar: demo.Calendar) -> None:
    """Membership's word that `who` joined when its seed has them join (heroes month by month,
    demo members a year before); service users and carers consent to their name being shown in
    their organisation."""
    organisations = {demo.RIVERSIDE: "org:riverside", demo.VOICE: "org:northvale-voice",
                     demo.COUNCIL: "org:northvale-council"}
    organisation = organisations[who.organisation_id]  # type: ignore[index]
    label = slug(who)
    if label in DEMO_TYPES:
        member_type, visibility = DEMO_TYPES[label]
        joined_at = calendar.at((12, 1), 9)
    else:
        number = int(label.rsplit("-", 1)[1])
        member_type = HERO_TYPES[number]
        staff = member_type.startswith("staff") or member_type == "community_partner"
        visibility = "network" if staff else "organisation"
        joined_at = calendar.at((demo.joined_months_ago(number), 3), 10)
    world.add(
        f"joined:{label}",
        inbound.MemberJoined(
            member_id=world.entity(label),
            organisation_id=world.entity(organisation),
            member_type=member_type,
            network_role=COORDINATOR if COORDINATOR in who.roles else "hero",
            visibility=visibility,
            joined_at=joined_at,
        ),
        world.entity(label),
    )


@pytest.fixture
async def fresh(
    databases: Databases, kafka_bootstrap: str
) -> AsyncIterator[tuple[str, AsyncEngine, Publisher, Consumer]]:
    """A recognition database of its own, fed by a consumer of topics of its own."""
    url = await databases.new("history")
    engine = create_engine(url, pool_size=3)
    topics = await Topics.create(kafka_bootstrap, f"h{secrets.token_hex(3)}")
    name = f"history.{topics.suffix}"
    consumer = Consumer(kafka_bootstrap, session_factory(engine), topics, name=name)
    await consumer.start()
    try:
        async with Publisher.started(kafka_bootstrap, topics) as publisher:
            yield url, engine, publisher, consumer
    finally:
        await consumer.stop()
        await engine.dispose()


def by_month(moments: list[datetime]) -> dict[str, int]:
    return dict(Counter(moment.astimezone(UTC).strftime("%Y-%m") for moment in moments))


async def test_the_seed_thanks_and_nominates_over_a_year_once_and_only_those_announced(
    fresh: tuple[str, AsyncEngine, Publisher, Consumer],
    kafka_bootstrap: str,
    tokens: Tokens,
    badge_key: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, engine, publisher, consumer = fresh
    settings = settings_for(url, kafka_bootstrap, tokens, badge_key)
    monkeypatch.setattr(demo, "HISTORY_WAIT_SECONDS", 1.0)
    now = datetime.now(UTC)
    # Membership's seed first ran last month: its history, and so this one, counts back from then.
    calendar = demo.Calendar.of(now, months_later=-1)

    def month(months_ago: int) -> str:
        return calendar.at((months_ago, 1), 0).strftime("%Y-%m")

    world = DemoWorld("demo")
    for who in [*demo.DEMO_MEMBERS, *demo.H.values()]:
        if who != LATE:
            join(world, who, calendar)
    await play(publisher, consumer, world.steps)

    await seed(settings, now)
    naming_late = sum(LATE in (t.giver, t.to) for t in demo.history_kudos()) + sum(
        LATE in (n.nominator, n.nominee) for n in demo.NOMINATIONS
    )
    assert naming_late == 6  # five thank-yous and a nomination
    assert f"history: {naming_late} of 69 thank-yous and nominations" in capsys.readouterr().err

    late = DemoWorld("demo")
    join(late, LATE, calendar)
    await play(publisher, consumer, late.steps)
    await seed(settings, now)
    assert "history:" not in capsys.readouterr().err
    outbox = await rows(engine, "SELECT count(*) FROM outbox_messages")
    await seed(settings, now)
    assert await rows(engine, "SELECT count(*) FROM outbox_messages") == outbox  # nothing added

    history_ids = [demo.demo_id(t.slug) for t in demo.history_kudos()]
    kudos = await rows(
        engine, "SELECT given_at FROM kudos WHERE id = ANY(:ids)", ids=history_ids
    )
    rising = {month(12 - i): n for i, n in enumerate(demo.KUDOS_PER_MONTH)}
    assert rising == {
        month(12): 2, month(11): 2, month(10): 3, month(9): 3, month(8): 4, month(7): 4,
        month(6): 5, month(5): 6, month(4): 7, month(3): 8, month(2): 9, month(1): 10,
    }
    assert by_month([given_at for (given_at,) in kudos]) == rising

    nominations = await rows(
        engine, "SELECT status, submitted_at, decided_at FROM nominations ORDER BY submitted_at"
    )
    assert [(status, s.strftime("%Y-%m"), d.strftime("%Y-%m")) for status, s, d in nominations] == [
        ("granted", month(9), month(8)),
        ("granted", month(7), month(7)),
        ("declined", month(5), month(5)),
        ("granted", month(4), month(3)),
        ("granted", month(2), month(2)),
        ("declined", month(1), month(1)),
    ]

    # Their events carry the past moments, each where it happened (the demo thank-you is now).
    events = await rows(
        engine,
        "SELECT split_part(type, '.', 4), payload, occurred_at FROM outbox_messages "
        "WHERE occurred_at < :anchor",
        anchor=calendar.at((0, 1), 0),
    )
    given = [(p, at) for kind, p, at in events if kind == "kudos_given"]
    assert by_month([at for _, at in given]) == rising
    assert all(datetime.fromisoformat(p["given_at"]) == at for p, at in given)
    assert Counter(kind for kind, _, _ in events) == {
        "kudos_given": 63,
        "nomination_submitted": 6,
        "nomination_decided": 6,
        "celebration_posted": sum(t.is_public for t in demo.history_kudos()) + 4,  # + grants
    }
    decided = sorted((p["decision"], at.strftime("%Y-%m")) for kind, p, at in events
                     if kind == "nomination_decided")
    assert decided == sorted([
        ("granted", month(8)), ("granted", month(7)), ("declined", month(5)),
        ("granted", month(3)), ("granted", month(2)), ("declined", month(1)),
    ])
