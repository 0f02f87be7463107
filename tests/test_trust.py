"""Trust across the whole network, through the gateway: revocation, consent at once, hidden people.

A token counts only while membership says its member is active and holds the role it claims
(every service keeps that from membership's events); text by or about a person is shown only
while membership says, at query time, that the caller may see them; people one may not see
come back as null, never as an error; callers without a token see no personal data.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import pytest

from .conftest import Network
from .test_story import REGISTER, Person, eventually, person

pytestmark = pytest.mark.slow

GIVE = "mutation($i: GiveKudosInput!) { giveKudos(input: $i) { kudos { id } } }"
PROPOSE = "mutation($i: ProposeProjectInput!) { proposeProject(input: $i) { project { id } } }"
UPDATE = "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { title } } }"
ADD = "mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { project { id } } }"
CONSENT = "mutation($i: ConsentInput!) { recordConsent(input: $i) { consent { nameAcrossNetwork } } }"
WITHDRAW = "mutation($i: ConsentInput!) { withdrawConsent(input: $i) { consent { nameAcrossNetwork } } }"
FEED = """{ celebrationFeed(scope: NETWORK, first: 50) { edges { node {
  kind message member { displayName } fromMember { displayName } } } } }"""


@dataclass
class World:
    network: Network
    org_a: str
    org_b: str
    coordinator_a: Person
    coordinator_b: Person
    staff: Person
    user: Person
    carer: Person
    project: str


@pytest.fixture(scope="module")
def world(network: Network) -> World:
    registered_a = network.data(REGISTER, {"i": {"name": f"Trust Trust {uuid4().hex[:4]}", "kind": "ACUTE_TRUST",
                                                 "region": "Trust"}}, network.admin)
    registered_b = network.data(REGISTER, {"i": {"name": f"Trust Council {uuid4().hex[:4]}", "kind": "COUNCIL",
                                                 "region": "Trust"}}, network.admin)
    org_a = registered_a["registerOrganisation"]["organisation"]["id"]
    org_b = registered_b["registerOrganisation"]["organisation"]["id"]
    coordinator_a = person(network, network.admin, org_a, "Ada Coordinator", "STAFF_NON_CLINICAL", "COORDINATOR")
    coordinator_b = person(network, network.admin, org_b, "Bo Coordinator", "STAFF_NON_CLINICAL", "COORDINATOR")
    staff = person(network, coordinator_a.token, org_a, "Tess Staff", "STAFF_CLINICAL")
    user = person(network, coordinator_a.token, org_a, "Uma User", "SERVICE_USER")
    carer = person(network, coordinator_a.token, org_a, "Cara Carer", "CARER", visibility="ORGANISATION")
    network.data(CONSENT, {"i": {"purposes": ["NAME_IN_ORGANISATION"]}}, carer.token)
    project = network.data(PROPOSE, {"i": {"title": "Kinder discharge letters", "visibility": "NETWORK",
                                           "summary": "Letters people can read."}}, staff.token)[
        "proposeProject"]["project"]["id"]
    for member, role in ((user, "SERVICE_USER_PARTNER"), (carer, "SERVICE_USER_PARTNER")):
        network.data(ADD, {"i": {"projectId": project, "memberId": member.id, "role": role}}, staff.token)
    return World(network, org_a, org_b, coordinator_a, coordinator_b, staff, user, carer, project)


def first_refusal(attempt: Any, timeout: float = 5.0) -> tuple[float, str]:
    """Seconds until `attempt()` returns an error code (polled as fast as requests go), and the code."""
    started = time.monotonic()
    while True:
        code = attempt()
        if code is not None:
            return time.monotonic() - started, code
        assert time.monotonic() - started < timeout, "still honoured"


def code_of(body: dict[str, Any]) -> str | None:
    errors = body.get("errors") or []
    return str(errors[0]["extensions"]["code"]) if errors else None


class TestRevocation:
    def test_an_erased_members_token_is_refused_everywhere_within_a_second(self, world: World) -> None:
        net = world.network
        leaver = person(net, world.coordinator_a.token, world.org_a, "Lee Leaver", "STAFF_CLINICAL")
        net.data(GIVE, {"i": {"toMemberId": world.staff.id, "message": "From Lee, before"}}, leaver.token)

        net.data("mutation($i: EraseMemberInput!) { eraseMember(input: $i) { status } }",
                 {"i": {"memberId": leaver.id}}, world.coordinator_a.token)
        kudos_after, kudos_code = first_refusal(lambda: code_of(net.call(
            GIVE, {"i": {"toMemberId": world.staff.id, "message": "From Lee, after"}}, leaver.token)))
        project_after, project_code = first_refusal(lambda: code_of(net.call(
            PROPOSE, {"i": {"title": "After erasure", "summary": "x"}}, leaver.token)))

        assert (kudos_code, project_code) == ("member_not_active", "member_not_active")
        assert kudos_after < 1.0
        assert project_after < 1.0

        def nothing_left() -> None:
            received = net.data("query($id: ID!) { member(id: $id) { kudosReceived(first: 50) { edges { node "
                                "{ message } } } } }", {"id": world.staff.id}, world.coordinator_a.token)
            texts = [e["node"]["message"] for e in received["member"]["kudosReceived"]["edges"]]
            assert not any(text and "From Lee" in text for text in texts), texts

        eventually(nothing_left)

    def test_a_coordinator_made_a_hero_loses_the_role_everywhere_within_a_second(self, world: World) -> None:
        net = world.network
        former = person(net, world.coordinator_a.token, world.org_a, "Fay Former", "STAFF_NON_CLINICAL",
                        "COORDINATOR")
        rename = {"i": {"projectId": world.project, "title": "Kinder discharge letters"}}
        net.data(UPDATE, rename, former.token)  # a coordinator of the owning organisation may

        net.data("mutation($i: ChangeNetworkRoleInput!) { changeNetworkRole(input: $i) { member { id } } }",
                 {"i": {"memberId": former.id, "networkRole": "HERO"}}, world.coordinator_a.token)
        after, code = first_refusal(lambda: code_of(net.call(UPDATE, rename, former.token)))

        assert code == "forbidden"
        assert after < 1.0


class TestConsentAtOnce:
    def test_after_withdrawal_returns_no_other_organisation_sees_the_name_or_the_words(self, world: World) -> None:
        net = world.network
        net.data(CONSENT, {"i": {"purposes": ["NAME_ACROSS_NETWORK"]}}, world.user.token)
        eventually(lambda: _no_errors(net.call(GIVE, {"i": {"toMemberId": world.user.id,  # once recognition
                                                          "message": "Thank you Uma, words about you"}},  # knows
                                               world.staff.token)))
        net.data(GIVE, {"i": {"toMemberId": world.staff.id, "message": "Uma's own words of thanks"}},
                 world.user.token)
        sightings: list[dict[str, Any]] = []
        for _ in range(200):
            net.data(CONSENT, {"i": {"purposes": ["NAME_ACROSS_NETWORK"]}}, world.user.token)
            eventually(lambda: _shows_uma(net.call(FEED, token=world.coordinator_b.token)), timeout=20, interval=0.02)
            net.data(WITHDRAW, {"i": {"purposes": ["NAME_ACROSS_NETWORK"]}}, world.user.token)
            for _ in range(3):  # polling from the moment the mutation returned
                body = net.call(FEED, token=world.coordinator_b.token)
                assert "errors" not in body, body["errors"]
                if _mentions_uma(body):
                    sightings.append(body)

        assert sightings == []


def _mentions_uma(body: dict[str, Any]) -> bool:
    nodes = [edge["node"] for edge in body["data"]["celebrationFeed"]["edges"]]
    names = {(n.get(key) or {}).get("displayName") for n in nodes for key in ("member", "fromMember")}
    return "Uma User" in names or any("Uma" in (n.get("message") or "") for n in nodes)


def _no_errors(body: dict[str, Any]) -> None:
    assert "errors" not in body, body


def _shows_uma(body: dict[str, Any]) -> None:
    assert _mentions_uma(body), body


class TestHiddenPeople:
    def test_a_team_with_a_person_one_may_not_see_has_a_null_and_no_error(self, world: World) -> None:
        body = world.network.call("query($id: ID!) { project(id: $id) { team { role member { displayName } } } }",
                                  {"id": world.project}, token=world.coordinator_b.token)

        assert "errors" not in body, body["errors"]
        team = body["data"]["project"]["team"]
        assert {"role": "SERVICE_USER_PARTNER", "member": None} in team  # the organisation-only carer
        assert {"role": "LEAD", "member": {"displayName": "Tess Staff"}} in team

    def test_callers_without_a_token_see_no_personal_data(self, world: World) -> None:
        net = world.network
        member = net.call("query($id: ID!) { member(id: $id) { displayName } }", {"id": world.staff.id})
        members = net.call("query($o: ID!) { members(organisationId: $o) { edges { node { displayName } } } }",
                           {"o": world.org_a})
        project = net.call("query($id: ID!) { project(id: $id) { title team { member { displayName } } } }",
                           {"id": world.project})
        feed = net.call("{ celebrationFeed(scope: NETWORK, first: 5) { edges { node { message } } } }")

        assert member == {"data": {"member": None}}
        assert members == {"data": {"members": {"edges": []}}}
        assert project["data"]["project"]["title"] == "Kinder discharge letters"
        assert {entry["member"] for entry in project["data"]["project"]["team"]} == {None}
        assert "errors" not in project
        assert feed["data"] is None
        assert code_of(feed) == "unauthenticated"
