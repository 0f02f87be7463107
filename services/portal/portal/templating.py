"""The Jinja2 templates, with the helpers every page uses."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from pathlib import Path

from fastapi.templating import Jinja2Templates
from starlette.requests import Request

from portal import glossary
from portal.csrf import csrf_token

TEMPLATES = Path(__file__).parent / "templates"


def when(value: str | None) -> str:
    """An API date or time as people write it: 3 March 2026."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(value), datetime.min.time())
        except ValueError:
            return value
    return f"{moment.day} {moment:%B %Y}"


def words(value: str | None) -> str:
    """An API enum value as words: SERVICE_USER_PARTNER -> service user partner."""
    return (value or "").replace("_", " ").lower()


def unique_id(prefix: str) -> str:
    """An id no other element on the page has, for pairing a control with what it opens."""
    return f"{prefix}-{secrets.token_hex(4)}"


def build_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.globals["terms"] = glossary.BY_KEY
    templates.env.filters["when"] = when
    templates.env.filters["words"] = words

    def csrf(request: Request) -> str:
        return csrf_token(request)

    templates.env.globals["csrf"] = csrf
    templates.env.globals["unique_id"] = unique_id
    return templates
