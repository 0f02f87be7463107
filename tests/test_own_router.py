"""Bring your own router: Apollo Gateway, run from the supergraph file that
`python -m gateway compose --print` writes, serves the network's story, given the gateway secret
to send to subgraphs and the caller's Authorization header to forward (as README's "Bring your
own router" says to configure it).

Apollo Gateway is the pinned install of services/gateway/tests/reference (package-lock.json).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any
from uuid import uuid4

import httpx
import pytest
from devstack.services import REPO
from membership.catalogue import LEVEL_ONE_MODULES, module_id
from servicekit.graphql import GATEWAY_SECRET_HEADER

from .conftest import Network
from .test_story import REGISTER, Person, eventually, person

pytestmark = pytest.mark.slow

TITLE = "Safer handovers between wards"
PROPOSE = """mutation($i: ProposeProjectInput!) { proposeProject(input: $i) { project {
  title stage visibility bigI organisation { name } proposedBy { displayName } } } }"""
THANK = """mutation($i: GiveKudosInput!) { giveKudos(input: $i) { kudos {
  message isPublic toMember { displayName } fromMember { displayName } } } }"""
ME = """{ me { displayName organisation { name } learningLevel
  projects(first: 5) { edges { node { title stage } } }
  badges { name }
  kudosReceived(first: 5) { edges { node { message fromMember { displayName } } } } } }"""
MEMBER = """query($id: ID!) { member(id: $id) {
  displayName projects(first: 5) { edges { node { title } } } } }"""
TRAIN = """mutation($i: RecordTrainingCompletionInput!) {
  recordTrainingCompletion(input: $i) { levelsAchieved } }"""
THANKS = "Thank you for the handover checklist!"


def _load_apollo() -> ModuleType:
    """The reference runner of the gateway's tests (not a package importable from here)."""
    path = REPO / "services" / "gateway" / "tests" / "reference" / "apollo.py"
    spec = importlib.util.spec_from_file_location("heroes_apollo_reference", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


apollo = _load_apollo()


@dataclass
class Router:
    """Apollo Gateway in front of the network, and what the story did through it."""

    url: str
    network: Network
    organisation: str
    coordinator: Person
    staff: Person
    proposed: dict[str, Any]
    thanked: dict[str, Any]

    def call(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None,
             url: str | None = None) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        response = httpx.post(url or self.url, json={"query": query, "variables": variables or {}},
                              headers=headers, timeout=30)
        body: dict[str, Any] = response.json()
        return body

    def data(self, query: str, variables: dict[str, Any] | None = None,
             token: str | None = None) -> dict[str, Any]:
        body = self.call(query, variables, token)
        assert "errors" not in body, body["errors"]
        result: dict[str, Any] = body["data"]
        return result


@pytest.fixture(scope="module")
def supergraph(network: Network) -> str:
    """What an operator runs: our CLI composes the network's subgraphs into a supergraph file."""
    done = subprocess.run(
        [sys.executable, "-m", "gateway", "compose", "--print"], env=network.env,
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def router(network: Network, supergraph: str) -> Iterator[Router]:
    """Apollo Gateway from the file, sending the secret to subgraphs and forwarding Authorization;
    then the story's people, and two of its mutations made through Apollo."""
    secret = network.env["HEROES_GATEWAY_SECRET"]
    with apollo.start({}, supergraphs={"network": supergraph}, plain=True, timeout=60,
                      subgraph_headers={GATEWAY_SECRET_HEADER: secret},
                      forward_headers=("authorization",)) as urls:
        trust = {"name": f"Router Trust {uuid4().hex[:4]}", "kind": "ACUTE_TRUST",
                 "region": "Router"}
        registered = network.data(REGISTER, {"i": trust}, network.admin)
        organisation = registered["registerOrganisation"]["organisation"]["id"]
        coordinator = person(network, network.admin, organisation, "Rhea Coordinator",
                             "STAFF_NON_CLINICAL", "COORDINATOR")
        staff = person(network, coordinator.token, organisation, "Ravi Physio", "STAFF_CLINICAL")
        for slug in LEVEL_ONE_MODULES:
            network.data(TRAIN, {"i": {"moduleId": str(module_id(slug))}}, staff.token)
        through = Router(urls["network"], network, organisation, coordinator, staff, {}, {})
        project = {"title": TITLE, "visibility": "NETWORK",
                   "summary": "Nothing lost when a patient moves ward."}
        through.proposed = through.data(PROPOSE, {"i": project}, staff.token)
        kudos = {"toMemberId": staff.id, "isPublic": False, "message": THANKS}
        through.thanked = through.data(THANK, {"i": kudos}, coordinator.token)
        yield through


def organisation_name(router: Router) -> str:
    data = router.network.data("query($id: ID!) { member(id: $id) { organisation { name } } }",
                               {"id": router.staff.id}, router.staff.token)
    name: str = data["member"]["organisation"]["name"]
    return name


class TestApolloGatewayFromOurSupergraph:
    def test_the_supergraph_file_points_at_every_subgraph(self, network: Network,
                                                          supergraph: str) -> None:
        for name, url in network.subgraphs.items():
            assert f'@join__graph(name: "{name}", url: "{url}")' in supergraph

    def test_a_projects_mutation_runs_as_the_caller_and_joins_membership(
        self, router: Router
    ) -> None:
        assert router.proposed == {"proposeProject": {"project": {
            "title": TITLE, "stage": "IDEA", "visibility": "NETWORK", "bigI": False,
            "organisation": {"name": organisation_name(router)},
            "proposedBy": {"displayName": "Ravi Physio"}}}}

    def test_a_recognition_mutation_runs_as_the_caller_and_joins_membership(
        self, router: Router
    ) -> None:
        assert router.thanked == {"giveKudos": {"kudos": {
            "message": THANKS, "isPublic": False, "toMember": {"displayName": "Ravi Physio"},
            "fromMember": {"displayName": "Rhea Coordinator"}}}}

    def test_a_signed_in_member_sees_themselves_across_all_three_subgraphs(
        self, router: Router
    ) -> None:
        def me() -> dict[str, Any]:
            data = router.data(ME, token=router.staff.token)
            assert data["me"]["badges"], "the level 1 badge travels through Kafka to recognition"
            return data

        data = eventually(me)

        assert data == {"me": {
            "displayName": "Ravi Physio", "organisation": {"name": organisation_name(router)},
            "learningLevel": "EXPLORER",
            "projects": {"edges": [{"node": {"title": TITLE, "stage": "IDEA"}}]},
            "badges": [{"name": "MAC Hero Explorer"}],
            "kudosReceived": {"edges": [{"node": {
                "message": THANKS, "fromMember": {"displayName": "Rhea Coordinator"}}}]},
        }}
        ours = router.call(ME, token=router.staff.token, url=router.network.gateway)
        assert ours == {"data": data}

    def test_a_coordinator_and_a_caller_without_a_token_see_what_our_gateway_shows(
        self, router: Router
    ) -> None:
        variables = {"id": router.staff.id}

        as_coordinator = router.data(MEMBER, variables, router.coordinator.token)
        anonymous = router.call(MEMBER, variables)

        assert as_coordinator == {"member": {"displayName": "Ravi Physio",
                                             "projects": {"edges": [{"node": {"title": TITLE}}]}}}
        assert anonymous["data"] == {"member": None}
        ours = router.call(MEMBER, variables, url=router.network.gateway)
        assert ours["data"] == anonymous["data"]
