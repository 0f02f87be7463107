"""The portal's one way to data: the gateway's GraphQL API, with the signed-in person's token."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import httpx

log = logging.getLogger("portal.gateway")


class GatewayDown(Exception):
    """The gateway did not answer, or answered with a server failure: show a retry page."""


@dataclass(frozen=True)
class Problem:
    """One error the API reported: its plain-English message, its code, and the field it is about."""

    message: str
    code: str
    field: str | None = None
    path: tuple[str | int, ...] = ()
    retryable: bool = False


@dataclass
class Answer:
    data: dict[str, Any] | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem_for(self, field_name: str) -> Problem | None:
        return next((p for p in self.problems if p.field == field_name), None)


class Gateway:
    def __init__(self, url: str, http: httpx.AsyncClient) -> None:
        self.url = url
        self.http = http

    async def call(self, document: str, variables: dict[str, Any] | None = None, *, token: str | None,
                   request_id: str | None = None) -> Answer:
        headers = {"content-type": "application/json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        if request_id:
            headers["x-request-id"] = request_id
        try:
            response = await self.http.post(self.url, json={"query": document, "variables": variables or {}},
                                            headers=headers)
        except httpx.HTTPError as error:
            log.warning("gateway.unreachable", extra={"reason": repr(error)})
            raise GatewayDown(str(error)) from error
        if response.status_code >= 500 and response.status_code != 503:
            raise GatewayDown(f"HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError as error:
            raise GatewayDown("the gateway answered with something that is not JSON") from error
        problems = [_problem(error) for error in body.get("errors") or ()]
        if response.status_code == 503 and not body.get("data"):
            raise GatewayDown("a service's database is not answering")
        return Answer(body.get("data"), problems)


def _problem(error: dict[str, Any]) -> Problem:
    extensions = error.get("extensions") or {}
    return Problem(
        message=str(error.get("message") or "Something went wrong."),
        code=str(extensions.get("code") or "UNKNOWN"),
        field=str(extensions["field"]) if extensions.get("field") else None,
        path=tuple(error.get("path") or ()),
        retryable=bool(extensions.get("retryable")),
    )
