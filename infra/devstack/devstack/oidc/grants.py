"""Authorization requests, PKCE and one-time codes: the provider's rules, with no I/O."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from uuid import UUID

from devstack.oidc.settings import Client

# RFC 7636: a verifier is 43 to 128 unreserved characters; an S256 challenge is 43 base64url ones.
VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
CHALLENGE = re.compile(r"[A-Za-z0-9\-_]{43}")
SCOPES = ("openid", "profile")


class UnknownClient(Exception):
    """The client or its redirect URI is not registered: never redirect there, say so instead."""


class InvalidRequest(Exception):
    """A registered client sent a bad request: the client is told, through its redirect URI."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


class GrantRefused(Exception):
    """A code cannot be exchanged for tokens (`error` is the OAuth error code)."""

    def __init__(self, description: str, error: str = "invalid_grant") -> None:
        super().__init__(description)
        self.error = error
        self.description = description


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    client_id: str
    redirect_uri: str
    scope: str
    state: str
    nonce: str
    code_challenge: str
    login_hint: str = ""  # OIDC Core 3.1.2.1: who the client expects to sign in

    def as_params(self) -> dict[str, str]:
        """The request as query or form parameters, to carry it through the sign-in form."""
        hint = {"login_hint": self.login_hint} if self.login_hint else {}
        return hint | {
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "response_type": "code",
            "scope": self.scope,
            "state": self.state,
            "nonce": self.nonce,
            "code_challenge": self.code_challenge,
            "code_challenge_method": "S256",
        }


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who signed in, as membership knows them at that moment."""

    member_id: UUID
    organisation_id: UUID | None
    roles: tuple[str, ...]
    name: str


@dataclass(frozen=True, slots=True)
class Grant:
    request: AuthorizationRequest
    person: SignedIn
    expires_at: float


def check_client(params: Mapping[str, str], clients: Mapping[str, Client]) -> tuple[str, str]:
    """The client id and redirect URI, when both are registered; raises UnknownClient otherwise."""
    client_id = params.get("client_id", "")
    redirect_uri = params.get("redirect_uri", "")
    client = clients.get(client_id)
    if client is None:
        raise UnknownClient(
            f"The application asking you to sign in ({client_id or 'unnamed'}) is not "
            "registered with this sign-in service."
        )
    if redirect_uri not in client.redirect_uris:
        raise UnknownClient(
            f"The application {client_id} asked to send you back to an address it has not "
            f"registered ({redirect_uri or 'none given'})."
        )
    return client_id, redirect_uri


def parse_authorization_request(
    params: Mapping[str, str], clients: Mapping[str, Client]
) -> AuthorizationRequest:
    """An authorization code request with PKCE (S256), state and nonce; raises UnknownClient
    or InvalidRequest."""
    client_id, redirect_uri = check_client(params, clients)
    if params.get("response_type") != "code":
        raise InvalidRequest("unsupported_response_type", "Only response_type=code is supported.")
    scopes = params.get("scope", "").split()
    if "openid" not in scopes:
        raise InvalidRequest("invalid_scope", "The scope must include openid.")
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        raise InvalidRequest("invalid_scope", f"Unknown scope: {' '.join(unknown)}.")
    if params.get("code_challenge_method") != "S256":
        raise InvalidRequest(
            "invalid_request", "PKCE is required, with code_challenge_method=S256."
        )
    if not CHALLENGE.fullmatch(params.get("code_challenge", "")):
        raise InvalidRequest(
            "invalid_request", "code_challenge must be an S256 challenge (43 characters)."
        )
    for name in ("state", "nonce"):
        if not params.get(name):
            raise InvalidRequest("invalid_request", f"The {name} parameter is required.")
    return AuthorizationRequest(
        client_id=client_id,
        redirect_uri=redirect_uri,
        scope=" ".join(scopes),
        state=params["state"],
        nonce=params["nonce"],
        code_challenge=params["code_challenge"],
        login_hint=params.get("login_hint", "")[:200],
    )


def s256(verifier: str) -> str:
    """The S256 code challenge of a PKCE code verifier."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class CodeBook:
    """One-time authorization codes, each redeemable once, within `ttl_seconds`, by the client
    it was issued to, at the same redirect URI, with the verifier of its PKCE challenge."""

    def __init__(self, ttl_seconds: float, clock: Callable[[], float] = time.time) -> None:
        self.ttl = ttl_seconds
        self.clock = clock
        self._grants: dict[str, Grant] = {}
        self._redeemed: dict[str, float] = {}  # code -> when it expires, to say "already used"

    def issue(self, request: AuthorizationRequest, person: SignedIn) -> str:
        self._forget_expired()
        code = secrets.token_urlsafe(32)
        self._grants[code] = Grant(request, person, self.clock() + self.ttl)
        return code

    def redeem(self, code: str, *, client_id: str, redirect_uri: str, verifier: str) -> Grant:
        # A code is spent by any attempt, right or wrong: a stolen code cannot be tried twice.
        grant = self._grants.pop(code, None)
        if grant is None:
            if code in self._redeemed:
                raise GrantRefused("This sign-in code has already been used.")
            raise GrantRefused("This sign-in code is not one we issued, or it has expired.")
        self._redeemed[code] = grant.expires_at
        if self.clock() > grant.expires_at:
            raise GrantRefused("This sign-in code has expired. Please sign in again.")
        if client_id != grant.request.client_id:
            raise GrantRefused("This sign-in code was issued to another application.")
        if redirect_uri != grant.request.redirect_uri:
            raise GrantRefused("redirect_uri differs from the one the sign-in started with.")
        if not VERIFIER.fullmatch(verifier) or not secrets.compare_digest(
            s256(verifier), grant.request.code_challenge
        ):
            raise GrantRefused("The code_verifier does not match the code_challenge (PKCE).")
        return grant

    def _forget_expired(self) -> None:
        now = self.clock()
        self._grants = {
            code: grant for code, grant in self._grants.items() if grant.expires_at >= now
        }
        self._redeemed = {code: until for code, until in self._redeemed.items() if until >= now}
