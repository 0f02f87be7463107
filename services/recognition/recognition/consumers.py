"""Recognition consumer process: membership and projects events that can earn recognition."""

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from servicekit.consumer import serve
from servicekit.db import create_engine, session_factory, transaction

from recognition.handlers import HANDLERS
from recognition.inbound import MEMBERSHIP_TOPIC, PROJECTS_TOPIC
from recognition.service.rules import load_rules_file, sync_network_rules
from recognition.settings import Settings, get_settings

CONSUMER = "recognition.awards"
TOPICS = (MEMBERSHIP_TOPIC, PROJECTS_TOPIC)


async def sync_rules(settings: Settings) -> tuple[int, int]:
    """Bring the rules table in line with the rules file (both processes do this at start)."""
    rules = load_rules_file(Path(settings.rules_file))
    engine = create_engine(settings.dsn, pool_size=1)
    try:
        async with transaction(session_factory(engine)) as session:
            return await sync_network_rules(session, rules, datetime.now(UTC))
    finally:
        await engine.dispose()


async def run(settings: Settings) -> None:
    await sync_rules(settings)
    await serve(settings, name=CONSUMER, topics=TOPICS, handlers=HANDLERS)


def main() -> None:
    asyncio.run(run(get_settings()))


if __name__ == "__main__":
    main()
