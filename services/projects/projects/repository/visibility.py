"""The SQL form of `Project.visible_to`: keep the two in step (both are tested)."""

from __future__ import annotations

from servicekit.identity import COORDINATOR, Principal
from sqlalchemy import ColumnElement, and_, exists, false, or_, select

from projects.models import ProjectRow, TeamSeatRow


def visible_to(principal: Principal) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = [ProjectRow.visibility == "network"]
    if principal.member_id is not None:
        clauses.append(
            exists(
                select(TeamSeatRow.id).where(
                    TeamSeatRow.project_id == ProjectRow.id,
                    TeamSeatRow.member_id == principal.member_id,
                    TeamSeatRow.left_at.is_(None),
                )
            )
        )
        organisation = principal.organisation_id
        if organisation is not None:
            clauses.append(
                and_(
                    ProjectRow.visibility == "organisation",
                    or_(
                        ProjectRow.organisation_id == organisation,
                        ProjectRow.partner_organisation_ids.any_() == organisation,
                    ),
                )
            )
            if COORDINATOR in principal.roles:
                clauses.append(ProjectRow.organisation_id == organisation)
    return or_(false(), *clauses)
