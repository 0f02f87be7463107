"""Signing in with OpenID Connect (authorization code with PKCE), through Authlib, per organisation.

Each organisation names its identity provider (issuer URL, client id). The access token it issues
is the one the network's services verify; the portal keeps it in the session cookie (signed,
HTTP-only) and forwards it to the gateway on every call.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from authlib.integrations.starlette_client import OAuth, OAuthError, StarletteOAuth2App
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from portal.csrf import require_csrf
from portal.organisations import Organisation, Organisations
from portal.people import Person, forget, remember

log = logging.getLogger("portal.auth")

router = APIRouter(prefix="/auth")


def identity_providers(organisations: Organisations) -> OAuth:
    oauth = OAuth()
    for organisation in organisations.all:
        oauth.register(
            name=organisation.slug,
            client_id=organisation.oidc_client_id,
            server_metadata_url=organisation.oidc_issuer_url.rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": "openid profile", "code_challenge_method": "S256",
                           "token_endpoint_auth_method": "none"},
        )
    return oauth


def _client(request: Request) -> tuple[Organisation, StarletteOAuth2App]:
    organisation: Organisation = request.state.organisation
    client = request.app.state.oauth.create_client(organisation.slug)
    return organisation, client


def _local(next_page: str | None) -> str:
    """Only a path on this site: never send someone on to another site after signing in."""
    return next_page if next_page and next_page.startswith("/") and not next_page.startswith("//") else "/"


@router.get("/sign-in", name="sign_in")
async def sign_in(request: Request, next: str | None = None) -> Response:
    _, client = _client(request)
    request.session["after_sign_in"] = _local(next)
    # Someone who has just joined: tell the identity provider who is expected (OIDC login_hint).
    hint = request.session.pop("login_hint", None)
    extra = {"login_hint": hint} if hint else {}
    return await client.authorize_redirect(request, str(request.url_for("auth_callback")), **extra)  # type: ignore[no-any-return]


@router.get("/callback", name="auth_callback")
async def callback(request: Request) -> Response:
    organisation, client = _client(request)
    try:
        token = await client.authorize_access_token(request)  # type: ignore[no-untyped-call]  # stubs: untyped
    except OAuthError as error:
        log.info("auth.sign_in_failed", extra={"reason": error.error})
        return RedirectResponse(str(request.url_for("home")) + "?" + urlencode({"notice": "sign-in-failed"}),
                                status_code=303)
    userinfo = token.get("userinfo") or {}
    person = Person.from_tokens(token["access_token"], token.get("id_token"), userinfo.get("name"))
    remember(request, organisation, person)
    destination = request.session.pop("after_sign_in", "/")
    root = request.scope.get("root_path", "")
    return RedirectResponse(root + _local(destination), status_code=303)


@router.post("/sign-out", name="sign_out", dependencies=[Depends(require_csrf)])
async def sign_out(request: Request) -> Response:
    organisation, client = _client(request)
    person = forget(request, organisation)
    home = str(request.url_for("home"))
    metadata = await client.load_server_metadata()
    end_session = metadata.get("end_session_endpoint")
    if not end_session:
        return RedirectResponse(home, status_code=303)
    query = {"post_logout_redirect_uri": home, "client_id": organisation.oidc_client_id}
    if person is not None and person.id_token:
        query["id_token_hint"] = person.id_token
    return RedirectResponse(f"{end_session}?{urlencode(query)}", status_code=303)
