"""Alembic environment of the projects database."""

from projects.models import Base
from servicekit.migrations import run_env

run_env(Base.metadata)
