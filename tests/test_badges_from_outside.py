"""An employer checks a MAC Heroes badge certificate from outside the network.

A member earns "MAC Hero Explorer" on the running network and takes its certificate from the
gateway. Every address in the certificate (issuer, achievement, signing key) and the check
page are then followed as an outsider would: through the gateway's public address only, with
no token, and the signature is checked with the key found there.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid4

import httpx
import jwt
import pytest
from membership.catalogue import LEVEL_ONE_MODULES, module_id

from .conftest import Network
from .test_story import REGISTER, Person, eventually, person

pytestmark = pytest.mark.slow

BADGES = """query($id: ID!) { badges(memberId: $id) { name openBadgeCredential { jwt credentialJson } } }"""
EXPLORER = "MAC Hero Explorer"
HTML = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
JSON = {"accept": "application/json"}


@pytest.fixture(scope="module")
def explorer(network: Network) -> Person:
    organisation = network.data(REGISTER, {"i": {"name": f"Badge Trust {uuid4().hex[:4]}", "kind": "ACUTE_TRUST",
                                                 "region": "Badges"}}, network.admin)
    org = organisation["registerOrganisation"]["organisation"]["id"]
    member = person(network, network.admin, org, "Erin Explorer", "STAFF_CLINICAL")
    for slug in LEVEL_ONE_MODULES:
        network.data("mutation($i: RecordTrainingCompletionInput!) { recordTrainingCompletion(input: $i) "
                     "{ levelsAchieved } }", {"i": {"moduleId": str(module_id(slug))}}, member.token)
    return member


@pytest.fixture(scope="module")
def certificate(network: Network, explorer: Person) -> dict[str, Any]:
    def issued() -> dict[str, Any]:
        badges = network.data(BADGES, {"id": explorer.id}, explorer.token)["badges"]
        held = [badge for badge in badges if badge["name"] == EXPLORER]
        assert len(held) == 1, badges
        return dict(held[0]["openBadgeCredential"])
    return eventually(issued)


@pytest.fixture(scope="module")
def public(network: Network) -> str:
    return network.gateway.removesuffix("/graphql")


@pytest.fixture(scope="module")
def outsider() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["achievement"]["name"] = "MAC Hero Leader"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


class TestEveryLinkResolvesThroughTheGateway:
    def test_every_address_in_the_certificate_is_under_the_public_address(
            self, certificate: dict[str, Any], public: str) -> None:
        credential = json.loads(certificate["credentialJson"])
        kid = jwt.get_unverified_header(certificate["jwt"])["kid"]

        assert credential["issuer"]["id"] == f"{public}/openbadges/issuer"
        assert credential["issuer"]["url"] == f"{public}/"
        assert credential["credentialSubject"]["achievement"]["id"].startswith(f"{public}/openbadges/achievements/")
        assert kid == f"{public}/openbadges/keys/heroes-badges-1"

    def test_the_issuer_profile_is_the_one_the_certificate_names(
            self, certificate: dict[str, Any], outsider: httpx.Client) -> None:
        issuer = json.loads(certificate["credentialJson"])["issuer"]

        answer = outsider.get(issuer["id"], headers=JSON)
        page = outsider.get(issuer["id"], headers=HTML)

        assert answer.status_code == 200
        assert answer.json() == issuer
        assert page.headers["content-type"].startswith("text/html")
        assert "<h1>MAC Heroes Network</h1>" in page.text

    def test_the_achievement_answers_machines_in_json_and_people_with_a_page(
            self, certificate: dict[str, Any], outsider: httpx.Client) -> None:
        credential = json.loads(certificate["credentialJson"])
        achievement = credential["credentialSubject"]["achievement"]

        answer = outsider.get(achievement["id"], headers=JSON)
        page = outsider.get(achievement["id"], headers=HTML)

        assert answer.status_code == 200
        assert answer.json() == {**achievement, "creator": credential["issuer"]}
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert f"<h1>{EXPLORER}</h1>" in page.text
        assert f'href="{credential["issuer"]["id"].removesuffix("/issuer")}/verify"' in page.text

    def test_the_signature_checks_out_with_the_key_the_certificate_points_at(
            self, certificate: dict[str, Any], public: str, outsider: httpx.Client) -> None:
        token = certificate["jwt"]
        kid = jwt.get_unverified_header(token)["kid"]

        key = outsider.get(kid).json()
        published = outsider.get(f"{public}/openbadges/jwks.json").json()
        claims = jwt.decode(token, jwt.PyJWK(key).key, algorithms=["RS256"], options={"verify_aud": False})

        assert published == {"keys": [key]}
        assert claims["credentialSubject"]["achievement"]["name"] == EXPLORER
        assert claims["iss"] == f"{public}/openbadges/issuer"

    def test_the_check_endpoint_accepts_it_and_refuses_a_forgery(
            self, certificate: dict[str, Any], public: str, outsider: httpx.Client) -> None:
        verify = f"{public}/openbadges/verify"

        genuine = outsider.post(verify, json={"credential": certificate["jwt"]}).json()
        forged = outsider.post(verify, json={"credential": tampered(certificate["jwt"])}).json()

        assert genuine["isValid"] is True
        assert genuine["reason"] is None
        assert genuine["credential"] == json.loads(certificate["credentialJson"])
        assert forged["isValid"] is False
        assert forged["reason"].startswith("The signature does not match")

    def test_a_person_checks_it_on_the_check_page(
            self, certificate: dict[str, Any], public: str, outsider: httpx.Client) -> None:
        verify = f"{public}/openbadges/verify"

        form = outsider.get(verify, headers=HTML)
        checked = outsider.post(verify, data={"credential": certificate["jwt"]}, headers=HTML)
        refused = outsider.post(verify, data={"credential": "not a certificate"}, headers=HTML)

        assert '<textarea id="credential" name="credential"' in form.text
        assert f'action="{verify}"' in form.text
        assert "This certificate is genuine" in checked.text
        assert EXPLORER in checked.text
        assert "This is not a signed badge certificate." in refused.text


class TestOnlyOpenBadgesAreServed:
    def test_other_paths_are_not_passed_to_the_service(self, public: str) -> None:
        host = urlsplit(public).netloc
        with httpx.Client(timeout=10) as raw:
            # A hand-written request line, so no client tidies the dots away.
            escaped = raw.send(httpx.Request("GET", f"{public}/openbadges/..%2F..%2Fgraphql",
                                             headers={"host": host}))
            unknown = raw.get(f"{public}/openbadges/admin")

        for answer in (escaped, unknown):
            assert answer.status_code == 404
            assert answer.json() == {"error": {"code": "NOT_FOUND", "message": "There is nothing at this address."}}

    def test_a_body_too_large_for_a_certificate_is_refused(self, public: str, outsider: httpx.Client) -> None:
        answer = outsider.post(f"{public}/openbadges/verify", content=b"e" * (65 * 1024))

        assert answer.status_code == 413
        assert answer.json()["error"]["code"] == "BAD_REQUEST"
