"""A person signs in through the development sign-in page in a real browser, and the token they
end up with is one the network honours, with the roles membership gives them."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from devstack.oidc.grants import s256
from servicekit.identity import TokenVerifier

from .conftest import TEST_CLIENT_ID, SignInNetwork

TITLE = "Sign in to the MAC Heroes Network (development)"
SIGNED_IN = (
    "<!doctype html><html lang='en'><head><title>Signed in</title></head>"
    "<body><main><h1>Signed in</h1></main></body></html>"
)


def open_sign_in(page: Any, stack: SignInNetwork) -> tuple[dict[str, str], str]:
    """Open the sign-in page as a client would send people there; returns the request's
    parameters and its PKCE verifier. The callback is answered in the browser, by the test."""
    verifier = secrets.token_urlsafe(48)
    params = {
        "client_id": TEST_CLIENT_ID,
        "redirect_uri": stack.test_callback,
        "response_type": "code",
        "scope": "openid profile",
        "state": secrets.token_urlsafe(8),
        "nonce": secrets.token_urlsafe(8),
        "code_challenge": s256(verifier),
        "code_challenge_method": "S256",
    }
    page.route(
        f"{stack.test_callback}*",
        lambda route: route.fulfill(status=200, content_type="text/html", body=SIGNED_IN),
    )
    page.goto(f"{stack.oidc_url}/authorize?{urlencode(params)}")
    return params, verifier


def test_a_demo_account_signs_in_with_the_roles_membership_gives_it(
    signin_network: SignInNetwork,
    page: Any,
    axe_check: Callable[[Any], list[dict[str, Any]]],
    screenshot: Callable[[Any, str], Path],
) -> None:
    stack = signin_network
    asha = stack.account("Asha Coordinator")
    params, verifier = open_sign_in(page, stack)

    assert page.title() == TITLE
    assert axe_check(page) == []
    assert screenshot(page, "dev-oidc-sign-in").stat().st_size > 0
    page.get_by_role("button", name=re.compile(r"^Asha Coordinator \(demo\)")).click()
    page.wait_for_url(f"{stack.test_callback}*")

    back = parse_qs(urlsplit(page.url).query)
    assert back["state"] == [params["state"]]
    tokens = httpx.post(
        f"{stack.oidc_url}/token",
        data={
            "grant_type": "authorization_code",
            "code": back["code"][0],
            "redirect_uri": stack.test_callback,
            "client_id": TEST_CLIENT_ID,
            "code_verifier": verifier,
        },
        timeout=10,
    ).json()
    network = stack.network
    principal = TokenVerifier(
        issuer=network.tokens.issuer,
        audience=network.tokens.audience,
        jwks_file=network.tokens.jwks_file,
    ).verify(tokens["access_token"])
    assert (principal.member_id, principal.roles) == (
        asha.member_id,
        frozenset({"hero", "coordinator"}),
    )
    me = network.data(
        "{ me { id displayName networkRole organisation { id } } }", token=tokens["access_token"]
    )
    assert me == {
        "me": {
            "id": str(asha.member_id),
            "displayName": "Asha Coordinator (demo)",
            "networkRole": "COORDINATOR",
            "organisation": {"id": str(principal.organisation_id)},
        }
    }


def test_an_unknown_member_id_is_explained_on_the_page(
    signin_network: SignInNetwork,
    page: Any,
    axe_check: Callable[[Any], list[dict[str, Any]]],
    screenshot: Callable[[Any, str], Path],
) -> None:
    open_sign_in(page, signin_network)

    page.get_by_label("Member id").fill("5eed0000-0000-4000-8000-00000000dead")
    page.get_by_role("button", name="Sign in", exact=True).click()

    alert = page.get_by_role("alert")
    assert alert.inner_text().splitlines()[-1] == "There is no member of the network with that id."
    assert page.title() == f"Error: {TITLE}"
    assert page.get_by_label("Member id").input_value() == "5eed0000-0000-4000-8000-00000000dead"
    assert axe_check(page) == []
    screenshot(page, "dev-oidc-unknown-member")
