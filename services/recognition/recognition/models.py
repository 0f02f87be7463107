"""Recognition tables (SQLAlchemy mappings only)."""

from servicekit.db import new_metadata
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    metadata = new_metadata()
