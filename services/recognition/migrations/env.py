"""Alembic environment of the recognition database."""

from servicekit.migrations import run_env

from recognition.models import Base

run_env(Base.metadata)
