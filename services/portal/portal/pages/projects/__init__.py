"""The projects pages: the list and search with similar work across the network, starting a
project, a project's page with its SPC charts, and changing a project's work."""

from __future__ import annotations

from fastapi import APIRouter

from portal.pages.projects import listing, page, team, work

router = APIRouter()
# In this order: /projects/new must match before /projects/{project_id}.
for part in (listing.router, page.router, work.router, team.router):
    router.include_router(part)
