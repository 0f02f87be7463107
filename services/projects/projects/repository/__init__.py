"""Every projects query lives here; rows in, domain objects out."""

from projects.repository.people import MemberVisibilityRepository
from projects.repository.projects import Page, ProjectRepository
from projects.repository.work import (
    CycleRepository,
    DiagramRepository,
    MeasureRepository,
    SettingsRepository,
)

__all__ = [
    "CycleRepository",
    "DiagramRepository",
    "MeasureRepository",
    "MemberVisibilityRepository",
    "Page",
    "ProjectRepository",
    "SettingsRepository",
]
