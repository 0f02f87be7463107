"""Network impact: the network's own driver diagram and its monthly measures as SPC charts, for
an organisation or the whole network."""

from __future__ import annotations

from fastapi import APIRouter

from portal.pages.impact import page

router = APIRouter()
for part in (page.router,):
    router.include_router(part)
