"""The SQL form of `Project.visible_to`: keep the two in step (both are tested)."""

from __future__ import annotations

from servicekit.identity import COORDINATOR, Principal
from sqlalchemy import ColumnElement, and_, exists, false, or_, select
from sqlalchemy.orm import aliased

from projects.models import ProjectRow, TeamSeatRow


def visible_to(principal: Principal) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = [ProjectRow.visibility == "network"]
    if principal.member_id is not None:
        seat = aliased(TeamSeatRow)  # the outer query may join team_members too
        clauses.append(
            exists(
                select(seat.id)
                .where(
                    seat.project_id == ProjectRow.id,
                    seat.member_id == principal.member_id,
                    seat.left_at.is_(None),
                )
                .correlate_except(seat)
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
