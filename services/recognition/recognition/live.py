"""Live celebrations for subscriptions, woken by PostgreSQL NOTIFY from the celebrations table.

Celebrations are written by the consumer process (and by mutations). Each API
process keeps one LISTEN connection; on each notification it reads the celebration
once and hands it to every subscriber, and each subscription decides for itself
whether its caller may see it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from uuid import UUID

import asyncpg
from servicekit.settings import to_asyncpg_dsn
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from recognition.domain.visibility import CelebrationView
from recognition.models import CELEBRATIONS_CHANNEL
from recognition.repository.celebrations import CelebrationRepository

log = logging.getLogger("recognition.live")

SUBSCRIBER_BACKLOG = 256
_LOST = "connection-lost"


class CelebrationHub:
    def __init__(self, database_url: str, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._dsn = to_asyncpg_dsn(database_url)
        self._sessions = sessions
        self._subscribers: set[asyncio.Queue[CelebrationView]] = set()
        self._task: asyncio.Task[None] | None = None
        self.listening = asyncio.Event()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="celebration-hub")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[CelebrationView]]:
        """A queue of every new celebration, from the moment this returns until the block ends."""
        await asyncio.wait_for(self.listening.wait(), 10)
        queue: asyncio.Queue[CelebrationView] = asyncio.Queue(SUBSCRIBER_BACKLOG)
        self._subscribers.add(queue)
        try:
            yield queue
        finally:
            self._subscribers.discard(queue)

    async def _run(self) -> None:
        backoff = 0.2
        while True:
            try:
                await self._listen()
                backoff = 0.2
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
                log.warning("live.listener_lost", extra={"reason": repr(error)})
            except Exception:  # a background task at the edge of the process: log, reconnect, go on
                log.exception("live.listener_failed")
            self.listening.clear()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)

    async def _listen(self) -> None:
        notes: asyncio.Queue[str] = asyncio.Queue()
        connection = await asyncpg.connect(self._dsn, timeout=10)
        try:
            connection.add_termination_listener(lambda _: notes.put_nowait(_LOST))
            await connection.add_listener(
                CELEBRATIONS_CHANNEL, lambda *args: notes.put_nowait(str(args[3]))
            )
            self.listening.set()
            log.info("live.listening")
            while (note := await notes.get()) != _LOST:
                if self._subscribers:
                    await self._deliver(UUID(note))
        finally:
            with contextlib.suppress(Exception):
                await connection.close(timeout=2)

    async def _deliver(self, celebration_id: UUID) -> None:
        async with self._sessions() as session:
            view = await CelebrationRepository(session).view(celebration_id)
        if view is None:
            return
        for queue in list(self._subscribers):
            if (
                queue.full()
            ):  # a subscriber that stopped reading loses its oldest, not everyone's newest
                queue.get_nowait()
            queue.put_nowait(view)
