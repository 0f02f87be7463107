"""Projects consumer process: membership events that projects must react to."""

import asyncio

from servicekit.consumer import serve

from projects.settings import get_settings

CONSUMER = "projects.membership"
TOPICS = ("membership.events.v1",)


def main() -> None:
    # TODO(#4): handle member erasure once projects stores member-authored text.
    asyncio.run(serve(get_settings(), name=CONSUMER, topics=TOPICS, handlers={}))


if __name__ == "__main__":
    main()
