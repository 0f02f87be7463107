"""`python -m projects.impact.rebuild --yes`: rebuild the network's impact figures from the topics.

Wipes the impact facts and states, forgets which events the impact consumer group has seen, and
moves its Kafka offsets back to the start of the three topics. Start the projects consumer again
and it counts everything anew, to the same figures (every fact is keyed by its event). Kept: the
network's aim and drivers (people wrote them). Stop the projects consumer first; the topics must
keep their whole history (the local broker keeps it forever).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from servicekit.db import create_engine, session_factory, transaction
from servicekit.kafka import reset_offsets
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from projects.consumers import IMPACT
from projects.settings import get_settings

DERIVED = ("impact_facts", "impact_people", "impact_projects", "impact_seats", "impact_pairings", "impact_pulse")


async def wipe_derived(session: AsyncSession, *, consumer: str) -> None:
    """Delete what events produced, and the consumer's inbox, in the caller's transaction."""
    for table in DERIVED:
        await session.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - fixed table names
    await session.execute(text("DELETE FROM inbox_messages WHERE consumer = :consumer"), {"consumer": consumer})


async def rebuild() -> None:
    settings = get_settings()
    group = f"{settings.consumer_name}.impact" if settings.consumer_name else IMPACT.name
    engine = create_engine(settings.dsn, pool_size=1)
    try:
        async with transaction(session_factory(engine)) as session:
            await wipe_derived(session, consumer=group)
    finally:
        await engine.dispose()
    _say("impact tables wiped")
    reset = await reset_offsets(settings.kafka, group, IMPACT.topics)
    _say(f"offsets of {group} moved to the start: {reset}")
    _say("start the projects consumer to count the network's impact again")


def _say(message: str) -> None:
    print(f"rebuild: {message}", file=sys.stderr)  # noqa: T201 - a command-line tool reports progress


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--yes", action="store_true", help="confirm: the projects consumer is stopped")
    args = parser.parse_args(argv)
    if not args.yes:
        parser.error("stop the projects consumer, then run again with --yes")
    asyncio.run(rebuild())


if __name__ == "__main__":
    main()
