"""The development OpenID provider: code flow with PKCE over HTTP, tokens the services accept.

Membership's answers come from a small stand-in gateway served here, which checks the lookup
token the way the real gateway does; the browser tests (tests/browser) sign in against the
real network.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID, uuid4

import httpx
import jwt
import pytest
import pytest_asyncio
from devstack.kafka import free_port
from devstack.oidc.app import create_app
from devstack.oidc.grants import s256
from devstack.oidc.issuing import at_hash
from devstack.oidc.settings import ProviderSettings
from fastapi import FastAPI, Request
from servicekit.identity import InvalidToken, TokenVerifier, bearer_token
from servicekit.testing import Tokens, serve_app

pytestmark = pytest.mark.asyncio(loop_scope="session")

CLIENT = "heroes-portal"
CALLBACK = "http://127.0.0.1:9/auth/callback"
AFTER_LOGOUT = "http://127.0.0.1:9/"
ORGANISATION = uuid4()
COORDINATOR = uuid4()
PAUSED = uuid4()
MEMBERS: dict[UUID, dict[str, Any]] = {
    COORDINATOR: {
        "id": str(COORDINATOR),
        "displayName": "Asha Coordinator",
        "status": "ACTIVE",
        "networkRole": "COORDINATOR",
        "organisation": {"id": str(ORGANISATION)},
    },
    PAUSED: {
        "id": str(PAUSED),
        "displayName": "Paula Paused",
        "status": "PAUSED",
        "networkRole": "HERO",
        "organisation": {"id": str(ORGANISATION)},
    },
}


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def stand_in_gateway(tokens: Tokens) -> FastAPI:
    """Answers `me` for MEMBERS, only to a valid token of the network (as the gateway would)."""
    verifier = TokenVerifier(
        issuer=tokens.issuer, audience=tokens.audience, jwks_file=tokens.jwks_file
    )
    app = FastAPI()

    @app.post("/graphql")
    async def graphql(request: Request) -> dict[str, Any]:
        try:
            principal = verifier.verify(bearer_token(request.headers.get("authorization")) or "")
        except InvalidToken as error:
            return {"errors": [{"message": str(error), "extensions": {"code": error.code}}]}
        return {"data": {"me": MEMBERS.get(principal.member_id)}}  # type: ignore[arg-type]

    return app


@dataclass
class Provider:
    url: str
    http: httpx.AsyncClient
    clock: Clock
    tokens: Tokens

    def start(self, verifier: str, **overrides: str) -> dict[str, str]:
        params = {
            "client_id": CLIENT,
            "redirect_uri": CALLBACK,
            "response_type": "code",
            "scope": "openid profile",
            "state": secrets.token_urlsafe(8),
            "nonce": secrets.token_urlsafe(8),
            "code_challenge": s256(verifier),
            "code_challenge_method": "S256",
        }
        return {**params, **overrides}

    async def sign_in(self, member_id: UUID, verifier: str) -> tuple[str, dict[str, str]]:
        """Open the sign-in page and choose the member; returns the code and the request."""
        params = self.start(verifier)
        page = await self.http.get(f"{self.url}/authorize", params=params)
        assert page.status_code == 200, page.text
        chosen = await self.http.post(
            f"{self.url}/authorize", data={**params, "member_id": str(member_id)}
        )
        assert chosen.status_code == 303, chosen.text
        back = urlsplit(chosen.headers["location"])
        query = {key: values[0] for key, values in parse_qs(back.query).items()}
        assert f"{back.scheme}://{back.netloc}{back.path}" == CALLBACK
        assert query["state"] == params["state"]
        return query["code"], params

    async def exchange(self, code: str, verifier: str, **overrides: str) -> httpx.Response:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "client_id": CLIENT,
            "code_verifier": verifier,
            **overrides,
        }
        return await self.http.post(f"{self.url}/token", data=form)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def served(
    tokens: Tokens, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Provider]:
    accounts = tmp_path_factory.mktemp("oidc") / "accounts.json"
    accounts.write_text(
        f'[{{"member_id": "{COORDINATOR}", "name": "Asha Coordinator", '
        '"organisation": "Riverside (demo)", "role": "coordinator"}]'
    )
    clock = Clock()
    port = free_port()
    async with serve_app(stand_in_gateway(tokens)) as gateway:
        settings = ProviderSettings(
            public_url=f"http://127.0.0.1:{port}",
            keys_dir=tokens.keys,
            gateway_url=f"{gateway}/graphql",
            clients={
                CLIENT: {"redirect_uris": [CALLBACK], "post_logout_redirect_uris": [AFTER_LOGOUT]}
            },
            accounts_file=accounts,
            issuer=tokens.issuer,
            audience=tokens.audience,
        )
        async with (
            serve_app(create_app(settings, clock=clock), port=port) as url,
            httpx.AsyncClient(timeout=10) as http,
        ):
            yield Provider(url, http, clock, tokens)


@pytest.fixture
def provider(served: Provider) -> Provider:
    served.clock.now = time.time()  # a test may have moved it on
    return served


def new_verifier() -> str:
    return secrets.token_urlsafe(48)


class TestDiscovery:
    async def test_discovery_advertises_the_network_issuer_and_the_endpoints(
        self, provider: Provider
    ) -> None:
        found = (await provider.http.get(f"{provider.url}/.well-known/openid-configuration")).json()

        assert found["issuer"] == provider.tokens.issuer
        assert {
            name: found[name]
            for name in (
                "authorization_endpoint",
                "token_endpoint",
                "jwks_uri",
                "userinfo_endpoint",
                "end_session_endpoint",
            )
        } == {
            "authorization_endpoint": f"{provider.url}/authorize",
            "token_endpoint": f"{provider.url}/token",
            "jwks_uri": f"{provider.url}/jwks.json",
            "userinfo_endpoint": f"{provider.url}/userinfo",
            "end_session_endpoint": f"{provider.url}/logout",
        }
        assert found["code_challenge_methods_supported"] == ["S256"]
        assert found["response_types_supported"] == ["code"]
        assert found["scopes_supported"] == ["openid", "profile"]

    async def test_the_sign_in_page_lists_the_demo_accounts(self, provider: Provider) -> None:
        page = await provider.http.get(
            f"{provider.url}/authorize", params=provider.start(new_verifier())
        )

        assert page.status_code == 200
        assert "Sign in to the MAC Heroes Network (development)" in page.text
        assert f'value="{COORDINATOR}"' in page.text
        assert "Coordinator, Riverside (demo)" in page.text

    async def test_a_login_hint_fills_in_the_member_id_and_survives_the_form(
        self, provider: Provider
    ) -> None:
        hint = "5eed0000-0000-4000-8000-00000000abcd"
        params = provider.start(new_verifier()) | {"login_hint": hint}
        page = await provider.http.get(f"{provider.url}/authorize", params=params)

        assert page.status_code == 200
        assert f'id="member_id" name="member_id" value="{hint}"' in page.text
        assert f'<input type="hidden" name="login_hint" value="{hint}">' in page.text


class TestCodeFlow:
    async def test_a_code_becomes_tokens_that_the_services_accept(self, provider: Provider) -> None:
        verifier = new_verifier()
        code, params = await provider.sign_in(COORDINATOR, verifier)

        answer = await provider.exchange(code, verifier)

        assert answer.status_code == 200, answer.text
        tokens = answer.json()
        assert (tokens["token_type"], tokens["expires_in"], tokens["scope"]) == (
            "Bearer",
            3600,
            "openid profile",
        )
        services = TokenVerifier(
            issuer=provider.tokens.issuer,
            audience=provider.tokens.audience,
            jwks_file=provider.tokens.jwks_file,
        )
        principal = services.verify(tokens["access_token"])
        assert (principal.member_id, principal.organisation_id, principal.roles) == (
            COORDINATOR,
            ORGANISATION,
            frozenset({"hero", "coordinator"}),
        )
        jwks = jwt.PyJWKSet.from_dict((await provider.http.get(f"{provider.url}/jwks.json")).json())
        identity = jwt.decode(
            tokens["id_token"],
            key=jwks.keys[0].key,
            algorithms=["RS256"],
            audience=CLIENT,
            issuer=provider.tokens.issuer,
        )
        assert {key: identity[key] for key in ("sub", "nonce", "name", "org", "at_hash")} == {
            "sub": str(COORDINATOR),
            "nonce": params["nonce"],
            "name": "Asha Coordinator",
            "org": str(ORGANISATION),
            "at_hash": at_hash(tokens["access_token"]),
        }

    async def test_userinfo_names_the_holder_of_an_access_token(self, provider: Provider) -> None:
        verifier = new_verifier()
        code, _ = await provider.sign_in(COORDINATOR, verifier)
        access = (await provider.exchange(code, verifier)).json()["access_token"]

        info = await provider.http.get(
            f"{provider.url}/userinfo", headers={"authorization": f"Bearer {access}"}
        )
        anonymous = await provider.http.get(f"{provider.url}/userinfo")

        assert info.json() == {
            "sub": str(COORDINATOR),
            "name": "Asha Coordinator",
            "org": str(ORGANISATION),
        }
        assert anonymous.status_code == 401

    async def test_a_wrong_verifier_is_refused_and_spends_the_code(
        self, provider: Provider
    ) -> None:
        verifier = new_verifier()
        code, _ = await provider.sign_in(COORDINATOR, verifier)

        wrong = await provider.exchange(code, new_verifier())
        right_too_late = await provider.exchange(code, verifier)

        assert (wrong.status_code, wrong.json()["error"]) == (400, "invalid_grant")
        assert "PKCE" in wrong.json()["error_description"]
        assert (right_too_late.status_code, right_too_late.json()["error"]) == (
            400,
            "invalid_grant",
        )

    async def test_a_code_works_only_once(self, provider: Provider) -> None:
        verifier = new_verifier()
        code, _ = await provider.sign_in(COORDINATOR, verifier)

        first = await provider.exchange(code, verifier)
        second = await provider.exchange(code, verifier)

        assert first.status_code == 200
        assert second.status_code == 400
        assert second.json() == {
            "error": "invalid_grant",
            "error_description": "This sign-in code has already been used.",
        }

    async def test_an_expired_code_is_refused(self, provider: Provider) -> None:
        verifier = new_verifier()
        code, _ = await provider.sign_in(COORDINATOR, verifier)
        provider.clock.now += 61

        answer = await provider.exchange(code, verifier)

        assert answer.status_code == 400
        assert answer.json() == {
            "error": "invalid_grant",
            "error_description": "This sign-in code has expired. Please sign in again.",
        }

    async def test_a_code_is_refused_at_another_redirect_uri(self, provider: Provider) -> None:
        verifier = new_verifier()
        code, _ = await provider.sign_in(COORDINATOR, verifier)

        answer = await provider.exchange(
            code, verifier, redirect_uri="http://127.0.0.1:9/elsewhere"
        )

        assert (answer.status_code, answer.json()["error"]) == (400, "invalid_grant")

    async def test_an_unregistered_client_cannot_exchange_codes(self, provider: Provider) -> None:
        verifier = new_verifier()
        code, _ = await provider.sign_in(COORDINATOR, verifier)

        answer = await provider.exchange(code, verifier, client_id="someone-else")

        assert (answer.status_code, answer.json()["error"]) == (401, "invalid_client")


class TestAuthorizationRequests:
    async def test_an_unknown_redirect_uri_gets_a_page_never_a_redirect(
        self, provider: Provider
    ) -> None:
        params = provider.start(new_verifier(), redirect_uri="https://attacker.invalid/callback")

        page = await provider.http.get(f"{provider.url}/authorize", params=params)
        chosen = await provider.http.post(
            f"{provider.url}/authorize", data={**params, "member_id": str(COORDINATOR)}
        )

        for answer in (page, chosen):
            assert answer.status_code == 400
            assert "location" not in answer.headers
            assert "has not registered (https://attacker.invalid/callback)" in answer.text

    async def test_an_unknown_client_gets_a_page(self, provider: Provider) -> None:
        page = await provider.http.get(
            f"{provider.url}/authorize", params=provider.start(new_verifier(), client_id="nobody")
        )

        assert page.status_code == 400
        assert "is not registered with this sign-in service" in page.text

    @pytest.mark.parametrize(
        ("overrides", "error"),
        [
            ({"code_challenge_method": "plain"}, "invalid_request"),
            ({"code_challenge": ""}, "invalid_request"),
            ({"response_type": "token"}, "unsupported_response_type"),
            ({"scope": "profile"}, "invalid_scope"),
            ({"nonce": ""}, "invalid_request"),
        ],
    )
    async def test_a_bad_request_goes_back_to_the_client_as_an_error(
        self, provider: Provider, overrides: dict[str, str], error: str
    ) -> None:
        params = provider.start(new_verifier(), **overrides)

        answer = await provider.http.get(f"{provider.url}/authorize", params=params)

        assert answer.status_code == 303
        back = parse_qs(urlsplit(answer.headers["location"]).query)
        assert (back["error"], back["state"]) == ([error], [params["state"]])

    async def test_cancelling_tells_the_client_access_was_denied(self, provider: Provider) -> None:
        params = provider.start(new_verifier())

        answer = await provider.http.post(
            f"{provider.url}/authorize", data={**params, "cancel": "yes"}
        )

        assert parse_qs(urlsplit(answer.headers["location"]).query)["error"] == ["access_denied"]

    @pytest.mark.parametrize(
        ("member_id", "message"),
        [
            (str(uuid4()), "There is no member of the network with that id."),
            (str(PAUSED), "This membership is paused, so it cannot be used to sign in."),
            ("not-an-id", "That is not a member id."),
            ("", "Enter a member id, or choose a demo account."),
        ],
    )
    async def test_who_cannot_sign_in_is_told_why_in_plain_english(
        self, provider: Provider, member_id: str, message: str
    ) -> None:
        params = provider.start(new_verifier())

        answer = await provider.http.post(
            f"{provider.url}/authorize", data={**params, "member_id": member_id}
        )

        assert answer.status_code == 400
        assert "location" not in answer.headers
        assert message in answer.text
        assert 'role="alert"' in answer.text


class TestLogout:
    async def test_logout_sends_people_back_only_to_registered_addresses(
        self, provider: Provider
    ) -> None:
        registered = await provider.http.get(
            f"{provider.url}/logout",
            params={"client_id": CLIENT, "post_logout_redirect_uri": AFTER_LOGOUT, "state": "s1"},
        )
        other = await provider.http.get(
            f"{provider.url}/logout",
            params={"client_id": CLIENT, "post_logout_redirect_uri": "https://attacker.invalid/"},
        )

        assert (registered.status_code, registered.headers["location"]) == (
            303,
            f"{AFTER_LOGOUT}?state=s1",
        )
        assert other.status_code == 400
        assert "location" not in other.headers

    async def test_logout_finds_the_client_from_the_id_token(self, provider: Provider) -> None:
        verifier = new_verifier()
        code, _ = await provider.sign_in(COORDINATOR, verifier)
        id_token = (await provider.exchange(code, verifier)).json()["id_token"]

        answer = await provider.http.get(
            f"{provider.url}/logout",
            params={"id_token_hint": id_token, "post_logout_redirect_uri": AFTER_LOGOUT},
        )

        assert (answer.status_code, answer.headers["location"]) == (303, AFTER_LOGOUT)
