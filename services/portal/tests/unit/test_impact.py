"""Network impact: the network's aim, its drivers with their monthly measures as SPC charts, for
an organisation or the whole network, and the network administrators' edit forms. The gateway's
`networkImpact` answers are built to the contract of issue 14 (charts by the projects engine)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from gateway.supergraph.compose import compose
from graphql import parse, validate
from portal.pages.impact import queries

from ..conftest import Portal
from .chart_api import month_key, monthly_chart_json
from .reading import text
from .test_projects import Node, page

OWN = "org-riverside"
OTHER = "org-northvale-council"
LEARNING = "driver-learning"
TOGETHER = "driver-together"
SUPPORTED = "driver-supported"
GONE = "driver-removed-earlier"
AIM = "Every hero feels able to improve care, and patients and carers improve it with them."
FEW = "Fewer than 5 answers this month, so not shown."
THIS_MONTH = "This month so far; it joins the chart when the month is over."
MONTHS = [month_key(n) for n in range(12)]  # April 2025 to March 2026
PULSE = (60.0, 62.5, None, 61.0, 63.0, 60.0, 62.0, 64.0, 61.0, 63.0, 62.0, 63.0)


def impact_measure(key: str, name: str, values: tuple[float | None, ...], *,
                   unit: str = "COUNT", driver: str | None = None, note: str = FEW,
                   chart: bool = True) -> dict[str, Any]:
    """An ImpactMeasure as the projects service gives it: a value (or a note saying why not)
    for each month, the last one this month so far; the chart of the complete months with a
    value (null with fewer than 2); and this month's value so far."""
    complete = values[:-1]
    notes = [None if v is not None else note for v in complete]
    notes.append(THIS_MONTH if values[-1] is not None else note)
    return {
        "key": key, "name": name, "description": f"How {name.lower()} is counted.", "unit": unit,
        "driverId": driver, "latest": values[-1],
        "values": [{"month": m, "value": v, "note": n}
                   for m, v, n in zip(MONTHS, values, notes, strict=True)],
        "chart": (monthly_chart_json(complete)
                  if chart and sum(v is not None for v in complete) >= 2 else None),
    }


def drivers() -> list[dict[str, Any]]:
    return [
        {"id": LEARNING, "text": "Heroes learn improvement together",
         "measureKeys": ["levels_leader", "levels_explorer"]},
        {"id": TOGETHER, "text": "Patients and carers are partners",
         "measureKeys": ["big_i_share"]},
        {"id": SUPPORTED, "text": "Heroes feel supported", "measureKeys": []},
    ]


def impact_json(organisation_id: str | None = OWN, **changes: Any) -> dict[str, Any]:
    measures = [
        impact_measure("heroes_joined_staff", "Staff heroes who joined",
                       (3, 5, 4, 6, 5, 4, 7, 5, 6, 4, 5, 1234)),
        impact_measure("big_i_share", "Active projects with patients or carers on the team",
                       (40, 41, 42, 40, 43, 44, 45, 47, 48, 50, 52, 63), unit="PERCENT",
                       driver=TOGETHER),
        impact_measure("levels_leader", "Heroes who reached Leader",
                       (0, 1, 0, 1, 1, 0, 2, 1, 1, 0, 1, 1),
                       driver=LEARNING),
        impact_measure("levels_explorer", "Heroes who reached Explorer",
                       (4, 6, 5, 7, 6, 5, 8, 6, 7, 5, 6, 2), driver=LEARNING),
        impact_measure("pulse_energised_empowered_share", "Heroes who feel energised and empowered",
                       PULSE, unit="PERCENT", driver=GONE),
        impact_measure("crossing_pairings", "Pairings across organisations",
                       (None,) * 10 + (1, 2), note="No pairings yet."),
    ]
    found = {
        "organisationId": organisation_id,
        "organisation": ({"id": organisation_id, "name": "Riverside Hospitals"}
                         if organisation_id else None),
        "ruleSet": "MDC", "months": MONTHS,
        "diagram": {"aim": AIM, "drivers": drivers()},
        "measures": measures,
        **changes,
    }
    return {"data": {"networkImpact": found}}


def with_organisations(answer: dict[str, Any]) -> dict[str, Any]:
    answer["data"]["organisations"] = {
        "edges": [{"node": {"id": OWN, "name": "Riverside Hospitals"}},
                  {"node": {"id": OTHER, "name": "Northvale Council"}}],
        "pageInfo": {"hasNextPage": False}}
    return answer


def reply(variables: dict[str, Any]) -> dict[str, Any]:
    """The gateway's answer for the variables the page sent (organisations only when asked)."""
    answer = impact_json(variables.get("organisationId"))
    return with_organisations(answer) if variables.get("admin") else answer


def headings(root: Node) -> list[tuple[int, str]]:
    return [(int(node.tag[1]), node.text) for node in root.all()
            if node.tag in ("h1", "h2", "h3", "h4")]


def whose(root: Node) -> list[tuple[str, bool]]:
    """The links of the "whose figures" switch, and which one is current."""
    switches = root.all("nav", **{"aria-label": "Whose figures"})
    if not switches:
        return []
    return [(link.text, link.attrs.get("aria-current") == "page") for link in switches[0].all("a")]


def measure(root: Node, key: str) -> Node:
    return root.one("article", id=f"measure-{key}")


class TestWhoSeesWhat:
    def test_someone_not_signed_in_is_asked_to_sign_in_and_the_api_is_not_asked(
            self, portal: Portal) -> None:
        response = portal.client.get("/impact")

        assert response.status_code == 200
        assert "Sign in to see the network's impact." in text(response.text)
        assert portal.gateway.calls == []

    def test_a_hero_sees_the_whole_network_only(self, portal: Portal) -> None:
        portal.sign_in(organisation_id=OWN, roles=("hero",))
        portal.gateway.answer("NetworkImpact", reply)

        root = page(portal.client.get("/impact?scope=organisation&organisation=" + OTHER))

        [call] = portal.gateway.calls
        assert call.variables == {"organisationId": None, "months": 12, "admin": False}
        assert whose(root) == []
        assert "These are the figures for the whole network" in root.text
        assert root.all("section", id="edit") == []

    def test_a_coordinator_sees_their_organisation_with_a_switch(self, portal: Portal) -> None:
        portal.sign_in(organisation_id=OWN, roles=("coordinator",))
        portal.gateway.answer("NetworkImpact", reply)

        root = page(portal.client.get("/impact"))

        [call] = portal.gateway.calls
        assert call.variables == {"organisationId": OWN, "months": 12, "admin": False}
        assert whose(root) == [("Your organisation", True), ("Whole network", False)]
        links = root.one("nav", **{"aria-label": "Whose figures"}).all("a")
        assert [a.attrs["href"] for a in links] == ["http://testserver/impact?scope=organisation",
                                                    "http://testserver/impact?scope=network"]
        assert "These are the figures for Riverside Hospitals" in root.text
        assert root.all("select", id="impact-organisation") == []
        assert root.all("section", id="edit") == []

    def test_the_switch_shows_a_coordinator_the_whole_network(self, portal: Portal) -> None:
        portal.sign_in(organisation_id=OWN, roles=("coordinator",))
        portal.gateway.answer("NetworkImpact", reply)

        root = page(portal.client.get("/impact?scope=network"))

        assert portal.gateway.calls[0].variables["organisationId"] is None
        assert whose(root) == [("Your organisation", False), ("Whole network", True)]
        assert "These are the figures for the whole network" in root.text

    def test_a_coordinator_cannot_pick_another_organisation(self, portal: Portal) -> None:
        portal.sign_in(organisation_id=OWN, roles=("coordinator",))
        portal.gateway.answer("NetworkImpact", reply)

        portal.client.get(f"/impact?organisation={OTHER}")

        assert portal.gateway.calls[0].variables["organisationId"] == OWN

    def test_a_network_admin_may_pick_any_organisation(self, portal: Portal) -> None:
        portal.sign_in(organisation_id=OWN, roles=("network_admin",))
        portal.gateway.answer("NetworkImpact", reply)

        root = page(portal.client.get(f"/impact?organisation={OTHER}"))

        [call] = portal.gateway.calls
        assert call.variables == {"organisationId": OTHER, "months": 12, "admin": True}
        assert "organisations(first: 100) @include(if: $admin)" in call.query
        assert whose(root) == [("Your organisation", False), ("Whole network", False)]
        picker = root.one("form", class_="impact-pick")
        assert picker.attrs["method"] == "get"
        assert root.one("label", **{"for": "impact-organisation"}).text == (
            "Or see one organisation's figures")
        options = picker.all("option")
        assert [(o.attrs["value"], o.text, "selected" in o.attrs) for o in options] == [
            (OWN, "Riverside Hospitals", False), (OTHER, "Northvale Council", True)]

    def test_the_api_unavailable_gives_a_page_to_try_again(self, portal: Portal) -> None:
        portal.sign_in(organisation_id=OWN, roles=("hero",))
        portal.gateway.answer("NetworkImpact", {"data": None, "errors": [{
            "message": "projects is down", "extensions": {"code": "SUBGRAPH_UNAVAILABLE"}}]})

        response = portal.client.get("/impact")

        assert response.status_code == 503
        assert "The network's impact cannot be shown just now" in text(response.text)
        assert "Try again" in text(response.text)

    def test_a_refusal_is_said_plainly_with_the_way_to_the_whole_network(
            self, portal: Portal) -> None:
        portal.sign_in(organisation_id=OWN, roles=("coordinator",))
        portal.gateway.answer("NetworkImpact", {"data": None, "errors": [{
            "message": "Only this organisation's coordinators may see its figures.",
            "extensions": {"code": "forbidden"}}]})

        root = page(portal.client.get("/impact"))

        assert "Only this organisation's coordinators may see its figures." in root.text
        assert "You can still see the whole network's figures." in root.text


class TestLayout:
    def test_the_aim_comes_first_then_each_driver_with_its_measures_in_order(
            self, portal: Portal) -> None:
        portal.sign_in(organisation_id=OWN, roles=("hero",))
        portal.gateway.answer("NetworkImpact", impact_json(None))

        root = page(portal.client.get("/impact"))

        assert root.one("p", class_="aim-statement").text == AIM
        assert headings(root) == [
            (1, "Network impact"),
            (2, "What the network aims to do"),
            (2, "Heroes learn improvement together"),
            (3, "Heroes who reached Leader"),
            (3, "Heroes who reached Explorer"),
            (2, "Patients and carers are partners"),
            (3, "Active projects with patients or carers on the team"),
            (2, "Heroes feel supported"),
            (2, "Other measures"),
            (3, "Staff heroes who joined"),
            (3, "Heroes who feel energised and empowered"),  # its driver is not in the diagram
            (3, "Pairings across organisations"),
        ]
        supported = root.one("section", id=f"driver-{SUPPORTED}")
        assert "No measure shows how this is going yet." in supported.text

    def test_each_measure_shows_its_description_latest_value_and_chart(
            self, portal: Portal) -> None:
        portal.sign_in(organisation_id=OWN, roles=("hero",))
        portal.gateway.answer("NetworkImpact", impact_json(None))

        root = page(portal.client.get("/impact"))

        leader = measure(root, "levels_leader")
        assert leader.one("p", class_="measure-definition").text == (
            "How heroes who reached leader is counted.")
        assert leader.one("p", class_="impact-latest").text == "March 2026 so far: 1"
        svg = leader.one("svg", class_="spc-chart")
        assert svg.attrs["id"] == "impact-chart-levels_leader"
        assert len(svg.all("circle", class_="spc-point")) == 11  # complete months only
        assert leader.one("p", class_="impact-latest-note").text == THIS_MONTH
        assert [t.text for t in svg.all("text") if t.attrs.get("text-anchor") == "middle"][:2] == [
            "Apr 2025", "Jun 2025"]
        table = leader.one("table")
        assert table.one("caption").text.startswith("Heroes who reached Leader: each value")
        assert [th.text for th in table.one("thead").all("th")][:2] == ["Month", "Value"]
        assert table.one("tbody").all("tr")[0].all("th")[0].text == "Apr 2025"
        # What the signals mean, in plain words: the chart's own summary and its variation icon.
        assert leader.one("figcaption", class_="spc-summary").text
        assert "common cause variation" in leader.one("ul", class_="spc-icons").text
        assert "Blue points are a real improvement" in root.text

    def test_percent_values_read_as_percentages_and_counts_as_numbers(
            self, portal: Portal) -> None:
        portal.sign_in(organisation_id=OWN, roles=("hero",))
        answer = impact_json(None)
        pulse = answer["data"]["networkImpact"]["measures"][4]
        pulse["latest"] = 62.54
        portal.gateway.answer("NetworkImpact", answer)

        root = page(portal.client.get("/impact"))

        share = measure(root, "big_i_share").one("p", class_="impact-latest")
        assert share.text == "March 2026 so far: 63%"
        assert measure(root, "pulse_energised_empowered_share").one(
            "p", class_="impact-latest").text == "March 2026 so far: 62.5%"
        assert measure(root, "heroes_joined_staff").one(
            "p", class_="impact-latest").text == "March 2026 so far: 1,234"
        headings_of_table = measure(root, "big_i_share").one("thead").all("th")
        assert headings_of_table[1].text == "Value (percent)"

    def test_a_pulse_month_with_too_few_answers_shows_its_note_not_a_point(
            self, portal: Portal) -> None:
        portal.sign_in(organisation_id=OWN, roles=("hero",))
        portal.gateway.answer("NetworkImpact", impact_json(None))

        root = page(portal.client.get("/impact"))

        pulse = measure(root, "pulse_energised_empowered_share")
        circles = pulse.one("svg", class_="spc-chart").all("circle", class_="spc-point")
        assert len(circles) == 10
        assert month_key(2) not in [c.attrs["data-point-id"] for c in circles]
        rows = pulse.one("tbody").all("tr")
        [june] = [row for row in rows if row.all("th")[0].text == "Jun 2025"]
        assert [cell.text for cell in june.all("td")] == ["No value", "", "", "", FEW]
        assert f"There is no value for June 2025. {FEW}" in pulse.one("figcaption").text
        assert "March 2026" not in pulse.one("figcaption").text  # this month is not charted yet

    def test_a_latest_month_not_shown_says_why(self, portal: Portal) -> None:
        portal.sign_in(organisation_id=OWN, roles=("hero",))
        answer = impact_json(None)
        pulse = answer["data"]["networkImpact"]["measures"][4]
        pulse["values"][-1] = {"month": MONTHS[-1], "value": None, "note": FEW}
        pulse["latest"] = None
        portal.gateway.answer("NetworkImpact", answer)

        root = page(portal.client.get("/impact"))

        shown = measure(root, "pulse_energised_empowered_share")
        assert shown.one("p", class_="impact-latest").text == "March 2026 so far: not shown."
        assert shown.one("p", class_="impact-latest-note").text == FEW
        assert len(shown.all("tr", class_="spc-row--gap")) == 1  # June; March is not charted

    def test_a_measure_with_too_few_months_has_its_values_but_no_chart(
            self, portal: Portal) -> None:
        portal.sign_in(organisation_id=OWN, roles=("hero",))
        portal.gateway.answer("NetworkImpact", impact_json(None))

        root = page(portal.client.get("/impact"))

        pairings = measure(root, "crossing_pairings")
        assert pairings.all("svg", class_="spc-chart") == []
        assert "Fewer than two months have a value so far, so there is no chart yet." in (
            pairings.text)
        rows = pairings.one("tbody").all("tr")
        assert [cell.text for cell in rows[0].all("td")] == ["No value", "No pairings yet."]
        assert [cell.text for cell in rows[-2].all("td")] == ["1", ""]
        assert [cell.text for cell in rows[-1].all("td")] == ["2", THIS_MONTH]


def admin_page(portal: Portal) -> Node:
    portal.sign_in(organisation_id=OWN, roles=("network_admin",))
    portal.gateway.answer("NetworkImpact", reply)
    return page(portal.client.get("/impact"))


def diagram_payload(field_name: str) -> dict[str, Any]:
    return {"data": {field_name: {"diagram": {"aim": AIM, "drivers": drivers()}}}}


EDITS = [
    pytest.param("/impact/aim", {"text": "  A braver aim.  "}, "SetNetworkAim", "setNetworkAim",
                 {"text": "A braver aim."}, "aim", id="set-aim"),
    pytest.param("/impact/drivers", {"text": "Heroes are thanked"}, "AddNetworkDriver",
                 "addNetworkDriver", {"text": "Heroes are thanked"}, "edit", id="add-driver"),
    pytest.param(f"/impact/drivers/{LEARNING}", {"text": "Heroes learn and teach"},
                 "UpdateNetworkDriver", "updateNetworkDriver",
                 {"driverId": LEARNING, "text": "Heroes learn and teach"}, "edit",
                 id="update-driver"),
    pytest.param(f"/impact/drivers/{SUPPORTED}/remove", {}, "RemoveNetworkDriver",
                 "removeNetworkDriver", {"driverId": SUPPORTED}, "edit", id="remove-driver"),
    pytest.param("/impact/measures", {"measure": "crossing_pairings", "driver": SUPPORTED},
                 "AttachImpactMeasure", "attachImpactMeasure",
                 {"measureKey": "crossing_pairings", "driverId": SUPPORTED}, "edit",
                 id="attach-measure"),
    pytest.param("/impact/measures", {"measure": "crossing_pairings", "driver": ""},
                 "AttachImpactMeasure", "attachImpactMeasure",
                 {"measureKey": "crossing_pairings", "driverId": None}, "edit",
                 id="detach-measure"),
]


class TestEditing:
    def test_only_network_admins_see_the_edit_forms(self, portal: Portal) -> None:
        root = admin_page(portal)

        edit = root.one("section", id="edit")
        assert edit.one("h2").text == "Edit the aim and drivers"
        forms = edit.all("form")
        assert [f.attrs["action"] for f in forms] == [
            "http://testserver/impact/aim?scope=organisation",
            f"http://testserver/impact/drivers/{LEARNING}?scope=organisation",
            f"http://testserver/impact/drivers/{LEARNING}/remove?scope=organisation",
            f"http://testserver/impact/drivers/{TOGETHER}?scope=organisation",
            f"http://testserver/impact/drivers/{TOGETHER}/remove?scope=organisation",
            f"http://testserver/impact/drivers/{SUPPORTED}?scope=organisation",
            f"http://testserver/impact/drivers/{SUPPORTED}/remove?scope=organisation",
            "http://testserver/impact/drivers?scope=organisation",
            "http://testserver/impact/measures?scope=organisation",
        ]
        for form in forms:
            assert form.attrs["method"] == "post"
            assert form.one("input", name="csrf_token").attrs["value"] == "test-csrf-token"
        assert edit.one("textarea", id="aim-text").text == AIM
        assert edit.one("input", id=f"driver-{LEARNING}-text").attrs["value"] == (
            "Heroes learn improvement together")
        for label in edit.all("label"):  # every control has its label
            assert edit.all(id=label.attrs["for"])
        drivers_choice = edit.one("select", id="attach-driver").all("option")
        assert [o.text for o in drivers_choice] == [
            "None: show it under Other measures", "Heroes learn improvement together",
            "Patients and carers are partners", "Heroes feel supported"]
        assert edit.all("details", open="") == []  # closed until asked for

    @pytest.mark.parametrize(("path", "data", "operation", "field_name", "expected", "anchor"),
                             EDITS)
    def test_each_form_sends_its_mutation_and_comes_back_to_the_page(
            self, portal: Portal, path: str, data: dict[str, str], operation: str,
            field_name: str, expected: dict[str, Any], anchor: str) -> None:
        portal.sign_in(organisation_id=OWN, roles=("network_admin",))
        portal.gateway.answer(operation, diagram_payload(field_name))

        response = portal.post(f"{path}?scope=network", data)

        [call] = portal.gateway.calls
        assert call.operation == operation
        assert call.query.lstrip().startswith(f"mutation {operation}(")
        assert call.variables == {"input": expected}
        assert response.status_code == 303
        assert response.headers["location"] == f"http://testserver/impact?scope=network#{anchor}"

    def test_a_picked_organisation_is_kept_after_a_change(self, portal: Portal) -> None:
        portal.sign_in(organisation_id=OWN, roles=("network_admin",))
        portal.gateway.answer("SetNetworkAim", diagram_payload("setNetworkAim"))

        response = portal.post(f"/impact/aim?organisation={OTHER}", {"text": "An aim."})

        assert response.headers["location"] == (
            f"http://testserver/impact?organisation={OTHER}#aim")

    def test_an_empty_aim_is_not_sent_and_the_form_says_why(self, portal: Portal) -> None:
        portal.sign_in(organisation_id=OWN, roles=("network_admin",))
        portal.gateway.answer("NetworkImpact", reply)

        response = portal.post("/impact/aim", {"text": "   "})

        assert response.status_code == 422
        assert [c.operation for c in portal.gateway.calls] == ["NetworkImpact"]
        root = page(response)
        form = root.one("details", id="edit-aim")
        assert "open" in form.attrs
        assert form.one("p", class_="field-problem").text == "Please write the network's aim."
        assert form.one("textarea").attrs["aria-invalid"] == "true"

    def test_the_apis_refusal_is_shown_in_plain_words_by_its_field(self, portal: Portal) -> None:
        portal.sign_in(organisation_id=OWN, roles=("network_admin",))
        portal.gateway.answer("NetworkImpact", reply)
        portal.gateway.answer("AddNetworkDriver", {"data": None, "errors": [{
            "message": "Write between 3 and 300 characters.",
            "extensions": {"code": "invalid_input", "field": "text"}}]})

        response = portal.post("/impact/drivers", {"text": "x" * 400})

        assert response.status_code == 422
        assert [c.operation for c in portal.gateway.calls] == ["AddNetworkDriver", "NetworkImpact"]
        form = page(response).one("details", id="edit-new-driver")
        assert "open" in form.attrs
        assert form.one("p", class_="field-problem").text == "Write between 3 and 300 characters."
        assert form.one("input", name="text").attrs["value"] == "x" * 400

    @pytest.mark.parametrize(("code", "said"), [
        ("forbidden", "Only network administrators can change the network's aim and drivers."),
        ("not_found", "That driver or measure is no longer there: someone may have changed the "
                      "diagram just now. Please reload the page to see it as it is, then try "
                      "again."),
    ])
    def test_codes_without_a_field_are_said_in_plain_words_at_the_form(
            self, portal: Portal, code: str, said: str) -> None:
        portal.sign_in(organisation_id=OWN, roles=("network_admin",))
        portal.gateway.answer("NetworkImpact", reply)
        portal.gateway.answer("RemoveNetworkDriver", {"data": None, "errors": [{
            "message": "developer words", "extensions": {"code": code}}]})

        response = portal.post(f"/impact/drivers/{SUPPORTED}/remove")

        details = page(response).one("details", id=f"edit-driver-{SUPPORTED}")
        assert "open" in details.attrs
        assert details.one("div", class_="problems").text == said
        assert "developer words" not in response.text

    def test_someone_who_is_not_a_network_admin_cannot_change_the_diagram(
            self, portal: Portal) -> None:
        portal.sign_in(organisation_id=OWN, roles=("coordinator",))

        response = portal.post("/impact/aim", {"text": "Our aim now."})

        assert response.status_code == 403
        assert "Only network administrators can change the network's aim and drivers." in (
            text(response.text))
        assert portal.gateway.calls == []

    def test_a_change_without_the_forms_token_is_refused(self, portal: Portal) -> None:
        portal.sign_in(organisation_id=OWN, roles=("network_admin",))

        response = portal.client.post("/impact/aim", data={"text": "Our aim now."})

        assert response.status_code == 403
        assert portal.gateway.calls == []


SERVICES = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("name", ["PAGE", "SET_AIM", "ADD_DRIVER", "UPDATE_DRIVER",
                                  "REMOVE_DRIVER", "ATTACH_MEASURE"])
def test_each_operation_asks_only_for_what_the_public_contract_has(name: str) -> None:
    """Checked against the gateway's API schema composed from the subgraphs' checked-in SDL."""
    sdls = {service: (SERVICES / service / f"{service}.graphql").read_text()
            for service in ("membership", "projects", "recognition")}
    api = compose(sdls, {service: f"http://{service}.test/graphql" for service in sdls}).api_schema

    assert validate(api, parse(getattr(queries, name))) == []
