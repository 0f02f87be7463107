"""`python -m recognition.rebuild --yes`: rebuild everything recognition derives from events.

Wipes the projections, rule progress, awards and badge celebrations, forgets which
events the consumer has seen, and moves its Kafka offsets back to the start of the
topics. Start the consumer again and it rebuilds the same awards (award ids are
derived from rule and recipient, so outside feeds can tell a re-announced award).
Kept: the rules, kudos, nominations and their celebrations (these come from people,
not from events). Stop the recognition consumer first; the topics must keep their
whole history (the local broker keeps it forever).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from servicekit.db import create_engine, session_factory, transaction
from servicekit.kafka import reset_offsets
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from recognition.consumers import CONSUMER, TOPICS
from recognition.settings import get_settings

_WIPE = (
    "DELETE FROM celebrations WHERE kind = 'badge'",
    "DELETE FROM award_projects",
    "DELETE FROM awards",
    "DELETE FROM rule_progress",
    "DELETE FROM project_team",
    "DELETE FROM projected_projects",
    "DELETE FROM projected_members",
)


async def wipe_derived(session: AsyncSession, *, consumer: str) -> None:
    """Delete what events produced, and the consumer's inbox, in the caller's transaction."""
    for statement in _WIPE:
        await session.execute(text(statement))
    await session.execute(
        text("DELETE FROM inbox_messages WHERE consumer = :consumer"), {"consumer": consumer}
    )


async def rebuild() -> None:
    settings = get_settings()
    engine = create_engine(settings.dsn, pool_size=1)
    try:
        async with transaction(session_factory(engine)) as session:
            await wipe_derived(session, consumer=CONSUMER)
    finally:
        await engine.dispose()
    _say("derived tables wiped")
    reset = await reset_offsets(settings.kafka, CONSUMER, TOPICS)
    _say(f"offsets of {CONSUMER} moved to the start: {reset}")
    _say("start the recognition consumer to rebuild the awards")


def _say(message: str) -> None:
    print(f"rebuild: {message}", file=sys.stderr)  # noqa: T201 - a command-line tool reports progress


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--yes", action="store_true", help="confirm: the recognition consumer is stopped"
    )
    args = parser.parse_args(argv)
    if not args.yes:
        parser.error("stop the recognition consumer, then run again with --yes")
    asyncio.run(rebuild())


if __name__ == "__main__":
    main()
