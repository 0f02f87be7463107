"""Demo data for `make run`: the network's recognition rules, and one public thank-you.

Idempotent. The rules come from rules.toml (the main seed). The thank-you needs the
demo members, which arrive from membership's events; the seed waits a little for
them and leaves the thank-you out (saying so) if they have not arrived yet.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid5

from servicekit.db import create_engine, session_factory, transaction
from servicekit.identity import Principal
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from recognition.repository.people import KudosRepository
from recognition.repository.projections import ProjectionRepository
from recognition.service.people import give_kudos
from recognition.service.rules import load_rules_file, sync_network_rules
from recognition.settings import Settings, get_settings

DEMO = UUID("5eed0000-0000-4000-8000-000000000000")
MEMBERS_WAIT_SECONDS = 20.0
THANK_YOU = (
    "Thank you for helping us redesign the discharge leaflet. Your ideas made it much clearer."
)


def demo_id(slug: str) -> UUID:
    return uuid5(DEMO, slug)


def say(message: str) -> None:
    print(f"seed: {message}", file=sys.stderr)


async def seed_rules(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    rules = load_rules_file(Path(settings.rules_file))
    async with transaction(sessions) as session:
        changed, retired = await sync_network_rules(session, rules, datetime.now(UTC))
    say(
        f"{len(rules)} network recognition rules in effect "
        f"({changed} added or updated, {retired} retired)"
    )


async def demo_members_known(sessions: async_sessionmaker[AsyncSession], *slugs: str) -> bool:
    deadline = time.monotonic() + MEMBERS_WAIT_SECONDS
    while True:
        async with sessions() as session:
            found = await ProjectionRepository(session).members({demo_id(slug) for slug in slugs})
        if len(found) == len(slugs) and all(view.is_shown for view in found.values()):
            return True
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.5)


async def seed_thank_you(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    kudos_id = demo_id("kudos:riverside-nurse-thanks-patient")
    async with sessions() as session:
        if await KudosRepository(session).find(kudos_id) is not None:
            say("the demo thank-you was already there")
            return
    if not await demo_members_known(sessions, "member:riverside-nurse", "member:riverside-patient"):
        say("the demo members have not arrived from membership yet; left out the demo thank-you")
        return
    nurse = Principal(
        member_id=demo_id("member:riverside-nurse"),
        organisation_id=demo_id("org:riverside"),
        roles=frozenset({"hero"}),
    )
    async with transaction(sessions) as session:
        await give_kudos(
            session,
            nurse,
            to_member_id=demo_id("member:riverside-patient"),
            to_project_id=None,
            message=THANK_YOU,
            is_public=True,
            daily_limit=settings.kudos_daily_limit,
            now=datetime.now(UTC),
            kudos_id=kudos_id,
        )
    say("added a public thank-you from the Riverside nurse to the Riverside patient")


async def seed(settings: Settings | None = None) -> dict[str, str]:
    """Seed, reporting progress on stderr; returns what `make run` should know (nothing here)."""
    settings = settings or get_settings()
    engine = create_engine(settings.dsn, pool_size=2)
    sessions = session_factory(engine)
    try:
        await seed_rules(sessions, settings)
        await seed_thank_you(sessions, settings)
    finally:
        await engine.dispose()
    return {}


def main() -> None:
    print(json.dumps(asyncio.run(seed())))


if __name__ == "__main__":
    main()
