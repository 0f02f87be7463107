"""Database mechanism: constraint naming, engines, sessions, units of work, and telling an outage apart."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy import MetaData
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from servicekit.errors import DATABASE_UNAVAILABLE_MESSAGE
from servicekit.settings import to_asyncpg_dsn, to_sqlalchemy_url

# Stable constraint names keep Alembic autogenerate output the same on every machine.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    """A MetaData with the shared naming convention; each service's models use one."""
    return MetaData(naming_convention=NAMING_CONVENTION)


class DatabaseUnavailable(Exception):
    """The database cannot be reached just now (down, restarting, full, or too slow to answer).

    Raised in place of the driver's connection error, which stays as `__cause__`.
    Entry points answer it as `SERVICE_UNAVAILABLE`, retryable.
    """

    code = "SERVICE_UNAVAILABLE"

    def __init__(self, message: str = DATABASE_UNAVAILABLE_MESSAGE) -> None:
        super().__init__(message)
        self.message = message


# Failures to connect that mean "the server is away for now"; a wrong password or database
# name is a configuration error and is left as it is.
_CONNECT_OUTAGES = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
)


def create_engine(
    url: str,
    *,
    pool_size: int = 10,
    echo: bool = False,
    connect_timeout: float | None = None,
    pool_timeout: float | None = None,
) -> AsyncEngine:
    """An engine whose failed connection attempts raise `DatabaseUnavailable`.

    `connect_timeout` bounds each new connection (asyncpg waits 60 s by default) and
    `pool_timeout` the wait for a free pooled one (30 s by default); an API sets both
    low so that a request answers "try again" quickly while the database is away.
    """
    dsn = to_asyncpg_dsn(url)
    connect_args: dict[str, Any] = {} if connect_timeout is None else {"timeout": connect_timeout}

    async def connect() -> asyncpg.Connection:
        try:
            return await asyncpg.connect(dsn, **connect_args)
        except _CONNECT_OUTAGES as error:
            raise DatabaseUnavailable() from error

    pool_args: dict[str, Any] = {} if pool_timeout is None else {"pool_timeout": pool_timeout}
    return create_async_engine(
        to_sqlalchemy_url(url),
        async_creator=connect,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        echo=echo,
        **pool_args,
    )


def is_unavailable(error: BaseException) -> bool:
    """True when `error`, or an error it arose from, means the database cannot be reached now.

    Covers a failed connection, a connection lost mid-statement (SQLAlchemy marks it
    invalidated) and a pool with no free connection within its timeout.
    """
    seen: BaseException | None = error
    visited: set[int] = set()
    while seen is not None and id(seen) not in visited:
        visited.add(id(seen))
        if isinstance(seen, DatabaseUnavailable | sa_exc.TimeoutError):
            return True
        if isinstance(seen, sa_exc.DBAPIError) and seen.connection_invalidated:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def transaction(
    sessions: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """One unit of work: commits when the block ends, rolls back if it raises."""
    async with sessions() as session, session.begin():
        yield session
