"""Network impact: honest about what is still to come, useful with what the API says today."""

from __future__ import annotations

import re
from typing import Any

from ..conftest import Portal
from .reading import text

ORG = "org-riverside"


def row(html: str, heading: str) -> str:
    """The cell next to a row heading, as text."""
    match = re.search(rf'<th scope="row">{re.escape(heading)}</th>\s*<td>(.*?)</td>', html,
                      flags=re.S)
    assert match, f"no row {heading!r}"
    return text(match.group(1))


def today(**changes: Any) -> dict[str, Any]:
    members = [("STAFF_CLINICAL", "ACTIVE")] * 3 + [
        ("SERVICE_USER", "ACTIVE"), ("SERVICE_USER", "INVITED"), ("CARER", "PAUSED"),
        ("CARER", "ERASED"), ("STAFF_NON_CLINICAL", "LEFT")]
    projects = [("TESTING", True), ("TESTING", False), ("IDEA", False), ("SPREADING", True)]
    organisation = {
        "id": ORG, "name": "Riverside Hospitals",
        "members": {"edges": [{"node": {"id": f"m{i}", "memberType": kind, "status": status}}
                              for i, (kind, status) in enumerate(members)],
                    "pageInfo": {"hasNextPage": False}},
        "projects": {"edges": [{"node": {"id": f"p{i}", "stage": stage, "bigI": big_i}}
                               for i, (stage, big_i) in enumerate(projects)],
                     "pageInfo": {"hasNextPage": False}},
        **changes}
    return {"data": {"organisation": organisation}}


class TestImpact:
    def test_explains_what_is_coming_without_asking_the_api(self, portal: Portal) -> None:
        response = portal.client.get("/impact")

        assert response.status_code == 200
        words = text(response.text)
        assert "<h1>Network impact</h1>" in response.text
        assert "These charts are not ready yet" in words
        assert 'popovertarget="term-driver-diagram-' in response.text and ">driver diagram</button>" in response.text
        assert 'href="http://testserver/glossary#driver-diagram"' in response.text
        assert "Sign in to see the numbers for your organisation." in words
        assert portal.gateway.calls == []

    def test_counts_members_by_type_and_projects_by_stage_in_one_request(
            self, portal: Portal) -> None:
        portal.sign_in(organisation_id=ORG, roles=("hero",))
        portal.gateway.answer("ImpactToday", today())

        response = portal.client.get("/impact")

        [call] = portal.gateway.calls
        assert call.operation == "ImpactToday"
        assert call.variables == {"organisationId": ORG}
        page = response.text
        assert row(page, "Staff in a clinical role") == "3"
        assert row(page, "Someone who uses services") == "2"
        assert row(page, "A carer") == "1"  # the erased carer is not counted
        assert row(page, "Staff in a non-clinical role") == "0"  # nor the one who left
        assert row(page, "All members") == "6"
        assert row(page, "Testing changes") == "2"
        assert row(page, "Spreading to other places") == "1"
        assert row(page, "All projects") == "4"
        words = text(page)
        assert ("2 of these 4 projects have a patient or carer as a full member of the team."
                in words)
        assert "For Riverside Hospitals, counting only what you are allowed to see." in words

    def test_says_at_least_when_the_list_goes_on(self, portal: Portal) -> None:
        portal.sign_in(organisation_id=ORG, roles=("hero",))
        answer = today()
        answer["data"]["organisation"]["projects"]["pageInfo"]["hasNextPage"] = True
        portal.gateway.answer("ImpactToday", answer)

        page = portal.client.get("/impact").text

        assert row(page, "All projects") == "at least 4"
        assert "Improvement projects, by stage (the newest 100 only)" in text(page)

    def test_a_missing_part_is_said_plainly(self, portal: Portal) -> None:
        portal.sign_in(organisation_id=ORG, roles=("hero",))
        answer = today(projects=None)
        answer["errors"] = [{"message": "projects is down",
                             "path": ["organisation", "projects"],
                             "extensions": {"code": "SUBGRAPH_UNAVAILABLE"}}]
        portal.gateway.answer("ImpactToday", answer)

        words = text(portal.client.get("/impact").text)

        assert "We could not count the projects just now." in words
        assert "Part of the network is not answering just now" in words
        assert "SUBGRAPH_UNAVAILABLE" not in words
        assert "All members 6" in words
