"""Projects consumer process: membership events that projects must react to (member erasure)."""

import asyncio

from servicekit.consumer import serve

from projects.handlers import HANDLERS
from projects.settings import get_settings

CONSUMER = "projects.membership"
TOPICS = ("membership.events.v1",)


def main() -> None:
    asyncio.run(serve(get_settings(), name=CONSUMER, topics=TOPICS, handlers=HANDLERS))


if __name__ == "__main__":
    main()
