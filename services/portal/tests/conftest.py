"""Portal test fixtures: the portal app in-process, with a stand-in for the gateway that answers
from canned GraphQL results and records every call the portal makes.

The portal is one more client of the public GraphQL contract; these tests check what it asks
and what it shows. The browser tests (tests/browser/ at the repository root) run it against the
real network.
"""

from __future__ import annotations

import json
import time
from base64 import b64encode
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import httpx
import jwt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from portal.app import create_app
from portal.gateway import Gateway
from portal.settings import Settings

SECRET = "portal-test-session-secret"
Reply = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class Call:
    query: str
    variables: dict[str, Any]
    token: str | None

    @property
    def operation(self) -> str:
        """The operation's name (`query Wall(...)` -> Wall), or the first field for anonymous ones."""
        head = self.query.strip().split("{", 1)[0].split("(", 1)[0].split()
        return head[1] if len(head) > 1 else self.query.strip().lstrip("{").split("(")[0].split()[0]


@dataclass
class FakeGateway:
    """Answers each operation (by name) with a reply; records every call."""

    replies: dict[str, Reply] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    down: bool = False

    def answer(self, operation: str, reply: Reply) -> None:
        self.replies[operation] = reply

    def handler(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("the gateway is down (test)")
        body = json.loads(request.content)
        auth = request.headers.get("authorization")
        call = Call(body["query"], body.get("variables") or {}, auth.removeprefix("Bearer ") if auth else None)
        self.calls.append(call)
        reply = self.replies.get(call.operation)
        if reply is None:
            return httpx.Response(200, json={"errors": [{"message": f"no canned answer for {call.operation}",
                                                         "extensions": {"code": "TEST_UNANSWERED"}}]})
        result = dict(reply(call.variables) if callable(reply) else reply)
        return httpx.Response(503 if result.pop("_status", None) == 503 else 200, json=result)


@dataclass
class Portal:
    client: TestClient
    gateway: FakeGateway
    app: FastAPI

    def sign_in(self, *, member_id: str | None = None, organisation_id: str | None = None,
                roles: tuple[str, ...] = ("hero",), name: str = "Sam Nurse", slug: str = "network") -> str:
        """Put a signed-in person in the session cookie, as the sign-in callback would; returns their id."""
        member = member_id or str(uuid4())
        token = jwt.encode({"sub": member, "org": organisation_id or str(uuid4()), "roles": list(roles),
                            "exp": int(time.time()) + 3600}, "not-checked-by-the-portal", algorithm="HS256")
        session = {"people": {slug: {"token": token, "member_id": member, "organisation_id": organisation_id,
                                     "name": name, "roles": list(roles), "expires_at": time.time() + 3600,
                                     "id_token": None}},
                   "csrf_token": "test-csrf-token"}
        cookie = TimestampSigner(SECRET).sign(b64encode(json.dumps(session).encode())).decode()
        self.client.cookies.set("heroes_portal", cookie)
        return member

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        """A form post with the session's CSRF token, as the page's form would send it."""
        # starlette types TestClient against httpx2, which is not installed: name the answer's type here.
        response: httpx.Response = self.client.post(path, data={"csrf_token": "test-csrf-token", **(data or {})},
                                                    **kwargs)
        return response


@pytest.fixture
def portal() -> Iterator[Portal]:
    settings = Settings(gateway_url="http://gateway.test/graphql", public_url="http://testserver",
                        session_secret=SECRET, oidc_issuer_url="http://idp.test", environment="development")
    fake = FakeGateway()
    app = create_app(settings)
    with TestClient(app, follow_redirects=False) as client:
        app.state.gateway = Gateway(settings.gateway_url,
                                    httpx.AsyncClient(transport=httpx.MockTransport(fake.handler)))
        yield Portal(client, fake, app)
