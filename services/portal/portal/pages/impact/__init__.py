"""Network impact: the network's own driver diagram and its monthly measures as SPC charts, for
an organisation or the whole network; network administrators edit the aim and drivers here."""

from __future__ import annotations

from fastapi import APIRouter

from portal.pages.impact import edit, page

router = APIRouter()
for part in (page.router, edit.router):
    router.include_router(part)
