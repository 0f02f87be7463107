"""Which organisation a request is for: by host name, or by a `/o/<slug>` path prefix."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from portal.organisations import Organisations


class OrganisationRouting:
    """Puts the organisation in `scope["state"]["organisation"]`; a path prefix moves into
    `root_path`, so routes are written once and every URL the portal makes keeps the prefix."""

    def __init__(self, app: ASGIApp, *, organisations: Organisations) -> None:
        self.app = app
        self.organisations = organisations

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        organisation = None
        path: str = scope["path"]
        parts = path.split("/", 3)
        if len(parts) >= 3 and parts[1] == "o" and parts[2] in self.organisations.by_slug:
            organisation = self.organisations.by_slug[parts[2]]
            prefix = scope.get("root_path", "") + f"/o/{parts[2]}"
            # ASGI paths include the root path; routing then matches what follows it.
            scope = {**scope, "root_path": prefix, "path": path if path != prefix else prefix + "/"}
        if organisation is None:
            host = dict(scope.get("headers") or []).get(b"host", b"").decode()
            organisation = self.organisations.for_host(host) or self.organisations.default
        scope.setdefault("state", {})
        scope["state"]["organisation"] = organisation
        await self.app(scope, receive, send)
