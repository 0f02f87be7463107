"""Projects rules, in plain Python with no I/O: projects and teams, stages, driver diagrams,
PDSA cycles and measures. Time comes in as arguments."""

from projects.domain.common import *  # noqa: F403 - the domain's vocabulary, one import away
from projects.domain.diagram import (
    DiagramItem,
    check_removable,
    new_change_idea,
    new_driver,
    subtree,
)
from projects.domain.measures import (
    DataPoint,
    Measure,
    Revision,
    chart_of,
    check_date,
    check_value,
    signals_to_announce,
)
from projects.domain.pdsa import PdsaCycle
from projects.domain.projects import Aim, Project, TeamSeat, tidy_themes
from projects.domain.stages import FINISHED, STAGE_MEANINGS, TRANSITIONS, Stage

__all__ = [
    "FINISHED",
    "STAGE_MEANINGS",
    "TRANSITIONS",
    "Aim",
    "DataPoint",
    "DiagramItem",
    "Measure",
    "PdsaCycle",
    "Project",
    "Revision",
    "Stage",
    "TeamSeat",
    "chart_of",
    "check_date",
    "check_removable",
    "check_value",
    "new_change_idea",
    "new_driver",
    "signals_to_announce",
    "subtree",
    "tidy_themes",
]
