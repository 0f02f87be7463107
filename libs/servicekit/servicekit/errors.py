"""Domain error base classes; entry points map them to GraphQL codes and HTTP statuses."""

from __future__ import annotations

from typing import Any, ClassVar

DATABASE_UNAVAILABLE_MESSAGE = "This service cannot reach its database just now. Please try again in a moment."


class DomainError(Exception):
    """An expected failure, explained in plain English, with a stable `code`.

    `code` is what clients branch on (`extensions.code` in GraphQL); the message
    is what a person reads. `details` carries extra machine-readable facts (for
    example the field that was invalid) and never personal data.
    """

    code: ClassVar[str] = "invalid"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(DomainError):
    code = "invalid_input"


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class NotAllowed(DomainError):
    """The caller is known but may not do this."""

    code = "forbidden"


class Unauthenticated(DomainError):
    """No valid identity was presented where one is needed."""

    code = "unauthenticated"


def http_status_for(error: DomainError) -> int:
    """The HTTP status a REST edge uses for a domain error."""
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, Conflict):
        return 409
    if isinstance(error, Unauthenticated):
        return 401
    if isinstance(error, NotAllowed):
        return 403
    return 422


class DatabaseAway(DomainError):
    """The service's database cannot be reached just now: trying again soon is right."""

    code = "SERVICE_UNAVAILABLE"

    def __init__(self) -> None:
        super().__init__(DATABASE_UNAVAILABLE_MESSAGE, retryable=True)
