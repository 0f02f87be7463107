"""Projects consumer process, two consumer groups side by side:
- `projects.membership`: membership events projects must react to (standing, visibility, erasure);
- `projects.impact`: every service's events, counted into the network's impact measures. A group
  of its own, so `python -m projects.impact.rebuild` can replay it from the start alone.
"""

import asyncio

from servicekit.consumer import Subscription, serve

from projects.handlers import HANDLERS
from projects.impact.handlers import HANDLERS as IMPACT_HANDLERS
from projects.impact.handlers import TOPICS as IMPACT_TOPICS
from projects.settings import get_settings

CONSUMER = "projects.membership"
TOPICS = ("membership.events.v1",)
IMPACT = Subscription("projects.impact", IMPACT_TOPICS, IMPACT_HANDLERS)


def main() -> None:
    asyncio.run(serve(get_settings(), name=CONSUMER, topics=TOPICS, handlers=HANDLERS, also=(IMPACT,)))


if __name__ == "__main__":
    main()
