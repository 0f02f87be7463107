"""The start page, the glossary, and each organisation's colours."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal import glossary
from portal.organisations import Organisation
from portal.visit import Visit, visit

router = APIRouter()


@router.get("/", name="home")
async def home(current: Annotated[Visit, Depends(visit)], notice: str | None = None) -> Response:
    return current.render("home.html", notice=notice)


@router.get("/glossary", name="glossary")
async def words(current: Annotated[Visit, Depends(visit)]) -> Response:
    return current.render("glossary.html", all_terms=glossary.TERMS)


@router.get("/brand.css", name="brand_css")
async def brand_css(request: Request) -> Response:
    """The organisation's colours as CSS variables (a file, so the CSP needs no inline styles)."""
    organisation: Organisation = request.state.organisation
    css = f":root {{ --brand: {organisation.primary_colour}; --accent: {organisation.accent_colour}; }}\n"
    return Response(css, media_type="text/css", headers={"cache-control": "public, max-age=300"})
