import base64
import hashlib
import hmac
import json
import time
from pathlib import Path
from uuid import uuid4

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from servicekit.identity import InvalidToken, TokenVerifier, bearer_token
from servicekit.tokens import JWKS, KEY_ID, PRIVATE_KEY, init_keys, mint

ISSUER = "https://heroes.test/issuer"
AUDIENCE = "heroes-network"


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    init_keys(tmp_path)
    return tmp_path


@pytest.fixture
def verifier(keys: Path) -> TokenVerifier:
    return TokenVerifier(issuer=ISSUER, audience=AUDIENCE, jwks_file=str(keys / JWKS))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def claims(**overrides: object) -> dict[str, object]:
    now = int(time.time())
    values: dict[str, object] = {
        "sub": str(uuid4()), "org": str(uuid4()), "roles": ["hero"],
        "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 600,
    }
    values.update(overrides)
    return values


def unsigned(header: dict[str, object], body: dict[str, object]) -> str:
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(body).encode())}"


class TestValidTokens:
    def test_a_minted_token_names_member_organisation_and_roles(self, keys: Path, verifier: TokenVerifier) -> None:
        member, organisation = uuid4(), uuid4()
        token = mint(keys, member_id=member, organisation_id=organisation, roles=["hero", "coordinator"],
                     issuer=ISSUER, audience=AUDIENCE)

        principal = verifier.verify(token)

        assert principal.member_id == member
        assert principal.organisation_id == organisation
        assert principal.roles == frozenset({"hero", "coordinator"})
        assert principal.is_coordinator_of(organisation)
        assert not principal.is_coordinator_of(uuid4())


class TestRejectedTokens:
    def test_expired(self, keys: Path, verifier: TokenVerifier) -> None:
        token = mint(keys, member_id=uuid4(), organisation_id=None, roles=[], issuer=ISSUER,
                     audience=AUDIENCE, ttl_seconds=60, now=int(time.time()) - 3600)

        with pytest.raises(InvalidToken, match="expired"):
            verifier.verify(token)

    def test_wrong_audience(self, keys: Path, verifier: TokenVerifier) -> None:
        token = mint(keys, member_id=uuid4(), organisation_id=None, roles=[], issuer=ISSUER, audience="other-app")

        with pytest.raises(InvalidToken):
            verifier.verify(token)

    def test_wrong_issuer(self, keys: Path, verifier: TokenVerifier) -> None:
        token = mint(keys, member_id=uuid4(), organisation_id=None, roles=[], issuer="https://evil.test",
                     audience=AUDIENCE)

        with pytest.raises(InvalidToken):
            verifier.verify(token)

    def test_alg_none(self, verifier: TokenVerifier) -> None:
        token = unsigned({"alg": "none", "typ": "JWT", "kid": KEY_ID}, claims()) + "."

        with pytest.raises(InvalidToken, match="signing method"):
            verifier.verify(token)

    def test_hs256_signed_with_the_public_key(self, keys: Path, verifier: TokenVerifier) -> None:
        private = serialization.load_pem_private_key((keys / PRIVATE_KEY).read_bytes(), password=None)
        public_pem = private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        signing_input = unsigned({"alg": "HS256", "typ": "JWT", "kid": KEY_ID}, claims())
        signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()

        with pytest.raises(InvalidToken):
            verifier.verify(f"{signing_input}.{b64(signature)}")

    def test_signed_by_another_key_with_our_key_id(self, tmp_path: Path, verifier: TokenVerifier) -> None:
        import jwt

        stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        token = jwt.encode(claims(), stranger, algorithm="RS256", headers={"kid": KEY_ID})

        with pytest.raises(InvalidToken):
            verifier.verify(token)

    def test_missing_subject(self, keys: Path, verifier: TokenVerifier) -> None:
        import jwt

        body = claims()
        del body["sub"]
        token = jwt.encode(body, (keys / PRIVATE_KEY).read_bytes(), algorithm="RS256", headers={"kid": KEY_ID})

        with pytest.raises(InvalidToken):
            verifier.verify(token)

    def test_garbage(self, verifier: TokenVerifier) -> None:
        with pytest.raises(InvalidToken):
            verifier.verify("not-a-token")


class TestAuthorizationHeader:
    def test_bearer_scheme_gives_the_token(self) -> None:
        assert bearer_token("Bearer abc.def.ghi") == "abc.def.ghi"

    def test_absent_header_means_anonymous(self) -> None:
        assert bearer_token(None) is None

    def test_other_schemes_are_refused(self) -> None:
        with pytest.raises(InvalidToken):
            bearer_token("Basic dXNlcjpwYXNz")
