"""Cross-site request forgery protection: every form and htmx request carries the session's token."""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request

FIELD = "csrf_token"
HEADER = "x-csrf-token"


def csrf_token(request: Request) -> str:
    token = request.session.get(FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[FIELD] = token
    return str(token)


async def require_csrf(request: Request) -> None:
    """A dependency for every route that changes something."""
    expected = request.session.get(FIELD)
    presented = request.headers.get(HEADER)
    if presented is None:
        form = await request.form()
        presented = str(form.get(FIELD) or "")
    if not expected or not hmac.compare_digest(str(expected), presented):
        raise HTTPException(status_code=403, detail="This form has expired. Please go back, reload the page and "
                                                    "try again.")
