"""Alembic environment of the recognition database."""

from recognition.models import Base
from servicekit.migrations import run_env

run_env(Base.metadata)
