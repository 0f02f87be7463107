"""Alembic environment of the servicekit test database."""

from servicekit.migrations import run_env
from servicekit.outbox import metadata

run_env(metadata)
