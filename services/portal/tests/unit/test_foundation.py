"""What every page shares: security headers, organisations by host or path, sign-in, errors, the wall."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from portal.app import create_app
from portal.live import relay
from portal.settings import Settings
from websockets.asyncio.server import serve

from ..conftest import SECRET, Portal

FEED = {"data": {"celebrationFeed": {"edges": [
    {"node": {"id": "c1", "kind": "KUDOS", "title": "Thank you", "description": None,
              "message": "Thanks for the clock idea!", "postedAt": "2026-11-30T09:00:00+00:00",
              "member": {"id": "m1", "displayName": "Sam Nurse"}, "fromMember": None,
              "project": None, "relatedProject": None}},
    {"node": {"id": "c2", "kind": "BADGE", "title": "First PDSA cycle", "description": "Tried a change",
              "message": None, "postedAt": "2026-03-03", "member": None, "fromMember": None,
              "project": None, "relatedProject": {"id": "p1", "title": "Fewer falls"}}},
]}}}


class TestHeaders:
    def test_every_page_has_a_strict_content_security_policy(self, portal: Portal) -> None:
        response = portal.client.get("/")

        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "unsafe" not in policy
        assert "form-action 'self' http://idp.test" in policy
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"

    def test_no_inline_styles_or_scripts_on_a_page(self, portal: Portal) -> None:
        portal.sign_in()
        portal.gateway.answer("Wall", FEED)

        page = portal.client.get("/wall").text

        assert " style=" not in page
        assert "<script>" not in page
        assert " onclick=" not in page


class TestOrganisations:
    @pytest.fixture
    def branded(self, tmp_path: Path) -> TestClient:
        (tmp_path / "orgs.toml").write_text("""
[[organisation]]
slug = "riverside"
name = "Riverside Trust"
hosts = ["heroes.riverside.test"]
primary_colour = "#003087"
oidc_issuer_url = "http://idp.riverside.test"

[[organisation]]
slug = "voice"
name = "Northvale Voice"
primary_colour = "#AE2573"
oidc_issuer_url = "http://idp.voice.test"
""")
        settings = Settings(gateway_url="http://gateway.test/graphql", session_secret=SECRET,
                            organisations_file=str(tmp_path / "orgs.toml"), environment="development")
        return TestClient(create_app(settings))

    def test_by_path_prefix_every_link_keeps_the_prefix(self, branded: TestClient) -> None:
        page = branded.get("/o/voice/").text
        colours = branded.get("/o/voice/brand.css").text

        assert "Northvale Voice" in page
        assert 'href="http://testserver/o/voice/glossary"' in page
        assert "--brand: #AE2573" in colours

    def test_by_host_name_and_the_first_is_the_default(self, branded: TestClient) -> None:
        by_host = branded.get("/", headers={"host": "heroes.riverside.test"}).text
        default = branded.get("/").text

        assert "Riverside Trust" in by_host
        assert "Riverside Trust" in default

    def test_a_bad_colour_is_a_clear_configuration_error(self, tmp_path: Path) -> None:
        from portal.organisations import ConfigurationError

        (tmp_path / "orgs.toml").write_text('[[organisation]]\nslug = "x"\nname = "X"\n'
                                            'primary_colour = "blue"\noidc_issuer_url = "http://idp"\n')
        settings = Settings(session_secret=SECRET, organisations_file=str(tmp_path / "orgs.toml"))

        with pytest.raises(ConfigurationError, match="must look like #005EB8"):
            create_app(settings)


class TestSignInAndErrors:
    def test_a_members_page_sends_people_to_sign_in_and_back(self, portal: Portal) -> None:
        response = portal.client.get("/wall")

        assert response.status_code == 303
        assert response.headers["location"] == "http://testserver/auth/sign-in?next=/wall"

    def test_a_form_without_its_token_is_refused_in_plain_words(self, portal: Portal) -> None:
        portal.sign_in()

        response = portal.client.post("/auth/sign-out", data={"csrf_token": "guessed"})

        assert response.status_code == 403
        assert "This form has expired. Please go back, reload the page and try again." in response.text

    def test_the_gateway_being_down_gives_a_friendly_page_and_a_retry(self, portal: Portal) -> None:
        portal.sign_in()
        portal.gateway.down = True

        response = portal.client.get("/wall?scope=network")

        assert response.status_code == 503
        assert "The network is not answering" in response.text
        assert 'href="http://testserver/wall?scope=network"' in response.text
        assert "ConnectError" not in response.text


class TestWall:
    def test_the_wall_shows_celebrations_in_one_gateway_call_with_the_persons_token(self, portal: Portal) -> None:
        portal.sign_in()
        portal.gateway.answer("Wall", FEED)

        page = portal.client.get("/wall?scope=network").text

        assert [call.operation for call in portal.gateway.calls] == ["Wall"]
        assert portal.gateway.calls[0].variables == {"scope": "NETWORK"}
        assert portal.gateway.calls[0].token
        assert "Thanks for the clock idea!" in page
        assert ">Sam Nurse</a>" in page
        assert "Someone in the network" in page  # a person one may not see comes back null
        assert "3 March 2026" in page
        assert 'sse-connect="http://testserver/wall/live?scope=network"' in page

    def test_a_part_of_the_network_not_answering_is_said_in_plain_words(self, portal: Portal) -> None:
        portal.sign_in()
        portal.gateway.answer("Wall", {"data": None, "errors": [{"message": "The recognition service could not "
                                       "answer.", "extensions": {"code": "SUBGRAPH_UNAVAILABLE"}}]})

        page = portal.client.get("/wall").text

        assert "Part of the network is not answering just now" in page
        assert "SUBGRAPH_UNAVAILABLE" not in page


class TestLive:
    async def test_each_celebration_from_the_subscription_becomes_one_server_sent_event(self) -> None:
        received: list[dict[str, Any]] = []

        async def gateway(socket: Any) -> None:
            received.append(json.loads(await socket.recv()))
            await socket.send(json.dumps({"type": "connection_ack"}))
            received.append(json.loads(await socket.recv()))
            await socket.send(json.dumps({"id": "wall", "type": "next", "payload": {"data": {
                "celebrations": {"id": "c9", "title": "Thank you\nagain"}}}}))
            await socket.send(json.dumps({"id": "wall", "type": "complete"}))

        async with serve(gateway, "127.0.0.1", 0, subprotocols=["graphql-transport-ws"]) as server:  # type: ignore[list-item]
            port = server.sockets[0].getsockname()[1]
            events = [event async for event in relay(f"http://127.0.0.1:{port}/graphql", "the-token",
                                                     "subscription { x }", {"scope": "NETWORK"},
                                                     lambda item: f"<li>{item['title']}</li>")]

        assert received[0] == {"type": "connection_init", "payload": {"Authorization": "Bearer the-token"}}
        assert received[1]["payload"]["variables"] == {"scope": "NETWORK"}
        assert events == ["event: live\ndata: New celebrations appear here as they happen.\n\n",
                          "event: celebration\ndata: <li>Thank you\ndata: again</li>\n\n"]

    async def test_the_gateway_unreachable_ends_the_stream_quietly(self) -> None:
        events = [event async for event in relay("http://127.0.0.1:1/graphql", "t", "subscription { x }", {},
                                                 lambda item: "")]

        assert events == []
