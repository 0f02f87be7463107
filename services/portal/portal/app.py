"""Portal HTTP process: the network's web pages, over the gateway's GraphQL API only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import HTTPException
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from servicekit import telemetry
from servicekit.http import add_health_routes, add_request_context
from servicekit.logs import configure_logging
from starlette.middleware.sessions import SessionMiddleware
from starlette.status import HTTP_503_SERVICE_UNAVAILABLE

from portal import auth
from portal.gateway import Gateway, GatewayDown
from portal.organisations import load_organisations
from portal.pages import ROUTERS
from portal.routing import OrganisationRouting
from portal.security import SecurityHeaders, content_security_policy
from portal.settings import Settings, get_settings
from portal.templating import build_templates
from portal.visit import SignInNeeded, visit

STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging("portal", settings.log_level or "INFO")
    organisations = load_organisations(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient(timeout=settings.request_timeout_seconds) as http:
            app.state.gateway = Gateway(settings.gateway_url, http)
            yield

    app = FastAPI(title="portal", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.templates = build_templates()
    app.state.oauth = auth.identity_providers(organisations)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(auth.router)
    for router in ROUTERS:
        app.include_router(router)
    _add_problem_pages(app)

    async def gateway_answers() -> bool:
        health = settings.gateway_url.rsplit("/graphql", 1)[0] + "/healthz"
        async with httpx.AsyncClient(timeout=2) as http:
            return (await http.get(health)).status_code == 200

    add_health_routes(app, checks=lambda: {"gateway": gateway_answers}, process="portal")
    add_request_context(app, "portal")
    app.add_middleware(SessionMiddleware, secret_key=settings.session_secret.get_secret_value(),
                       session_cookie="heroes_portal", max_age=settings.session_max_age_seconds,
                       same_site="lax", https_only=settings.secure_cookies)
    app.add_middleware(OrganisationRouting, organisations=organisations)
    app.add_middleware(SecurityHeaders,
                       policy=content_security_policy(o.oidc_issuer_url for o in organisations.all))
    if telemetry.configure_tracing("portal"):
        telemetry.instrument_app(app)  # outermost; its calls to the gateway (httpx) carry the trace
    return app


def _add_problem_pages(app: FastAPI) -> None:
    """Plain pages for what goes wrong: never a code or a stack trace."""

    @app.exception_handler(SignInNeeded)
    async def sign_in_needed(request: Request, _: SignInNeeded) -> Response:
        path = request.url.path.removeprefix(request.scope.get("root_path", "")) or "/"
        query = f"?next={path}" if path != "/" else ""
        return RedirectResponse(str(request.url_for("sign_in")) + query, status_code=303)

    @app.exception_handler(GatewayDown)
    async def gateway_down(request: Request, _: GatewayDown) -> Response:
        return visit(request).render(
            "problem.html", status_code=HTTP_503_SERVICE_UNAVAILABLE, heading="The network is not answering",
            message="We could not reach the network just now. Nothing you did caused this. Please try again in a "
                    "minute.", retry_url=str(request.url))

    @app.exception_handler(HTTPException)
    async def http_problem(request: Request, error: HTTPException) -> Response:
        headings = {403: "That did not work", 404: "Page not found", 405: "That did not work"}
        messages = {404: "There is no page at this address. It may have moved, or the link may be wrong.",
                    405: "That is not something this page can do."}
        message = messages.get(error.status_code) or (error.detail if isinstance(error.detail, str) else
                                                      "Something went wrong. Please try again.")
        return visit(request).render("problem.html", status_code=error.status_code,
                                     heading=headings.get(error.status_code, "Something went wrong"), message=message)
