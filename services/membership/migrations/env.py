"""Alembic environment of the membership database."""

from servicekit.migrations import run_env

from membership.models import Base

run_env(Base.metadata)
