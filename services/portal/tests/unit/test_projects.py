"""The projects pages: the list and search with similar work, a project's page with its charts,
recording a value, and starting a project. The gateway is the FakeGateway of conftest.py."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from portal.charts import chart_from_api, render_chart

from .chart_api import FALLS, measure_json

PROJECT_ID = "7d4c6a4e-1111-4a5b-9c1d-000000000001"
MEASURE_ID = "7d4c6a4e-2222-4a5b-9c1d-000000000002"
LEAD_ID = "7d4c6a4e-3333-4a5b-9c1d-000000000003"
PARTNER_ID = "7d4c6a4e-4444-4a5b-9c1d-000000000004"
IDEA_ID = "7d4c6a4e-5555-4a5b-9c1d-000000000005"
SHIFT = {
    "rule": "SHIFT",
    "nature": "IMPROVEMENT",
    "description": "Seven or more points in a row all above, or all below, the average.",
    "firstPointOn": "2026-03-16",
    "lastPointOn": "2026-04-27",
}
ALREADY_THERE = "There is already a value for that date. Correct it instead of adding another."
NOTE_TOO_LONG = "The note of what happened is too long: at most 4000 characters, please."
TOO_LONG = "The 'how much' of the aim is too long: at most 200 characters, please."
IMPROVEMENT_NEWS = (
    "This looks like a real improvement: seven or more points in a row all above, or all "
    "below, the average (from 16 March 2026 to 27 April 2026)."
)


# --- reading pages -------------------------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    content: list[Node | str] = field(default_factory=list)  # text and elements, in order

    @property
    def children(self) -> list[Node]:
        return [item for item in self.content if isinstance(item, Node)]

    @property
    def texts(self) -> list[str]:
        """The element's own text, without its children's."""
        return [item for item in self.content if isinstance(item, str)]

    @property
    def text(self) -> str:
        joined = " ".join(
            " ".join(item if isinstance(item, str) else item.text for item in self.content).split()
        )
        return re.sub(r" ([,.:;)])", r"\1", joined)  # no space before punctuation after an element

    def all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        """Every element below this one with the tag and attributes (`class_` matches one class)."""
        found = []
        for child in self.children:
            if _matches(child, tag, attrs):
                found.append(child)
            found += child.all(tag, **attrs)
        return found

    def one(self, tag: str | None = None, **attrs: str) -> Node:
        found = self.all(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]

    def kids(self, tag: str) -> list[Node]:
        return [child for child in self.children if child.tag == tag]


def _matches(node: Node, tag: str | None, attrs: dict[str, str]) -> bool:
    if tag is not None and node.tag != tag:
        return False
    for name, value in attrs.items():
        if name == "class_":
            if value not in node.attrs.get("class", "").split():
                return False
        elif node.attrs.get(name) != value:
            return False
    return True


class _Builder(HTMLParser):
    VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].content.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].content.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.stack[-1].content.append(data.strip())


def page(response: Any) -> Node:
    builder = _Builder()
    builder.feed(response.text)
    return builder.root


# --- canned answers ------------------------------------------------------------------------------


def card(project_id: str, title: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": project_id,
        "title": title,
        "summary": f"About {title.lower()}.",
        "stage": "TESTING",
        "themes": ["falls"],
        "bigI": False,
        "visibility": "NETWORK",
        "organisation": {"id": "org-1", "name": "Northshire Hospitals"},
        **extra,
    }


def listing(
    *cards: dict[str, Any],
    next_cursor: str | None = None,
    similar: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "projects": {
            "edges": [{"node": c, "cursor": c["id"]} for c in cards],
            "pageInfo": {"hasNextPage": next_cursor is not None, "endCursor": next_cursor},
        }
    }
    if similar is not None:
        data["similarProjects"] = {"edges": [
            {"node": {"score": 0.9 - n / 10, "project": c}, "cursor": str(n)} for n, c in enumerate(similar)
        ]}
    return {"data": data}


def falls_measure(values: tuple[float, ...] = FALLS) -> dict[str, Any]:
    measure = measure_json(values, direction="DOWN", name="Falls per week", unit="falls")
    return {
        **measure,
        "id": MEASURE_ID,
        "definition": "Falls recorded on the ward each week.",
        "kind": "OUTCOME",
    }


def cycle(cycle_id: str, number: int, status: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": cycle_id,
        "changeIdeaId": IDEA_ID,
        "number": number,
        "status": status,
        "plan": f"Test {number}.",
        "prediction": "Fewer falls.",
        "doNotes": "",
        "whatHappened": "",
        "decision": None,
        "actNotes": "",
        "startedAt": "2026-03-02T20:00:00Z",
        "studiedAt": None,
        "completedAt": None,
        "ledBy": None,
        **extra,
    }


def project_json(*, names_shown: bool = True, can_change: bool = True) -> dict[str, Any]:
    def member(member_id: str, name: str) -> dict[str, Any] | None:
        return {"id": member_id, "displayName": name} if names_shown else None

    idea = {
        "id": IDEA_ID,
        "title": "Night-time comfort rounds",
        "description": "Ask about the toilet, pain and position every hour at night.",
    }
    return {
        "id": PROJECT_ID,
        "title": "Fewer falls at night",
        "summary": "Older patients fall at night on Ward 7.",
        "themes": ["falls", "nights"],
        "visibility": "NETWORK",
        "stage": "TESTING",
        "stageMeaning": "The team is trying out changes in small tests.",
        "coProductionLevel": "CO_DESIGN",
        "bigI": True,
        "canChange": can_change,
        "proposedAt": "2026-01-05T09:00:00Z",
        "aim": {
            "what": "Fewer falls at night on Ward 7",
            "howMuch": "by half",
            "byWhen": "2026-12-31",
            "statement": "Fewer falls at night on Ward 7 by half by 31 December 2026.",
            "isComplete": True,
        },
        "organisation": {"id": "org-1", "name": "Northshire Hospitals"},
        "partnerOrganisations": [{"id": "org-2", "name": "Northshire Carers Together"}],
        "team": [
            {
                "id": "t1",
                "role": "LEAD",
                "joinedAt": "2026-01-05T09:00:00Z",
                "member": member(LEAD_ID, "Sam Nurse"),
            },
            {
                "id": "t2",
                "role": "SERVICE_USER_PARTNER",
                "joinedAt": "2026-01-06T09:00:00Z",
                "member": member(PARTNER_ID, "Pat Carer"),
            },
            {"id": "t3", "role": "MEMBER", "joinedAt": "2026-01-07T09:00:00Z", "member": None},
        ],
        "driverDiagram": {
            "aim": "Fewer falls at night on Ward 7 by half by 31 December 2026.",
            "primaryDrivers": [
                {
                    "id": "d1",
                    "text": "Patients' needs met at night",
                    "changeIdeas": [],
                    "secondaryDrivers": [
                        {"id": "d2", "text": "Regular checks", "changeIdeas": [idea]}
                    ],
                }
            ],
        },
        "pdsaCycles": [
            {
                "id": "c1",
                "changeIdeaId": IDEA_ID,
                "number": 1,
                "status": "COMPLETED",
                "plan": "Try hourly rounds on one night shift.",
                "prediction": "No falls that night.",
                "doNotes": "",
                "whatHappened": "No falls; staff found it easy.",
                "decision": "ADOPT",
                "actNotes": "Use on every night shift",
                "startedAt": "2026-02-02T20:00:00Z",
                "studiedAt": "2026-02-03T08:00:00Z",
                "completedAt": "2026-02-04T08:00:00Z",
                "ledBy": member(PARTNER_ID, "Pat Carer"),
            },
            cycle("c2", 2, "TESTING"),
            cycle("c3", 3, "STUDIED", whatHappened="Two falls; one bank nurse missed the rounds."),
        ],
        "measures": [falls_measure()],
    }


# --- the list ------------------------------------------------------------------------------------


class TestProjectList:
    def test_lists_the_projects_the_person_may_see_in_one_request(self, portal: Any) -> None:
        portal.sign_in()
        portal.gateway.answer(
            "ProjectsPage",
            listing(card("p1", "Fewer falls at night"), card("p2", "Quicker discharge", bigI=True)),
        )

        response = portal.client.get("/projects")

        assert response.status_code == 200
        cards = page(response).all("li", class_="project-card")
        assert [c.one("h3").text for c in cards] == ["Fewer falls at night", "Quicker discharge"]
        assert "Northshire Hospitals" in cards[0].text
        assert "With a service user partner" in cards[1].text
        [call] = portal.gateway.calls
        assert call.operation == "ProjectsPage"
        assert call.variables == {
            "filter": None,
            "first": 20,
            "after": None,
            "text": "",
            "search": False,
        }

    def test_search_shows_similar_work_across_the_network(self, portal: Any) -> None:
        portal.gateway.answer(
            "ProjectsPage",
            listing(
                card("p1", "Quicker discharge"), similar=[card("p9", "Safer nights on Ward 3")]
            ),
        )

        response = portal.client.get("/projects", params={"q": "  falls   at night "})

        [call] = portal.gateway.calls
        assert call.variables["text"] == "falls at night"
        assert call.variables["search"] is True
        similar = page(response).one("section", class_="similar")
        assert similar.one("h2").text == "Similar work across the network"
        assert [c.one("h3").text for c in similar.all("li", class_="project-card")] == [
            "Safer nights on Ward 3"
        ]

    def test_a_search_of_two_letters_is_explained_next_to_the_box(self, portal: Any) -> None:
        portal.gateway.answer("ProjectsPage", listing())

        response = portal.client.get("/projects", params={"q": "ab"})

        assert portal.gateway.calls[0].variables["search"] is False
        problem = page(response).one("p", id="q-problem")
        assert problem.text == "Please type between 3 and 500 characters to search."
        assert "q-problem" in page(response).one("input", id="q").attrs["aria-describedby"]

    def test_choices_narrow_the_list(self, portal: Any) -> None:
        portal.sign_in(organisation_id="org-1")
        portal.gateway.answer("ProjectsPage", listing())

        portal.client.get(
            "/projects",
            params={"stage": "TESTING", "theme": " Falls ", "partner": "yes", "mine": "yes"},
        )

        assert portal.gateway.calls[0].variables["filter"] == {
            "stages": ["TESTING"],
            "theme": "falls",
            "bigI": True,
            "organisationId": "org-1",
        }

    def test_older_projects_link_keeps_the_search_and_passes_the_cursor(self, portal: Any) -> None:
        portal.gateway.answer(
            "ProjectsPage", listing(card("p1", "One"), next_cursor="cursor-2", similar=[])
        )

        response = portal.client.get("/projects", params={"q": "falls", "after": "cursor-1"})

        assert portal.gateway.calls[0].variables["after"] == "cursor-1"
        pager = page(response).one("nav", class_="pager")
        links = {a.text: a.attrs["href"] for a in pager.all("a")}
        assert links["Older projects"] == "http://testserver/projects?q=falls&after=cursor-2"
        assert links["Back to the newest projects"] == "http://testserver/projects?q=falls"

    def test_visitors_see_shared_projects_and_are_asked_to_sign_in_to_start_one(
        self, portal: Any
    ) -> None:
        portal.gateway.answer("ProjectsPage", listing(card("p1", "Fewer falls at night")))

        response = portal.client.get("/projects")

        assert response.status_code == 200
        assert portal.gateway.calls[0].token is None
        assert "Fewer falls at night" in response.text
        assert (
            "to start a project or join a team"
            in page(response).one("section", **{"aria-labelledby": "start-heading"}).text
        )


# --- a project's page ----------------------------------------------------------------------------


class TestProjectPage:
    @pytest.fixture
    def shown(self, portal: Any) -> Node:
        portal.sign_in(member_id=LEAD_ID)
        portal.gateway.answer(
            "ProjectPage", lambda variables: {"data": {"project": project_json()}}
        )
        response = portal.client.get(f"/projects/{PROJECT_ID}")
        assert response.status_code == 200
        return page(response)

    def test_is_one_gateway_request(self, portal: Any, shown: Node) -> None:
        [call] = portal.gateway.calls
        assert call.operation == "ProjectPage"
        assert call.variables == {"id": PROJECT_ID}

    def test_shows_the_aim_stage_themes_and_co_production(self, shown: Node) -> None:
        assert shown.one("h1").text == "Fewer falls at night"
        text = shown.text
        assert "Fewer falls at night on Ward 7 by half by 31 December 2026." in text
        assert "By how much by half" in text
        assert "By when 31 December 2026" in text
        assert "Testing: The team is trying out changes in small tests." in text
        assert [a.text for a in shown.one("dd", class_="themes").all("a")] == ["falls", "nights"]
        assert "Co-design: designing the changes together" in text
        assert "Yes: a patient, carer or community member is a full member of the team." in text
        assert {b.text for b in shown.all("button", class_="term")} >= {
            "Big I involvement",
            "Co-production",
            "Driver diagram",
            "PDSA cycles",
            "SPC chart",
        }

    def test_team_shows_co_produced_roles(self, shown: Node) -> None:
        members = shown.one("ul", class_="team-list").kids("li")
        assert [m.one("strong", class_="team-role").text for m in members] == [
            "Lead",
            "Service user partner",
            "Team member",
        ]
        assert members[1].one("a").text == "Pat Carer"
        assert "Someone in the network" in members[2].text

    def test_driver_diagram_is_a_nested_tree(self, shown: Node) -> None:
        [aim] = shown.one("ul", class_="driver-tree").kids("li")
        assert aim.texts[0] == "Fewer falls at night on Ward 7 by half by 31 December 2026."
        [primary] = aim.kids("ul")[0].kids("li")
        assert primary.texts == ["Patients' needs met at night"]
        [secondary] = primary.kids("ul")[0].kids("li")
        assert secondary.texts == ["Regular checks"]
        [idea] = secondary.kids("ul")[0].kids("li")
        assert idea.one("a").text == "Night-time comfort rounds"
        assert idea.one("a").attrs["href"] == f"#idea-{IDEA_ID}"

    def test_pdsa_cycles_are_shown_under_their_change_idea(self, shown: Node) -> None:
        idea = shown.one("article", id=f"idea-{IDEA_ID}")
        assert [li.attrs["id"] for li in idea.all("li", class_="pdsa")] == [
            "test-c1",
            "test-c2",
            "test-c3",
        ]
        cycle = idea.one("li", id="test-c1")
        facts = {d.one("dt").text: d.one("dd").text for d in cycle.one("dl").kids("div")}
        assert facts == {
            "Plan": "Try hourly rounds on one night shift.",
            "What we expected (prediction)": "No falls that night.",
            "What happened": "No falls; staff found it easy.",
            "Decision": "Keep the change (adopt). Use on every night shift",
        }
        assert "led by Pat Carer" in cycle.text

    def test_each_measure_has_its_chart_with_every_point_and_its_summary(self, shown: Node) -> None:
        measure = shown.one("article", id=f"measure-{MEASURE_ID}")
        expected = render_chart(chart_from_api(falls_measure()))
        svg = measure.one("figure").one("svg")
        assert len(
            [n for n in svg.all() if "spc-point" in n.attrs.get("class", "").split()]
        ) == len(FALLS)
        assert measure.one("figcaption").text == " ".join(expected.summary.split())
        assert expected.variation.label in measure.text
        table = measure.one("details", class_="spc-numbers").one("table")
        assert table.one("caption").text == expected.table.caption
        assert len(table.one("tbody").kids("tr")) == len(FALLS)
        assert all(th.attrs["scope"] == "col" for th in table.one("thead").all("th"))

    def test_a_measure_without_values_says_so_and_offers_the_form(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID)
        empty = {
            **falls_measure(),
            "id": "m-empty",
            "name": "Rounds done",
            "chart": {**falls_measure()["chart"], "points": [], "segments": [], "signals": []},
        }
        portal.gateway.answer(
            "ProjectPage", {"data": {"project": {**project_json(), "measures": [empty]}}}
        )

        shown = page(portal.client.get(f"/projects/{PROJECT_ID}"))

        measure = shown.one("article", id="measure-m-empty")
        assert measure.all("svg") == []
        assert measure.one("p", class_="empty").text == (
            "No values yet, so there is no chart. Add the first one below."
        )
        assert measure.one("form", id="record-m-empty")

    def test_the_charts_stylesheet_is_linked_and_served(self, portal: Any, shown: Node) -> None:
        assert shown.one("link", href="http://testserver/charts.css")
        response = portal.client.get("/charts.css")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/css")
        assert "max-age" in response.headers["cache-control"]

    def test_team_members_get_a_form_to_add_a_value(self, shown: Node) -> None:
        form = shown.one("form", id=f"record-{MEASURE_ID}")
        action = f"http://testserver/projects/{PROJECT_ID}/measures/{MEASURE_ID}/data"
        assert form.attrs["action"] == action
        assert form.attrs["hx-post"] == action
        assert form.attrs["hx-target"] == f"#measure-{MEASURE_ID}"
        assert {i.attrs["name"] for i in form.all("input")} == {"csrf_token", "on", "value", "note"}

    def test_a_project_that_is_not_there_gets_a_plain_not_found_page(self, portal: Any) -> None:
        portal.gateway.answer("ProjectPage", {"data": {"project": None}})

        response = portal.client.get("/projects/no-such-project")

        assert response.status_code == 404
        assert page(response).one("h1").text == "Project not found"
        assert "Signing in may let you see it." in response.text


class TestVisitors:
    def test_a_visitor_sees_a_shared_project_without_anyone_s_name(self, portal: Any) -> None:
        portal.gateway.answer(
            "ProjectPage", {"data": {"project": project_json(names_shown=False, can_change=False)}}
        )

        response = portal.client.get(f"/projects/{PROJECT_ID}")

        assert response.status_code == 200
        assert portal.gateway.calls[0].token is None
        assert "Sam Nurse" not in response.text
        assert "Pat Carer" not in response.text
        members = page(response).one("ul", class_="team-list").kids("li")
        assert all("Someone in the network" in m.text for m in members)
        assert "Service user partner" in members[1].text
        assert page(response).all("form", class_="record-form") == []


# --- recording a value ---------------------------------------------------------------------------


def recorded(variables: dict[str, Any]) -> dict[str, Any]:
    measure = falls_measure((*FALLS, 13))
    return {
        "data": {
            "recordMeasurement": {
                "point": {"id": "new-point"},
                "measure": measure,
                "newSignals": [SHIFT],
            }
        }
    }


class TestRecordValue:
    path = f"/projects/{PROJECT_ID}/measures/{MEASURE_ID}/data"

    def test_sends_the_value_then_the_page_says_what_it_showed_once(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID)
        portal.gateway.answer("RecordMeasurement", recorded)
        portal.gateway.answer("ProjectPage", {"data": {"project": project_json()}})

        response = portal.post(
            self.path, {"on": "2026-05-04", "value": "13", "note": "new night rota"}
        )

        assert response.status_code == 303
        assert response.headers["location"] == (
            f"http://testserver/projects/{PROJECT_ID}#measure-{MEASURE_ID}"
        )
        [call] = portal.gateway.calls
        assert call.operation == "RecordMeasurement"
        assert call.variables == {
            "input": {
                "measureId": MEASURE_ID,
                "on": "2026-05-04",
                "value": 13.0,
                "annotation": "new night rota",
            }
        }
        shown = page(portal.client.get(f"/projects/{PROJECT_ID}"))
        notice = shown.one("article", id=f"measure-{MEASURE_ID}").one("div", class_="notice")
        assert notice.attrs["role"] == "status"
        assert notice.one("p", class_="signal-news").text == IMPROVEMENT_NEWS
        again = portal.client.get(f"/projects/{PROJECT_ID}")
        assert "This looks like a real improvement" not in again.text

    def test_with_htmx_answers_with_the_redrawn_chart(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID)
        portal.gateway.answer("RecordMeasurement", recorded)

        response = portal.client.post(
            self.path,
            data={"on": "04/05/2026", "value": "13"},
            headers={"HX-Request": "true", "X-CSRF-Token": "test-csrf-token"},
        )

        assert response.status_code == 200
        assert "<html" not in response.text
        assert [call.operation for call in portal.gateway.calls] == ["RecordMeasurement"]
        assert portal.gateway.calls[0].variables["input"]["on"] == "2026-05-04"
        [measure] = page(response).kids("article")
        assert measure.attrs["id"] == f"measure-{MEASURE_ID}"
        svg = measure.one("figure").one("svg")
        assert (
            len([n for n in svg.all() if "spc-point" in n.attrs.get("class", "").split()])
            == len(FALLS) + 1
        )
        assert measure.one("p", class_="signal-news").text == IMPROVEMENT_NEWS
        assert (
            measure.one("form", id=f"record-{MEASURE_ID}").one("input", name="value").attrs["value"]
            == ""
        )

    def test_a_value_that_is_not_a_number_is_explained_next_to_the_value(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID)
        portal.gateway.answer("ProjectPage", {"data": {"project": project_json()}})

        response = portal.post(self.path, {"on": "2026-05-04", "value": "lots"})

        assert response.status_code == 422
        assert [call.operation for call in portal.gateway.calls] == ["ProjectPage"]
        form = page(response).one("form", id=f"record-{MEASURE_ID}")
        problem = form.one("p", id=f"value-{MEASURE_ID}-problem")
        assert problem.text == "Please give the value as a number, for example 12 or 3.5."
        value = form.one("input", name="value")
        assert value.attrs["value"] == "lots"
        assert value.attrs["aria-invalid"] == "true"
        assert f"value-{MEASURE_ID}-problem" in value.attrs["aria-describedby"]

    def test_with_htmx_the_api_s_objection_goes_next_to_its_field(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID)
        portal.gateway.answer(
            "RecordMeasurement",
            {
                "data": None,
                "errors": [
                    {
                        "message": ALREADY_THERE,
                        "extensions": {"code": "measurement_already_recorded", "field": "on"},
                    }
                ],
            },
        )

        response = portal.client.post(
            self.path,
            data={"on": "2026-05-04", "value": "13"},
            headers={"HX-Request": "true", "X-CSRF-Token": "test-csrf-token"},
        )

        assert response.status_code == 200
        assert response.headers["HX-Retarget"] == f"#record-{MEASURE_ID}"
        assert response.headers["HX-Reswap"] == "outerHTML"
        form = page(response).one("form", id=f"record-{MEASURE_ID}")
        assert form.one("p", id=f"on-{MEASURE_ID}-problem").text == (ALREADY_THERE)
        assert "measurement_already_recorded" not in response.text

    def test_needs_the_form_s_token(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID)

        response = portal.client.post(self.path, data={"on": "2026-05-04", "value": "13"})

        assert response.status_code == 403
        assert portal.gateway.calls == []


# --- starting a project --------------------------------------------------------------------------


FILLED = {
    "title": "Fewer falls at night",
    "summary": "Older patients fall at night.",
    "aim_what": "Fewer falls at night on Ward 7",
    "aim_how_much": "by half",
    "aim_by_when": "31/12/2026",
    "themes": "Falls, nights ,",
    "visibility": "NETWORK",
    "co_production_level": "CO_DESIGN",
}


class TestStartProject:
    def test_sends_the_proposal_and_goes_to_the_new_project(self, portal: Any) -> None:
        portal.sign_in()
        portal.gateway.answer(
            "ProposeProject", {"data": {"proposeProject": {"project": {"id": "new-project"}}}}
        )

        response = portal.post("/projects/new", {**FILLED, "action": "start"})

        assert response.status_code == 303
        assert response.headers["location"] == "http://testserver/projects/new-project"
        [call] = portal.gateway.calls
        assert call.variables == {
            "input": {
                "title": "Fewer falls at night",
                "summary": "Older patients fall at night.",
                "aim": {
                    "what": "Fewer falls at night on Ward 7",
                    "howMuch": "by half",
                    "byWhen": "2026-12-31",
                },
                "themes": ["falls", "nights"],
                "visibility": "NETWORK",
                "coProductionLevel": "CO_DESIGN",
            }
        }

    def test_a_missing_title_is_explained_next_to_the_title(self, portal: Any) -> None:
        portal.sign_in()

        response = portal.post("/projects/new", {**FILLED, "title": "  "})

        assert response.status_code == 422
        assert portal.gateway.calls == []
        shown = page(response)
        assert shown.one("p", id="title-problem").text == "Please give the project a title."
        assert (
            shown.one("input", id="title").attrs["aria-describedby"] == "title-hint title-problem"
        )
        assert shown.one("textarea", id="summary").text == "Older patients fall at night."

    def test_the_api_s_objection_goes_next_to_its_field(self, portal: Any) -> None:
        portal.sign_in()
        portal.gateway.answer(
            "ProposeProject",
            {
                "data": None,
                "errors": [
                    {
                        "message": TOO_LONG,
                        "extensions": {"code": "invalid_input", "field": "aim.howMuch"},
                    }
                ],
            },
        )

        response = portal.post("/projects/new", FILLED)

        assert response.status_code == 422
        assert page(response).one("p", id="aim_how_much-problem").text == TOO_LONG

    def test_looks_for_similar_work_before_starting(self, portal: Any) -> None:
        portal.sign_in()
        portal.gateway.answer(
            "SimilarWork",
            {
                "data": {
                    "similarProjects": {"edges": [
                        {"node": {"score": 0.8, "project": card("p9", "Safer nights on Ward 3")}, "cursor": "0"}
                    ]}
                }
            },
        )

        response = portal.post("/projects/new", {**FILLED, "action": "check"})

        assert response.status_code == 200
        [call] = portal.gateway.calls
        assert call.operation == "SimilarWork"
        assert call.variables == {
            "text": "Fewer falls at night Older patients fall at night. "
            "Fewer falls at night on Ward 7"
        }
        shown = page(response)
        assert shown.one("section", class_="similar").one("h3").text == "Safer nights on Ward 3"
        assert shown.one("input", id="title").attrs["value"] == "Fewer falls at night"

    def test_an_idea_from_the_search_is_carried_over_with_its_similar_work(
        self, portal: Any
    ) -> None:
        portal.sign_in()
        portal.gateway.answer("SimilarWork", {"data": {"similarProjects": {"edges": []}}})

        response = portal.client.get("/projects/new", params={"idea": "falls at night"})

        assert portal.gateway.calls[0].variables == {"text": "falls at night"}
        shown = page(response)
        assert shown.one("textarea", id="summary").text == "falls at night"
        assert "We found no projects like yours." in shown.one("section", class_="similar").text

    def test_needs_a_signed_in_person(self, portal: Any) -> None:
        response = portal.client.get("/projects/new")

        assert response.status_code == 303
        assert portal.gateway.calls == []


# --- changing the work ---------------------------------------------------------------------------


class TestChangeTheWork:
    def test_team_members_may_add_drivers_ideas_and_the_steps_of_each_test(
        self, portal: Any
    ) -> None:
        portal.sign_in(member_id=LEAD_ID)
        portal.gateway.answer("ProjectPage", {"data": {"project": project_json()}})

        shown = page(portal.client.get(f"/projects/{PROJECT_ID}"))

        changes = {
            d.attrs["id"]: d.one("summary").text for d in shown.all("details", class_="change")
        }
        assert changes == {
            "new-driver": "Add a driver",
            f"plan-{IDEA_ID}": "Plan a test of this idea",
            "study-c2": "Write what happened",
            "decide-c3": "Decide what to do next",
            "new-idea": "Add a change idea",
            "new-measure": "Choose something to measure",
        }
        assert all("open" not in d.attrs for d in shown.all("details", class_="change"))
        drivers = shown.one("select", id="new-idea-driver")
        assert [o.text for o in drivers.all("option")] == [
            "Choose a driver",
            "Patients' needs met at night",
            "Patients' needs met at night: Regular checks",
        ]

    def test_visitors_may_change_nothing(self, portal: Any) -> None:
        portal.gateway.answer("ProjectPage", {"data": {"project": project_json(can_change=False)}})

        shown = page(portal.client.get(f"/projects/{PROJECT_ID}"))

        assert shown.all("details", class_="change") == []
        assert shown.all("form", class_="change-form") == []
        assert shown.all("form", class_="record-form") == []

    def test_adding_a_driver_sends_it_and_goes_back_to_the_diagram(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID)
        portal.gateway.answer("AddDriver", {"data": {"addDriver": {"driver": {"id": "d9"}}}})

        response = portal.post(
            f"/projects/{PROJECT_ID}/drivers",
            {"text": " Staff know who is at risk ", "parent": "d1"},
        )

        assert response.status_code == 303
        assert response.headers["location"] == f"http://testserver/projects/{PROJECT_ID}#drivers"
        [call] = portal.gateway.calls
        assert call.variables == {
            "input": {
                "projectId": PROJECT_ID,
                "text": "Staff know who is at risk",
                "parentDriverId": "d1",
            }
        }

    def test_a_test_without_a_prediction_is_sent_back_with_the_form_open(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID)
        portal.gateway.answer("ProjectPage", {"data": {"project": project_json()}})

        response = portal.post(
            f"/projects/{PROJECT_ID}/ideas/{IDEA_ID}/tests",
            {"plan": "Rounds on two wards.", "prediction": " "},
        )

        assert response.status_code == 422
        assert [call.operation for call in portal.gateway.calls] == ["ProjectPage"]
        change = page(response).one("details", id=f"plan-{IDEA_ID}")
        assert "open" in change.attrs
        key = f"plan-{IDEA_ID}"
        assert change.one("p", id=f"{key}-prediction-problem").text == (
            "Please write what you expect to happen."
        )
        assert change.one("textarea", id=f"{key}-plan").text == "Rounds on two wards."
        assert change.one("textarea", id=f"{key}-prediction").attrs["aria-describedby"] == (
            f"{key}-prediction-hint {key}-prediction-problem"
        )

    def test_the_api_s_objection_to_what_happened_goes_next_to_it(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID)
        portal.gateway.answer(
            "StudyPdsaCycle",
            {
                "data": None,
                "errors": [
                    {
                        "message": NOTE_TOO_LONG,
                        "extensions": {"code": "invalid_input", "field": "whatHappened"},
                    }
                ],
            },
        )
        portal.gateway.answer("ProjectPage", {"data": {"project": project_json()}})

        response = portal.post(f"/projects/{PROJECT_ID}/tests/c2/study", {"what_happened": "x"})

        assert response.status_code == 422
        assert page(response).one("p", id="study-c2-what_happened-problem").text == (NOTE_TOO_LONG)

    def test_a_decision_is_sent_and_the_page_shows_the_test(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID)
        portal.gateway.answer(
            "CompletePdsaCycle", {"data": {"completePdsaCycle": {"cycle": {"id": "c3"}}}}
        )

        response = portal.post(
            f"/projects/{PROJECT_ID}/tests/c3/decision",
            {"decision": "ADAPT", "notes": "Add a bank staff briefing."},
        )

        assert response.headers["location"] == f"http://testserver/projects/{PROJECT_ID}#test-c3"
        assert portal.gateway.calls[0].variables == {
            "input": {"cycleId": "c3", "decision": "ADAPT", "notes": "Add a bank staff briefing."}
        }

    def test_changes_need_the_form_s_token(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID)

        response = portal.client.post(f"/projects/{PROJECT_ID}/drivers", data={"text": "A driver"})

        assert response.status_code == 403
        assert portal.gateway.calls == []
