"""Open Badges 3.0: a member's badge as a schema-valid, signed credential that anyone can check."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from jsonschema import Draft201909Validator, FormatChecker
from servicekit.testing import GraphQLClient, Tokens

from ..openbadges_context.contexts import Published, published
from ..openbadges_context.terms import undefined_terms
from ..scenario import MEMBER_ORGS, World, two_organisations
from ..support import Consumer, People, Publisher, play

pytestmark = pytest.mark.asyncio(loop_scope="session")

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "ob_v3p0_achievementcredential_schema.json"
BADGES = """query($id: ID!) { badges(memberId: $id) {
  id name evidence openBadgeCredential { jwt credentialJson } } }"""
VERIFY = (
    "query($c: String!) { verifyBadgeCredential(credential: $c) { isValid reason credentialJson } }"
)


@pytest.fixture(scope="module")
async def people(publisher: Publisher, consumer: Consumer, tokens: Tokens) -> People:
    world = two_organisations(World("open-badges"))
    world.cycle("p-a-net", "org-a", "c1", by="a-nurse")
    await play(publisher, consumer, world.steps)
    return People(world, tokens, MEMBER_ORGS)


@pytest.fixture(scope="module")
async def issued(api: GraphQLClient, people: People) -> dict[str, Any]:
    data = await api.data(BADGES, {"id": str(people.id("a-nurse"))}, token=people.token("a-nurse"))
    [badge] = data["badges"]
    return dict(badge)


@pytest.fixture(scope="module")
def contexts() -> Published:
    return published()


def tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["achievement"]["name"] = "Ten tests of change"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


class TestCredential:
    async def test_the_credential_is_valid_open_badges_3(
        self, issued: dict[str, Any], people: People
    ) -> None:
        credential = json.loads(issued["openBadgeCredential"]["credentialJson"])
        validator = Draft201909Validator(
            json.loads(SCHEMA.read_text()), format_checker=FormatChecker()
        )

        assert sorted(error.message for error in validator.iter_errors(credential)) == []
        assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
        assert credential["credentialSubject"]["id"] == f"urn:uuid:{people.id('a-nurse')}"
        assert credential["credentialSubject"]["achievement"]["name"] == "First test of change"
        assert credential["evidence"][0]["id"] == f"urn:uuid:{people.world.id('event:cycle:c1')}"
        assert issued["evidence"] == [str(people.world.id("event:cycle:c1"))]

    async def test_its_signature_verifies_with_the_published_key(
        self, issued: dict[str, Any], served: str
    ) -> None:
        token = issued["openBadgeCredential"]["jwt"]
        async with httpx.AsyncClient() as http:
            keys = (await http.get(f"{served}/openbadges/jwks.json")).json()
        key = jwt.PyJWK(keys["keys"][0])

        claims = jwt.decode(token, key.key, algorithms=["RS256"], options={"verify_aud": False})

        assert jwt.get_unverified_header(token)["kid"] == keys["keys"][0]["kid"]
        assert claims["iss"] == claims["issuer"]["id"]
        assert claims["jti"] == f"urn:uuid:{issued['id']}"
        with pytest.raises(jwt.InvalidSignatureError):
            jwt.decode(
                tampered(token), key.key, algorithms=["RS256"], options={"verify_aud": False}
            )

    async def test_the_verification_endpoint_accepts_it_and_refuses_a_tampered_one(
        self, api: GraphQLClient, issued: dict[str, Any], served: str
    ) -> None:
        token = issued["openBadgeCredential"]["jwt"]

        genuine = (await api.data(VERIFY, {"c": token}))["verifyBadgeCredential"]
        forged = (await api.data(VERIFY, {"c": tampered(token)}))["verifyBadgeCredential"]
        async with httpx.AsyncClient() as http:
            over_http = (
                await http.post(f"{served}/openbadges/verify", json={"credential": token})
            ).json()
            garbage = (
                await http.post(f"{served}/openbadges/verify", content=b"not a credential")
            ).json()

        assert genuine["isValid"] is True
        assert json.loads(genuine["credentialJson"]) == json.loads(
            issued["openBadgeCredential"]["credentialJson"]
        )
        assert forged == {
            "isValid": False,
            "credentialJson": None,
            "reason": (
                "The signature does not match: the certificate was changed, "
                "or it was not issued by this network."
            ),
        }
        assert over_http["isValid"] is True
        assert garbage == {
            "isValid": False,
            "reason": "This is not a signed badge certificate.",
            "credential": None,
        }

    async def test_only_the_holder_gets_the_certificate(
        self, api: GraphQLClient, people: People
    ) -> None:
        data = await api.data(
            BADGES, {"id": str(people.id("a-nurse"))}, token=people.token("a-coord")
        )

        [badge] = data["badges"]
        assert badge["name"] == "First test of change"
        assert badge["openBadgeCredential"] is None

    async def test_the_achievement_it_names_can_be_looked_up(
        self, issued: dict[str, Any], served: str
    ) -> None:
        credential = json.loads(issued["openBadgeCredential"]["credentialJson"])
        achievement_id = credential["credentialSubject"]["achievement"]["id"]
        rule_id = achievement_id.rsplit("/", 1)[1]
        async with httpx.AsyncClient() as http:
            found = (await http.get(f"{served}/openbadges/achievements/{rule_id}")).json()

        assert found["id"] == achievement_id
        assert found["name"] == "First test of change"


class TestJsonLd:
    async def test_it_names_the_contexts_the_published_packages_carry(
        self, issued: dict[str, Any], contexts: Published
    ) -> None:
        credential = json.loads(issued["openBadgeCredential"]["credentialJson"])

        assert credential["@context"] == [
            contexts.vc_context_url,
            contexts.ob_context_urls["CONTEXT_URL_V3"],
            contexts.ob_context_urls["CONTEXT_URL_V3_EXTENSIONS"],
        ]
        assert [url in contexts.documents for url in credential["@context"]] == [True, True, True]

    async def test_every_term_it_uses_is_defined_by_those_contexts(
        self, issued: dict[str, Any], contexts: Published
    ) -> None:
        credential = json.loads(issued["openBadgeCredential"]["credentialJson"])

        assert undefined_terms(credential, contexts.documents) == []
