"""The development OpenID provider's HTTP API: discovery, sign-in page, token, userinfo, logout.

Run with `python -m uvicorn devstack.oidc.app:create_app --factory` (devstack does this for
`make run`). Codes live in this process's memory: a restart only means signing in again.
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit
from uuid import UUID

import httpx
import jwt
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from servicekit.identity import InvalidToken, TokenVerifier, bearer_token
from servicekit.tokens import JWKS

from devstack.oidc import issuing, pages
from devstack.oidc.grants import (
    SCOPES,
    AuthorizationRequest,
    CodeBook,
    GrantRefused,
    InvalidRequest,
    UnknownClient,
    parse_authorization_request,
)
from devstack.oidc.members import Membership, SignInRefused, load_accounts
from devstack.oidc.settings import ProviderSettings

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
PAGE_HEADERS = {**NO_STORE, "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}


def discovery(settings: ProviderSettings) -> dict[str, Any]:
    base = settings.public_url
    return {
        "issuer": settings.issuer,
        "authorization_endpoint": f"{base}/authorize",
        "token_endpoint": f"{base}/token",
        "userinfo_endpoint": f"{base}/userinfo",
        "jwks_uri": f"{base}/jwks.json",
        "end_session_endpoint": f"{base}/logout",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": list(SCOPES),
        "claims_supported": [
            "sub",
            "name",
            "org",
            "iss",
            "aud",
            "exp",
            "iat",
            "auth_time",
            "nonce",
        ],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none"],
    }


def create_app(
    settings: ProviderSettings | None = None, clock: Callable[[], float] = time.time
) -> FastAPI:
    settings = settings or ProviderSettings()
    codes = CodeBook(settings.code_ttl_seconds, clock)
    verifier = TokenVerifier(
        issuer=settings.issuer, audience=settings.audience, jwks_file=str(settings.keys_dir / JWKS)
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient(timeout=10) as http:
            app.state.membership = Membership(
                http, settings.gateway_url, settings.keys_dir, settings.issuer, settings.audience
            )
            yield

    app = FastAPI(
        title="MAC Heroes development OpenID provider",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/.well-known/openid-configuration")
    async def openid_configuration() -> dict[str, Any]:
        return discovery(settings)

    @app.get("/jwks.json")
    async def jwks() -> Response:
        return Response((settings.keys_dir / JWKS).read_text(), media_type="application/json")

    @app.get("/authorize")
    async def authorize_page(request: Request) -> Response:
        auth = _authorization_request(dict(request.query_params), settings)
        if isinstance(auth, Response):
            return auth
        return _sign_in_page(auth, settings, member_id=auth.login_hint)

    @app.post("/authorize")
    async def authorize(request: Request) -> Response:
        form = await _form(request)
        auth = _authorization_request(form, settings)
        if isinstance(auth, Response):
            return auth
        if form.get("cancel"):
            return _back(
                auth.redirect_uri,
                error="access_denied",
                state=auth.state,
                error_description="You chose not to sign in.",
            )
        member_id = form.get("member_id", "").strip()
        try:
            person = await request.app.state.membership.look_up(_member_id(member_id))
        except SignInRefused as refused:
            return _sign_in_page(
                auth, settings, error=str(refused), member_id=member_id, status=400
            )
        return _back(auth.redirect_uri, code=codes.issue(auth, person), state=auth.state)

    @app.post("/token")
    async def token(request: Request) -> JSONResponse:
        form = await _form(request)
        client_id = _client_id(request, form)
        if client_id not in settings.clients:
            return _oauth_error("invalid_client", "This client is not registered.", 401)
        if form.get("grant_type") != "authorization_code":
            return _oauth_error(
                "unsupported_grant_type", "Only grant_type=authorization_code is supported."
            )
        try:
            grant = codes.redeem(
                form.get("code", ""),
                client_id=client_id,
                redirect_uri=form.get("redirect_uri", ""),
                verifier=form.get("code_verifier", ""),
            )
        except GrantRefused as refused:
            return _oauth_error(refused.error, refused.description)
        now, ttl = int(clock()), settings.token_ttl_seconds
        access = issuing.access_token(
            settings.keys_dir,
            grant,
            issuer=settings.issuer,
            audience=settings.audience,
            ttl_seconds=ttl,
            now=now,
        )
        return JSONResponse(
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": ttl,
                "scope": grant.request.scope,
                "id_token": issuing.id_token(
                    settings.keys_dir,
                    grant,
                    issuer=settings.issuer,
                    access=access,
                    ttl_seconds=ttl,
                    now=now,
                ),
            },
            headers=NO_STORE,
        )

    @app.api_route("/userinfo", methods=["GET", "POST"])
    async def userinfo(request: Request) -> JSONResponse:
        unauthorised = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
        try:
            access = bearer_token(request.headers.get("authorization"))
            principal = verifier.verify(access) if access else None
        except InvalidToken as error:
            return JSONResponse(
                {"error": "invalid_token", "error_description": str(error)}, 401, unauthorised
            )
        if principal is None or access is None:
            return JSONResponse(
                {"error": "invalid_token", "error_description": "A bearer token is required."},
                401,
                unauthorised,
            )
        try:
            name = await request.app.state.membership.display_name(access)
        except SignInRefused as error:
            return JSONResponse(
                {"error": "temporarily_unavailable", "error_description": str(error)}, 503
            )
        claims = {
            "sub": str(principal.member_id),
            "name": name,
            "org": str(principal.organisation_id) if principal.organisation_id else None,
        }
        return JSONResponse(
            {key: value for key, value in claims.items() if value is not None}, headers=NO_STORE
        )

    @app.api_route("/logout", methods=["GET", "POST"])
    async def logout(request: Request) -> Response:
        params = dict(request.query_params) if request.method == "GET" else await _form(request)
        target = params.get("post_logout_redirect_uri")
        if not target:
            return _html(pages.message_page("You have signed out", "You can close this page."))
        client_id = params.get("client_id") or _audience_of(params.get("id_token_hint"), settings)
        client = settings.clients.get(client_id or "")
        if client is None or target not in client.post_logout_redirect_uris:
            return _html(
                pages.message_page(
                    "You have signed out",
                    f"We did not send you back to {target}: that address is not registered "
                    "for this application.",
                ),
                status=400,
            )
        return _back(target, state=params.get("state"))

    return app


def _sign_in_page(
    auth: AuthorizationRequest,
    settings: ProviderSettings,
    *,
    error: str | None = None,
    member_id: str = "",
    status: int = 200,
) -> Response:
    accounts = load_accounts(settings.accounts_file)
    return _html(
        pages.sign_in_page(auth, accounts, error=error, member_id=member_id), status=status
    )


def _authorization_request(
    params: Mapping[str, str], settings: ProviderSettings
) -> AuthorizationRequest | Response:
    """The validated request, or the answer to a bad one: a page when the client or its redirect
    URI is unknown (never redirect there), else the error sent back to the client."""
    try:
        return parse_authorization_request(params, settings.clients)
    except UnknownClient as error:
        return _html(pages.message_page("You cannot sign in from here", str(error)), status=400)
    except InvalidRequest as error:
        return _back(
            params["redirect_uri"],
            error=error.error,
            error_description=error.description,
            state=params.get("state"),
        )


def _member_id(text: str) -> UUID:
    if not text:
        raise SignInRefused("Enter a member id, or choose a demo account.")
    try:
        return UUID(text)
    except ValueError as error:
        raise SignInRefused(
            "That is not a member id. A member id looks like 5eed0000-0000-4000-8000-000000000000."
        ) from error


def _client_id(request: Request, form: Mapping[str, str]) -> str:
    """The client, from the form (public clients) or HTTP Basic with an empty secret."""
    if form.get("client_id"):
        return form["client_id"]
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials).decode()
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return unquote(decoded.partition(":")[0])
    return ""


def _audience_of(id_token: str | None, settings: ProviderSettings) -> str | None:
    """The client an ID token we issued was for (its signature checked, expired or not)."""
    if not id_token:
        return None
    keys = jwt.PyJWKSet.from_json((settings.keys_dir / JWKS).read_text())
    for key in keys.keys:
        try:
            claims = jwt.decode(
                id_token,
                key=key.key,
                algorithms=["RS256"],
                options={"verify_aud": False, "verify_exp": False},
            )
        except jwt.PyJWTError:
            continue
        audience = claims.get("aud")
        return audience if isinstance(audience, str) else None
    return None


async def _form(request: Request) -> dict[str, str]:
    """An `application/x-www-form-urlencoded` body (no multipart parser needed for that)."""
    body = (await request.body()).decode("utf-8", errors="replace")
    return dict(parse_qsl(body, keep_blank_values=True))


def _back(uri: str, **params: str | None) -> RedirectResponse:
    """Send the browser back to the client with these query parameters added."""
    parts = urlsplit(uri)
    query = [*parse_qsl(parts.query), *((k, v) for k, v in params.items() if v is not None)]
    return RedirectResponse(
        urlunsplit(parts._replace(query=urlencode(query))), status_code=303, headers=NO_STORE
    )


def _html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers=PAGE_HEADERS)


def _oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse(
        {"error": error, "error_description": description}, status, headers=NO_STORE
    )
