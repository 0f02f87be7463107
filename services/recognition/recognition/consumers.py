"""Recognition consumer process: membership and projects events that can earn recognition."""

import asyncio

from servicekit.consumer import serve

from recognition.settings import get_settings

CONSUMER = "recognition.awards"
TOPICS = ("membership.events.v1", "projects.events.v1")


def main() -> None:
    # TODO(#5): the recognition rules engine handles these events.
    asyncio.run(serve(get_settings(), name=CONSUMER, topics=TOPICS, handlers={}))


if __name__ == "__main__":
    main()
