"""A whole answer missing because a service's database is down: answered with HTTP 503, not 200."""

from __future__ import annotations

from typing import Any

OUTAGE_CODE = "SERVICE_UNAVAILABLE"


def is_outage(error: dict[str, Any]) -> bool:
    """A subgraph's retryable `SERVICE_UNAVAILABLE` error: its database (or the like) is down."""
    extensions = error.get("extensions")
    return (
        isinstance(extensions, dict)
        and extensions.get("code") == OUTAGE_CODE
        and extensions.get("retryable") is True
    )


def nothing_but_outage(response: dict[str, Any]) -> bool:
    """True when the response has no data at all because of outages: `data` is null, or every root
    field is null with an outage error at (or under) it. Partial data is still a 200."""
    outages = [error for error in response.get("errors") or () if is_outage(error)]
    if not outages or "data" not in response:
        return False
    data = response["data"]
    if data is None:
        return True
    if not isinstance(data, dict) or not data or any(value is not None for value in data.values()):
        return False
    explained = {str(error["path"][0]) for error in outages if error.get("path")}
    everywhere = any(not error.get("path") for error in outages)
    return everywhere or all(key in explained for key in data)
