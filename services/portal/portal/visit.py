"""One page view: the organisation, who is signed in, and how to ask the gateway and render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from servicekit.tracing import current_request_id

from portal.gateway import Answer, Gateway
from portal.organisations import Organisation
from portal.people import Person, signed_in


class SignInNeeded(Exception):
    """The page is for signed-in members: send the person to sign in, then back here."""


@dataclass
class Visit:
    request: Request
    organisation: Organisation
    person: Person | None

    @property
    def gateway(self) -> Gateway:
        gateway: Gateway = self.request.app.state.gateway
        return gateway

    async def ask(self, document: str, variables: dict[str, Any] | None = None) -> Answer:
        token = self.person.token if self.person else None
        return await self.gateway.call(document, variables, token=token, request_id=current_request_id())

    def render(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        templates = self.request.app.state.templates
        return templates.TemplateResponse(  # type: ignore[no-any-return]
            self.request, template, {"visit": self, "organisation": self.organisation, "person": self.person,
                                     **context}, status_code=status_code)


def visit(request: Request) -> Visit:
    organisation: Organisation = request.state.organisation
    return Visit(request, organisation, signed_in(request, organisation))


def member_visit(request: Request) -> Visit:
    """A page for signed-in members only."""
    current = visit(request)
    if current.person is None:
        raise SignInNeeded
    return current
