"""The demo seed: the network rules, and a thank-you between demo members; safe to run again."""

from __future__ import annotations

from uuid import UUID, uuid5

import pytest
from recognition.seed import seed
from recognition.settings import Settings
from sqlalchemy.ext.asyncio import AsyncEngine

from ..scenario import World
from ..support import Consumer, Publisher, play, rows

pytestmark = pytest.mark.asyncio(loop_scope="session")

DEMO = UUID("5eed0000-0000-4000-8000-000000000000")


class DemoWorld(World):
    """The demo's own ids: uuid5 of the demo namespace and the slug."""

    def id(self, label: str) -> UUID:
        return uuid5(DEMO, label)


async def test_the_seed_adds_the_rules_and_a_thank_you_once(
    settings: Settings,
    publisher: Publisher,
    consumer: Consumer,
    engine: AsyncEngine,
    capsys: pytest.CaptureFixture[str],
) -> None:
    demo = DemoWorld("demo")
    demo.joined("member:riverside-nurse", "org:riverside")
    demo.joined(
        "member:riverside-patient",
        "org:riverside",
        visibility="organisation",
        member_type="service_user",
    )
    await play(publisher, consumer, demo.steps)

    assert await seed(settings) == {}
    assert await seed(settings) == {}

    report = capsys.readouterr().err.splitlines()
    assert [line for line in report if line.startswith("seed:")] == [
        "seed: 12 network recognition rules in effect (0 added or updated, 0 retired)",
        "seed: added a public thank-you from the Riverside nurse to the Riverside patient",
        "seed: 12 network recognition rules in effect (0 added or updated, 0 retired)",
        "seed: the demo thank-you was already there",
    ]
    assert await rows(
        engine,
        "SELECT giver_id, to_member_id, is_public FROM kudos WHERE id = :k",
        k=uuid5(DEMO, "kudos:riverside-nurse-thanks-patient"),
    ) == [(uuid5(DEMO, "member:riverside-nurse"), uuid5(DEMO, "member:riverside-patient"), True)]
