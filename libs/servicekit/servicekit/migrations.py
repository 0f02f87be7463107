"""Alembic helpers: each service migrates its own database; outbox and inbox tables come from here."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import async_engine_from_config

from servicekit.outbox import NOTIFY_CHANNEL
from servicekit.settings import to_asyncpg_dsn, to_sqlalchemy_url


def alembic_config(service_dir: Path, database_url: str) -> Config:
    """The Alembic configuration of the service in `service_dir`, aimed at `database_url`."""
    config = Config(str(service_dir / "alembic.ini"))
    config.set_main_option("script_location", str(service_dir / "migrations"))
    config.set_main_option("sqlalchemy.url", to_sqlalchemy_url(database_url).replace("%", "%%"))
    return config


def upgrade(service_dir: Path, database_url: str, revision: str = "head") -> None:
    """Run the service's migrations up to `revision` (blocking; call from a thread in async code)."""
    command.upgrade(alembic_config(service_dir, database_url), revision)


def downgrade(service_dir: Path, database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(service_dir, database_url), revision)


def run_env(target_metadata: MetaData | list[MetaData]) -> None:
    """Body of a service's `migrations/env.py`: online migrations over asyncpg."""
    config = context.config
    if context.is_offline_mode():
        context.configure(
            url=config.get_main_option("sqlalchemy.url"),
            target_metadata=target_metadata,
            literal_binds=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return

    def run(connection: Connection) -> None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()

    async def run_async() -> None:
        engine = async_engine_from_config(
            config.get_section(config.config_ini_section, {}),
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
        async with engine.connect() as connection:
            await connection.run_sync(run)
        await engine.dispose()

    asyncio.run(run_async())


async def ensure_database(database_url: str) -> bool:
    """Create the database `database_url` names when missing; True if it was created."""
    url = make_url(to_sqlalchemy_url(database_url))
    name = url.database
    assert name, "the URL must name a database"
    admin_dsn = to_asyncpg_dsn(url.set(database="postgres").render_as_string(hide_password=False))
    conn = await asyncpg.connect(admin_dsn, timeout=10)
    try:
        if await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            return False
        try:
            await conn.execute(f'CREATE DATABASE "{_identifier(name)}"')
        except asyncpg.DuplicateDatabaseError:
            return False
        return True
    finally:
        await conn.close()


async def drop_database(database_url: str) -> None:
    url = make_url(to_sqlalchemy_url(database_url))
    assert url.database
    admin_dsn = to_asyncpg_dsn(url.set(database="postgres").render_as_string(hide_password=False))
    conn = await asyncpg.connect(admin_dsn, timeout=10)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{_identifier(url.database)}" WITH (FORCE)')
    finally:
        await conn.close()


def _identifier(name: str) -> str:
    if not name.replace("_", "").replace("-", "").isalnum():
        raise ValueError(f"unsafe database name: {name!r}")
    return name


# --- operations for a service's first migration -------------------------------------------

MESSAGING_UPGRADE = f"""
CREATE TABLE outbox_messages (
    id uuid PRIMARY KEY,
    position bigint GENERATED ALWAYS AS IDENTITY,
    topic text NOT NULL,
    key text NOT NULL,
    type text NOT NULL,
    source text NOT NULL,
    payload jsonb NOT NULL,
    traceparent text,
    occurred_at timestamptz NOT NULL,
    published_at timestamptz,
    CONSTRAINT uq_outbox_messages_position UNIQUE (position)
);
CREATE INDEX ix_outbox_messages_unpublished ON outbox_messages (position)
    WHERE published_at IS NULL;
CREATE FUNCTION servicekit_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{NOTIFY_CHANNEL}', '');
    RETURN NULL;
END $$;
CREATE TRIGGER outbox_messages_notify AFTER INSERT ON outbox_messages
    FOR EACH STATEMENT EXECUTE FUNCTION servicekit_outbox_notify();
CREATE TABLE inbox_messages (
    consumer text NOT NULL,
    message_id uuid NOT NULL,
    type text NOT NULL DEFAULT '',
    received_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_inbox_messages PRIMARY KEY (consumer, message_id)
);
"""

MESSAGING_DOWNGRADE = """
DROP TABLE IF EXISTS inbox_messages;
DROP TRIGGER IF EXISTS outbox_messages_notify ON outbox_messages;
DROP FUNCTION IF EXISTS servicekit_outbox_notify();
DROP TABLE IF EXISTS outbox_messages;
"""


def create_messaging_tables() -> None:
    """Create the outbox (with its NOTIFY trigger) and inbox tables; call from `upgrade()`."""
    from alembic import op

    for statement in _statements(MESSAGING_UPGRADE):
        op.execute(statement)


def drop_messaging_tables() -> None:
    from alembic import op

    for statement in _statements(MESSAGING_DOWNGRADE):
        op.execute(statement)


def _statements(script: str) -> list[str]:
    # Split on ";\n" outside the one dollar-quoted function body.
    parts: list[str] = []
    buffer: list[str] = []
    in_body = False
    for line in script.strip().splitlines():
        buffer.append(line)
        if line.count("$$") % 2 == 1:
            in_body = not in_body
        if line.rstrip().endswith(";") and not in_body:
            parts.append("\n".join(buffer))
            buffer = []
    if buffer:
        parts.append("\n".join(buffer))
    return parts


def service_dir_of(module_file: str) -> Path:
    """The service folder (holding alembic.ini) of a module inside its package."""
    return Path(module_file).resolve().parent.parent
