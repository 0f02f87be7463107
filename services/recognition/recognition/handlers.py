"""Inbound events -> the awarding use case. Every consumed event type shares one batch handler.

Sharing one BatchHandler means the consumer hands over each run of records in a
partition as one call: the rules are read once and the projections loaded in bulk,
while events are still applied strictly in partition order.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from servicekit.consumer import BatchHandler
from servicekit.envelope import Envelope
from servicekit.events import Event
from servicekit.standing import STANDING_EVENTS, record_standing
from sqlalchemy.ext.asyncio import AsyncSession

from recognition.domain.engine import Fact
from recognition.inbound import CONSUMED, OCCURRED_AT
from recognition.service.awarding import apply_events

log = logging.getLogger("recognition.awards")


def to_fact(event: Event, envelope: Envelope) -> Fact:
    """The event as rules see it, dated by its own time field (else by the envelope's time)."""
    occurred_at = getattr(event, OCCURRED_AT[type(event)], None)
    return Fact(
        event_id=envelope.id,
        name=event.name,
        occurred_at=occurred_at if isinstance(occurred_at, datetime) else envelope.time,
        attributes=event.model_dump(),
    )


async def apply_batch(session: AsyncSession, items: list[tuple[Event, Envelope]]) -> None:
    for event, _ in items:  # what a member's token may do here, as membership says (servicekit.standing)
        if event.name in STANDING_EVENTS:
            await record_standing(session, event.name, event.model_dump())
    result = await apply_events(session, [to_fact(event, envelope) for event, envelope in items])
    if result.awards or result.erased:
        log.info(
            "recognition.batch_applied",
            extra={"events": result.events, "awards": result.awards, "erased": result.erased},
        )


AWARDS = BatchHandler(apply_batch)

HANDLERS: Mapping[type[Event], BatchHandler] = dict.fromkeys(CONSUMED, AWARDS)
