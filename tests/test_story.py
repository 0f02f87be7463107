"""The MAC Heroes story end to end through the gateway, with every service, relay and consumer running.

Two organisations; a coordinator invites a staff member and a service user; both join; the
service user consents to be named across the network; the staff member completes level 1; a
project is proposed with the service user as partner; a driver diagram and a PDSA cycle are
added and completed; a measure gets data showing an improvement shift; the celebration feed
shows the badges with names resolved through federation; the other organisation's coordinator
sees only what is network-visible; the service user withdraws consent and disappears from it.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import uuid4

import pytest
from membership.catalogue import LEVEL_ONE_MODULES, module_id
from servicekit.graphql import GATEWAY_SECRET_HEADER

from .conftest import Network

pytestmark = pytest.mark.slow

REGISTER = "mutation($i: RegisterOrganisationInput!) { registerOrganisation(input: $i) { organisation { id } } }"
INVITE = "mutation($i: InviteMemberInput!) { inviteMember(input: $i) { member { id } inviteCode } }"
JOIN = "mutation($i: JoinNetworkInput!) { joinNetwork(input: $i) { member { id status } } }"
FEED = """query($scope: CelebrationScope!) { celebrationFeed(scope: $scope, first: 50) { edges { node {
  kind title member { id displayName } project { id title } } } } }"""


@dataclass
class Person:
    id: str
    organisation: str
    name: str
    token: str


@dataclass
class Story:
    network: Network
    org_a: str
    org_b: str
    coordinator_a: Person
    coordinator_b: Person
    staff: Person
    private_staff: Person
    user: Person
    project: str


T = TypeVar("T")


def eventually(check: Callable[[], T], timeout: float = 45.0, interval: float = 0.3) -> T:
    """Poll a synchronous check until it passes (events travel through Kafka between services)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(interval)


def person(net: Network, by: str, organisation: str, name: str, member_type: str, role: str = "HERO",
           visibility: str = "NETWORK") -> Person:
    invite = net.data(INVITE, {"i": {"organisationId": organisation, "displayName": name, "memberType": member_type,
                                     "email": f"{uuid4().hex[:10]}@story.invalid", "networkRole": role}}, by)
    member_id = invite["inviteMember"]["member"]["id"]
    code = invite["inviteMember"]["inviteCode"]
    joined = net.data(JOIN, {"i": {"inviteCode": code, "profileVisibility": visibility}})
    assert joined["joinNetwork"]["member"]["status"] == "ACTIVE"
    roles = ("hero", "coordinator") if role == "COORDINATOR" else ("hero",)
    token = net.token(member_id, organisation, *roles)
    net.known_everywhere(token)
    return Person(member_id, organisation, name, token)


def build_project(net: Network, staff: Person, user: Person) -> str:
    proposed = net.data("mutation($i: ProposeProjectInput!) { proposeProject(input: $i) { project { id } } }", {"i": {
        "title": "Fewer missed doses of Parkinson's medicines", "visibility": "NETWORK",
        "summary": "Patients with Parkinson's should get their medicines on time, every time.",
        "aim": {"what": "Medicines given on time", "howMuch": "from 60% to 90%", "byWhen": "2027-06-30"},
        "themes": ["medicines", "Parkinson's"]}}, staff.token)
    project: str = proposed["proposeProject"]["project"]["id"]
    net.data("mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { project { bigI } } }",
             {"i": {"projectId": project, "memberId": user.id, "role": "SERVICE_USER_PARTNER"}}, staff.token)
    for stage in ("SCOPING", "TESTING"):
        net.data("mutation($i: AdvanceStageInput!) { advanceStage(input: $i) { project { stage } } }",
                 {"i": {"projectId": project, "toStage": stage}}, staff.token)
    primary = net.data("mutation($i: AddDriverInput!) { addDriver(input: $i) { driver { id } } }",
                       {"i": {"projectId": project, "text": "Medicines ready at the right time"}}, staff.token)
    secondary = net.data("mutation($i: AddDriverInput!) { addDriver(input: $i) { driver { id } } }",
                         {"i": {"projectId": project, "text": "Ward knows who takes time-critical medicines",
                                "parentDriverId": primary["addDriver"]["driver"]["id"]}}, staff.token)
    idea = net.data("mutation($i: AddChangeIdeaInput!) { addChangeIdea(input: $i) { changeIdea { id } } }",
                    {"i": {"projectId": project, "driverId": secondary["addDriver"]["driver"]["id"],
                           "title": "A clock symbol above the bed"}}, staff.token)
    cycle = net.data("mutation($i: StartPdsaCycleInput!) { startPdsaCycle(input: $i) { cycle { id } } }",
                     {"i": {"changeIdeaId": idea["addChangeIdea"]["changeIdea"]["id"],
                            "plan": "Clock symbols in one bay for a week", "prediction": "No missed doses"}},
                     staff.token)["startPdsaCycle"]["cycle"]["id"]
    net.data("mutation($i: StudyPdsaCycleInput!) { studyPdsaCycle(input: $i) { cycle { id } } }",
             {"i": {"cycleId": cycle, "whatHappened": "One missed dose, at night"}}, staff.token)
    net.data("mutation($i: CompletePdsaCycleInput!) { completePdsaCycle(input: $i) { cycle { status } } }",
             {"i": {"cycleId": cycle, "decision": "ADOPT"}}, staff.token)
    defined = net.data("mutation($i: DefineMeasureInput!) { defineMeasure(input: $i) { measure { id } } }",
                       {"i": {"projectId": project, "name": "Doses on time (%)", "kind": "OUTCOME", "unit": "%",
                              "improvementDirection": "UP", "target": 90}}, staff.token)
    measure = defined["defineMeasure"]["measure"]["id"]
    first_week = datetime.now(UTC).date() - timedelta(weeks=20)
    values = [60, 62, 58, 61, 59, 60, 63, 57, 61, 60, 80, 82, 81, 84, 83, 85, 86, 84]
    signals: list[dict[str, Any]] = []
    for week, value in enumerate(values):
        recorded = net.data(
            "mutation($i: RecordMeasurementInput!) { recordMeasurement(input: $i) { newSignals { rule nature } } }",
            {"i": {"measureId": measure, "on": (first_week + timedelta(weeks=week)).isoformat(), "value": value}},
            staff.token)
        signals += recorded["recordMeasurement"]["newSignals"]
    assert {"rule": "SHIFT", "nature": "IMPROVEMENT"} in signals
    return project


@pytest.fixture(scope="module")
def story(network: Network) -> Story:
    admin = network.admin
    org_a = network.data(REGISTER, {"i": {"name": f"Story Trust {uuid4().hex[:4]}", "kind": "ACUTE_TRUST",
                                          "region": "Story"}}, admin)["registerOrganisation"]["organisation"]["id"]
    org_b = network.data(REGISTER, {"i": {"name": f"Story Council {uuid4().hex[:4]}", "kind": "COUNCIL",
                                          "region": "Story"}}, admin)["registerOrganisation"]["organisation"]["id"]
    coordinator_a = person(network, admin, org_a, "Asha Coordinator", "STAFF_NON_CLINICAL", "COORDINATOR")
    coordinator_b = person(network, admin, org_b, "Bea Coordinator", "STAFF_NON_CLINICAL", "COORDINATOR")
    staff = person(network, coordinator_a.token, org_a, "Sam Nurse", "STAFF_CLINICAL")
    private_staff = person(network, coordinator_a.token, org_a, "Priya Pharmacist", "STAFF_CLINICAL",
                           visibility="ORGANISATION")
    user = person(network, coordinator_a.token, org_a, "Pat Patient", "SERVICE_USER")
    network.data("mutation($i: ConsentInput!) { recordConsent(input: $i) { consent { nameAcrossNetwork } } }",
                 {"i": {"purposes": ["CONTACT", "NAME_ACROSS_NETWORK"]}}, user.token)
    for trainee in (staff, private_staff):
        for slug in LEVEL_ONE_MODULES:
            network.data("mutation($i: RecordTrainingCompletionInput!) { recordTrainingCompletion(input: $i) "
                         "{ levelsAchieved } }", {"i": {"moduleId": str(module_id(slug))}}, trainee.token)
    project = build_project(network, staff, user)
    return Story(network, org_a, org_b, coordinator_a, coordinator_b, staff, private_staff, user, project)


def feed(story: Story, scope: str, token: str) -> list[dict[str, Any]]:
    data = story.network.data(FEED, {"scope": scope}, token)
    return [edge["node"] for edge in data["celebrationFeed"]["edges"]]


def member_names(items: list[dict[str, Any]]) -> set[str]:
    return {item["member"]["displayName"] for item in items if item["member"]}


class TestStory:
    def test_the_network_feed_celebrates_learning_coproduction_and_improvement_with_names(self, story: Story) -> None:
        def check() -> list[dict[str, Any]]:
            items = feed(story, "NETWORK", story.coordinator_b.token)
            assert {"Sam Nurse", "Pat Patient"} <= member_names(items), items
            project_titles = {i["project"]["title"] for i in items if i["project"]}
            assert "Fewer missed doses of Parkinson's medicines" in project_titles, items
            return items

        items = eventually(check)
        kinds = {item["kind"] for item in items}
        assert kinds == {"BADGE"}
        titles_by_member: dict[str, set[str]] = {}
        for item in items:
            if item["member"]:
                titles_by_member.setdefault(item["member"]["displayName"], set()).add(item["title"])
        assert titles_by_member["Sam Nurse"], "the staff member's learning and improvement are celebrated"
        assert titles_by_member["Pat Patient"], "the service-user partner is celebrated by name, with consent"

    def test_the_other_organisation_sees_only_what_is_network_visible(self, story: Story) -> None:
        own = eventually(lambda: _has(feed(story, "ORGANISATION", story.coordinator_a.token), "Priya Pharmacist"))
        other = feed(story, "NETWORK", story.coordinator_b.token)
        other_org_feed = feed(story, "ORGANISATION", story.coordinator_b.token)

        assert "Priya Pharmacist" in member_names(own)
        assert "Priya Pharmacist" not in member_names(other)
        assert other_org_feed == []
        hidden = story.network.data("query($id: ID!) { member(id: $id) { displayName } }",
                                    {"id": story.private_staff.id}, story.coordinator_b.token)
        assert hidden == {"member": None}

    def test_member_and_project_join_up_across_all_three_subgraphs(self, story: Story) -> None:
        data = story.network.data("""query($id: ID!) { member(id: $id) {
            displayName organisation { name } learningLevel
            projects(first: 5) { edges { node { title bigI stage } } }
            badges { name } } }""", {"id": story.staff.id}, story.coordinator_b.token)

        member = data["member"]
        assert member["displayName"] == "Sam Nurse"
        assert member["learningLevel"] == "EXPLORER"
        assert member["projects"]["edges"] == [{"node": {
            "title": "Fewer missed doses of Parkinson's medicines", "bigI": True, "stage": "TESTING"}}]
        assert member["badges"], "badges come from recognition, joined on the member id"

    def test_withdrawing_consent_hides_the_service_user_from_the_other_organisation(self, story: Story) -> None:
        net = story.network
        net.data("mutation($i: ConsentInput!) { withdrawConsent(input: $i) { consent { nameAcrossNetwork } } }",
                 {"i": {"purposes": ["NAME_ACROSS_NETWORK"]}}, story.user.token)

        def gone() -> None:
            assert "Pat Patient" not in member_names(feed(story, "NETWORK", story.coordinator_b.token))

        eventually(gone)
        assert net.data("query($id: ID!) { member(id: $id) { displayName } }", {"id": story.user.id},
                        story.coordinator_b.token) == {"member": None}
        assert net.data("query($id: ID!) { member(id: $id) { displayName } }", {"id": story.user.id},
                        story.user.token) == {"member": {"displayName": "Pat Patient"}}


class TestLiveCelebrations:
    def test_a_celebration_arrives_on_a_gateway_subscription_with_names_from_membership(self, story: Story) -> None:
        received = asyncio.run(_subscribe_then_thank(story))

        assert received["type"] == "next", received
        celebration = received["payload"]["data"]["celebrations"]
        assert celebration == {"kind": "KUDOS", "member": {"displayName": "Sam Nurse",
                                                           "organisation": {"name": celebration["member"]
                                                                            ["organisation"]["name"]}}}
        assert celebration["member"]["organisation"]["name"].startswith("Story Trust")


async def _subscribe_then_thank(story: Story) -> dict[str, Any]:
    """Subscribe to the network's celebrations through the gateway, then thank Sam publicly."""
    from websockets.asyncio.client import connect

    url = story.network.gateway.replace("http://", "ws://")
    async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init",
                                  "payload": {"Authorization": f"Bearer {story.coordinator_b.token}"}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "live", "type": "subscribe", "payload": {"query":
            "subscription { celebrations(scope: NETWORK) { kind member { displayName organisation { name } } } }"}}))
        # The upstream subscription opens in the background: thank again until one is heard.
        for _ in range(5):
            await asyncio.to_thread(_thank, story)
            try:
                return dict(json.loads(await asyncio.wait_for(ws.recv(), 6)))
            except TimeoutError:
                continue
        raise AssertionError("no celebration arrived on the subscription")


def _thank(story: Story) -> None:
    story.network.data(
        "mutation($i: GiveKudosInput!) { giveKudos(input: $i) { kudos { id } } }",
        {"i": {"toMemberId": story.staff.id, "message": "Thank you for the clock idea!", "isPublic": True}},
        story.coordinator_a.token,
    )


class TestNetworkImpact:
    def test_the_story_shows_in_the_organisations_impact_figures_through_the_gateway(self, story: Story) -> None:
        query = """query($org: ID) { networkImpact(organisationId: $org, months: 3) {
          organisation { name } measures { key latest } } }"""

        def latest() -> dict[str, Any]:
            impact = story.network.data(query, {"org": story.org_a}, story.coordinator_a.token)["networkImpact"]
            figures = {m["key"]: m["latest"] for m in impact["measures"]}
            assert figures["pdsa_cycles_completed"] == 1.0, figures
            assert figures["projects_with_improvement"] == 1.0, figures
            return {"name": impact["organisation"]["name"], **figures}

        found = eventually(latest)
        refused = story.network.call(query, {"org": story.org_a}, story.staff.token)

        assert found["name"].startswith("Story Trust")
        # This month: three staff and one service user joined organisation A; its one project has the
        # service user as a full partner; Sam and Priya reached level 1.
        assert (found["heroes_joined_staff"], found["heroes_joined_service_users"]) == (3.0, 1.0)
        assert (found["big_i_share"], found["coproduction_reach"], found["levels_explorer"]) == (100.0, 1.0, 2.0)
        assert refused["errors"][0]["extensions"]["code"] == "forbidden"


class TestProtection:
    def test_bad_tokens_and_limits_are_refused_at_the_gateway(self, story: Story) -> None:
        net = story.network
        expired = net.tokens.mint(uuid4(), ttl_seconds=-120)
        deep = "{ me { organisation { members { edges { node { projects { edges { node { team { member { " \
               "projects { edges { node { id } } } } } } } } } } } } } }"

        assert net.http.post(net.gateway, json={"query": "{ me { id } }"},
                             headers={"authorization": f"Bearer {expired}"}).status_code == 401
        assert net.call(deep)["errors"][0]["extensions"]["code"] in {"QUERY_TOO_DEEP", "GRAPHQL_VALIDATION_FAILED"}
        introspection = net.call("{ __schema { types { name } } }")
        assert introspection["errors"][0]["extensions"]["code"] == "INTROSPECTION_DISABLED"

    def test_a_subgraph_refuses_entities_without_the_gateway_secret(self, story: Story) -> None:
        query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { displayName } } }'
        variables = {"r": [{"__typename": "Member", "id": story.user.id}]}

        direct = story.network.call(query, variables, url=story.network.subgraphs["membership"])
        forged = story.network.call(query, variables, url=story.network.subgraphs["membership"],
                                    **{GATEWAY_SECRET_HEADER: "guessed"})

        assert direct["errors"][0]["extensions"]["code"] == "forbidden"
        assert direct["data"] is None
        assert forged["errors"][0]["extensions"]["code"] == "forbidden"

    def test_a_subgraph_stopped_mid_test_gives_partial_data_within_the_timeout(self, story: Story) -> None:
        net = story.network
        process = net.supervisor.processes["recognition-api"]
        process.terminate()
        process.wait(20)
        started = time.monotonic()
        try:
            body = net.call("query($id: ID!) { member(id: $id) { displayName badges { name } } }",
                            {"id": story.staff.id}, story.coordinator_a.token)
            elapsed = time.monotonic() - started
        finally:
            net.bring_back("recognition-api")

        assert elapsed < 5
        assert body["data"] == {"member": None}  # badges is non-null, so its member becomes null
        assert body["errors"][0]["extensions"]["code"] == "SUBGRAPH_UNAVAILABLE"
        assert body["errors"][0]["path"] == ["member", "badges"]
        assert net.data("query($id: ID!) { member(id: $id) { displayName } }", {"id": story.staff.id},
                        story.coordinator_a.token) == {"member": {"displayName": "Sam Nurse"}}


def _has(items: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    assert name in member_names(items), items
    return items

