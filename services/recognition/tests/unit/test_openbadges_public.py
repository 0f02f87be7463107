"""Certificates link to the network's public address, and its pages answer people and machines."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import pytest
from recognition.domain.rules import BadgeText
from recognition.openbadges import Verification, achievement_for
from recognition.openbadges_pages import achievement_page, verify_page, wants_html
from recognition.settings import Settings
from recognition.signing import issuer_of, load_signer, write_new_key

RULE = UUID("00000000-0000-0000-0000-000000000001")
BADGE = BadgeText("Co-produced <together>", "Worked with service users.", "Be on a Big I project.")


def settings(tmp_path: Path, **values: object) -> Settings:
    key = tmp_path / "key.pem"
    if not key.exists():
        write_new_key(key)
    return Settings(environment="production", badge_signing_key_file=str(key), **values)  # type: ignore[arg-type]


class TestPublicAddress:
    def test_every_address_is_under_the_public_url(self, tmp_path: Path) -> None:
        signer = load_signer(settings(tmp_path, public_url="https://heroes.example.nhs.uk/"))

        assert signer is not None
        assert signer.issuer.profile() == {
            "id": "https://heroes.example.nhs.uk/openbadges/issuer", "type": ["Profile"],
            "name": "MAC Heroes Network", "url": "https://heroes.example.nhs.uk/"}
        assert signer.issuer.achievement_id(RULE) == (
            "https://heroes.example.nhs.uk/openbadges/achievements/00000000-0000-0000-0000-000000000001")
        assert signer.key_id == "https://heroes.example.nhs.uk/openbadges/keys/heroes-badges-1"
        assert signer.public_jwks()["keys"][0]["kid"] == signer.key_id

    def test_the_issuer_home_page_can_be_set_apart(self, tmp_path: Path) -> None:
        issuer = issuer_of(settings(tmp_path, public_url="https://api.example.org",
                                    badge_issuer_url="https://www.example.org/heroes"))

        assert issuer is not None
        assert issuer.url == "https://www.example.org/heroes"
        assert issuer.id == "https://api.example.org/openbadges/issuer"

    def test_production_without_a_public_url_issues_no_certificates(self, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("HEROES_PUBLIC_URL", raising=False)

        assert load_signer(settings(tmp_path)) is None

    def test_development_points_at_the_local_gateway(self, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("HEROES_PUBLIC_URL", raising=False)
        issuer = issuer_of(Settings(environment="development"))

        assert issuer is not None
        assert issuer.id == "http://127.0.0.1:8000/openbadges/issuer"


class TestPages:
    @pytest.mark.parametrize(("accept", "html"), [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),
        ("application/json", False),
        ("application/ld+json, text/html;q=0.5", False),
        ("", False),
        ("*/*", False),
    ])
    def test_a_browser_gets_a_page_and_a_program_gets_json(self, accept: str, html: bool) -> None:
        assert wants_html(accept) is html

    def test_the_achievement_page_escapes_badge_text(self, tmp_path: Path) -> None:
        issuer = issuer_of(settings(tmp_path, public_url="https://heroes.example.org"))
        assert issuer is not None

        page = achievement_page(achievement_for(RULE, BADGE, issuer), issuer)

        assert "<h1>Co-produced &lt;together&gt;</h1>" in page
        assert "<p>Be on a Big I project.</p>" in page
        assert 'href="https://heroes.example.org/openbadges/verify"' in page

    def test_the_check_page_says_why_a_certificate_failed(self, tmp_path: Path) -> None:
        issuer = issuer_of(settings(tmp_path, public_url="https://heroes.example.org"))
        assert issuer is not None

        page = verify_page(issuer, Verification(False, "This badge is no longer held: it was withdrawn."))

        assert "This certificate does not check out" in page
        assert "This badge is no longer held: it was withdrawn." in page
