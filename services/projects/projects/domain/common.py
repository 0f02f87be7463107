"""Shared vocabulary of the projects domain: enums, limits, text rules and errors. No I/O."""

from __future__ import annotations

from enum import StrEnum

from servicekit.errors import Conflict, InvalidInput, NotFound

# Documented limits (README "Limits"); the GraphQL descriptions quote them.
TITLE_MAX = 120
SUMMARY_MAX = 2000
AIM_WHAT_MAX = 300
AIM_HOW_MUCH_MAX = 200
THEME_MAX = 40
THEMES_MAX = 10
PARTNERS_MAX = 20
DRIVER_TEXT_MAX = 300
CHANGE_IDEA_TITLE_MAX = 200
DESCRIPTION_MAX = 2000
PDSA_TEXT_MAX = 4000
MEASURE_NAME_MAX = 200
UNIT_MAX = 40
ANNOTATION_MAX = 500
REASON_MAX = 500
REBASES_MAX = 20
VALUE_LIMIT = 1e12
SEARCH_TEXT_MIN = 3
SEARCH_TEXT_MAX = 500

# What replaces text written by a member who asked to be erased.
ERASED_TEXT = "(Removed: written by someone who asked for their details to be erased.)"


class Visibility(StrEnum):
    """Who may see a project."""

    TEAM = "team"
    ORGANISATION = "organisation"
    NETWORK = "network"


class TeamRole(StrEnum):
    LEAD = "lead"
    MEMBER = "member"
    SERVICE_USER_PARTNER = "service_user_partner"
    SPONSOR = "sponsor"
    COACH = "coach"


class CoProductionLevel(StrEnum):
    """The rungs of the co-production ladder, from telling people to sharing power."""

    INFORMING = "informing"
    CONSULTATION = "consultation"
    ENGAGEMENT = "engagement"
    CO_DESIGN = "co_design"
    CO_PRODUCTION = "co_production"


class MeasureKind(StrEnum):
    OUTCOME = "outcome"
    PROCESS = "process"
    BALANCING = "balancing"


class Decision(StrEnum):
    """The "act" of a PDSA cycle: what the team decides after studying the test."""

    ADOPT = "adopt"
    ADAPT = "adapt"
    ABANDON = "abandon"


class CycleStatus(StrEnum):
    TESTING = "testing"
    STUDIED = "studied"
    COMPLETED = "completed"


class DiagramItemKind(StrEnum):
    PRIMARY_DRIVER = "primary_driver"
    SECONDARY_DRIVER = "secondary_driver"
    CHANGE_IDEA = "change_idea"


def clean_text(
    value: str,
    *,
    field: str,
    label: str,
    max_length: int,
    required: bool = True,
    multiline: bool = False,
) -> str:
    """Tidy `value` (spaces, and blank lines when `multiline`) and enforce its limits in plain English."""
    if multiline:
        lines = [" ".join(line.split()) for line in value.strip().splitlines()]
        cleaned = "\n".join(lines).strip()
        while "\n\n\n" in cleaned:
            cleaned = cleaned.replace("\n\n\n", "\n\n")
    else:
        cleaned = " ".join(value.split())
    if required and not cleaned:
        raise InvalidInput(f"Please give a {label}.", field=field)
    if len(cleaned) > max_length:
        raise InvalidInput(
            f"The {label} is too long: at most {max_length} characters, please.", field=field
        )
    return cleaned


class ProjectNotFound(NotFound):
    code = "project_not_found"


class ProjectFinished(Conflict):
    code = "project_finished"


class StageChangeNotAllowed(Conflict):
    code = "stage_change_not_allowed"


class AimNeeded(Conflict):
    code = "aim_needed"


class ProjectNeedsLead(Conflict):
    code = "project_needs_a_lead"


class AlreadyOnTeam(Conflict):
    code = "already_on_team"


class NotOnTeam(NotFound):
    code = "not_on_team"


class DiagramItemNotFound(NotFound):
    code = "diagram_item_not_found"


class DiagramItemInUse(Conflict):
    code = "diagram_item_in_use"


class CycleNotFound(NotFound):
    code = "pdsa_cycle_not_found"


class CycleNotStudied(Conflict):
    code = "pdsa_cycle_not_studied"


class CycleWrongStep(Conflict):
    code = "pdsa_cycle_wrong_step"


class NextCycleNeedsAdapt(InvalidInput):
    code = "next_cycle_needs_adapt"


class MeasureNotFound(NotFound):
    code = "measure_not_found"


class MeasurementNotFound(NotFound):
    code = "measurement_not_found"


class MeasurementAlreadyRecorded(Conflict):
    code = "measurement_already_recorded"


class DateInFuture(InvalidInput):
    code = "date_in_future"


class TargetNeedsDirection(InvalidInput):
    code = "target_needs_direction"


class ValueOutOfRange(InvalidInput):
    code = "value_out_of_range"
