"""Closing ended pulse months in the background of each API process (PulseMonthClosed).

Every copy of the API runs it: the closure table's key makes each month close once, whoever
gets there first. A round that cannot reach the database is logged and tried again next round.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from servicekit.db import is_unavailable, transaction
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from membership.service import close_pulse_months
from membership.service.common import utcnow

log = logging.getLogger("membership.pulse_closing")


async def close_ended_months(sessions: async_sessionmaker[AsyncSession]) -> int:
    """One round: close what has ended; returns how many organisation-months it closed."""
    async with transaction(sessions) as session:
        closed = await close_pulse_months(session, now=utcnow())
    if closed:
        log.info("pulse.months_closed", extra={"closed": len(closed)})
    return len(closed)


async def keep_closing(sessions: async_sessionmaker[AsyncSession], *, interval: float) -> None:
    """Close ended months now, then every `interval` seconds, until cancelled."""
    while True:
        try:
            await close_ended_months(sessions)
        except Exception as error:  # a background task at the edge of the process: log, try again later
            if is_unavailable(error):
                log.warning("pulse.close_postponed", extra={"reason": "database_unavailable"})
            else:
                log.exception("pulse.close_failed")
        await asyncio.sleep(interval)


class PulseCloser:
    """The background task of one API process: started when it is ready, cancelled when it stops."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, interval: float) -> None:
        self._sessions = sessions
        self._interval = interval
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._interval > 0:
            self.task = asyncio.create_task(keep_closing(self._sessions, interval=self._interval),
                                            name="pulse-closing")

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
