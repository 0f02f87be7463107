"""Request id and W3C traceparent carried in context variables from the edge to the outbox."""

from __future__ import annotations

import re
import secrets
from contextvars import ContextVar

_traceparent: ContextVar[str | None] = ContextVar("traceparent", default=None)
_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

_TRACEPARENT = re.compile(r"^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")


def current_traceparent() -> str | None:
    """The active OpenTelemetry span's context when tracing is on, else the request's own."""
    from servicekit import telemetry

    if telemetry.enabled() and (active := telemetry.current_traceparent()):
        return active
    return _traceparent.get()


def current_request_id() -> str | None:
    return _request_id.get()


def set_traceparent(value: str | None) -> None:
    """Use `value` when it is a valid W3C traceparent, else start a new trace."""
    if value and _TRACEPARENT.match(value):
        _traceparent.set(value)
    else:
        _traceparent.set(new_traceparent())


def set_request_id(value: str | None) -> str:
    request_id = value if value and len(value) <= 128 else secrets.token_hex(8)
    _request_id.set(request_id)
    return request_id


def new_traceparent() -> str:
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"
