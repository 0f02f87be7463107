"""Changing who is on a project and where it is: adding someone to the team (its own page,
listing the people of your organisation), moving the project to another stage and choosing what
to measure (forms on the project page). The gateway is the FakeGateway of conftest.py."""

from __future__ import annotations

from typing import Any

from .test_projects import LEAD_ID, PARTNER_ID, PROJECT_ID, page, project_json

ORG = "0b0b0000-0000-4000-8000-000000000001"
ALEX = "0b0b0000-0000-4000-8000-0000000000a1"
JO = "0b0b0000-0000-4000-8000-0000000000a2"


def choices(*, can_change: bool = True, more: bool = False) -> dict[str, Any]:
    return {"data": {
        "project": {"id": PROJECT_ID, "title": "Fewer falls at night", "canChange": can_change,
                    "team": [{"role": "LEAD", "member": {"id": LEAD_ID}},
                             {"role": "SERVICE_USER_PARTNER", "member": {"id": PARTNER_ID}},
                             {"role": "MEMBER", "member": None}]},
        "members": {"edges": [
            {"node": {"id": ALEX, "displayName": "Alex Rivers", "memberType": "SERVICE_USER"}},
            {"node": {"id": LEAD_ID, "displayName": "Sam Nurse", "memberType": "STAFF_CLINICAL"}},
            {"node": {"id": JO, "displayName": "Jo Porter", "memberType": "STAFF_NON_CLINICAL"}},
        ], "pageInfo": {"hasNextPage": more}},
    }}


class TestAddSomeoneToTheTeam:
    def test_the_project_page_links_to_it_for_people_who_may_change_the_project(
            self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID)
        portal.gateway.answer("ProjectPage", {"data": {"project": project_json()}})

        shown = page(portal.client.get(f"/projects/{PROJECT_ID}"))

        link = shown.one("section", id="team").one("a", class_="button")
        assert link.text == "Add someone to the team"
        assert link.attrs["href"] == f"http://testserver/projects/{PROJECT_ID}/team/add"

    def test_no_link_for_people_who_may_not(self, portal: Any) -> None:
        portal.sign_in()
        portal.gateway.answer("ProjectPage", {"data": {"project": project_json(can_change=False)}})

        shown = page(portal.client.get(f"/projects/{PROJECT_ID}"))

        assert shown.one("section", id="team").all("a", class_="button") == []

    def test_lists_the_organisation_s_people_not_yet_on_the_team_in_one_request(
            self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID, organisation_id=ORG)
        portal.gateway.answer("TeamChoices", choices())

        response = portal.client.get(f"/projects/{PROJECT_ID}/team/add")

        assert response.status_code == 200
        [call] = portal.gateway.calls
        assert call.operation == "TeamChoices"
        assert call.variables == {"id": PROJECT_ID, "organisationId": ORG, "first": 100}
        shown = page(response)
        options = shown.one("select", id="team-member").all("option")
        assert [(o.attrs["value"], o.text) for o in options] == [
            ("", "Choose a person"),
            (ALEX, "Alex Rivers (service user)"),
            (JO, "Jo Porter"),
        ]
        radios = shown.all("input", type="radio")
        assert [r.attrs["value"] for r in radios] == [
            "LEAD", "MEMBER", "SERVICE_USER_PARTNER", "SPONSOR", "COACH"]
        assert [r.attrs["value"] for r in radios if "checked" in r.attrs] == ["MEMBER"]
        assert "Only the first 100 people are listed." not in response.text

    def test_says_when_not_everyone_is_listed(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID, organisation_id=ORG)
        portal.gateway.answer("TeamChoices", choices(more=True))

        response = portal.client.get(f"/projects/{PROJECT_ID}/team/add")

        assert "Only the first 100 people are listed." in response.text

    def test_someone_who_may_not_change_the_team_is_told_so(self, portal: Any) -> None:
        portal.sign_in(organisation_id=ORG)
        portal.gateway.answer("TeamChoices", choices(can_change=False))

        response = portal.client.get(f"/projects/{PROJECT_ID}/team/add")

        assert response.status_code == 403
        assert "Only the project team and your organisation's coordinators" in response.text
        assert page(response).all("form", class_="change-form") == []

    def test_adding_sends_the_person_and_role_then_goes_back_to_the_team(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID, organisation_id=ORG)
        portal.gateway.answer("AddTeamMember", {"data": {"addTeamMember": {
            "teamMember": {"id": "t9", "role": "SERVICE_USER_PARTNER"}}}})

        response = portal.post(f"/projects/{PROJECT_ID}/team",
                               {"member": ALEX, "role": "SERVICE_USER_PARTNER"})

        assert response.status_code == 303
        assert response.headers["location"] == f"http://testserver/projects/{PROJECT_ID}#team"
        [call] = portal.gateway.calls
        assert call.variables == {"input": {
            "projectId": PROJECT_ID, "memberId": ALEX, "role": "SERVICE_USER_PARTNER"}}

    def test_no_one_chosen_is_explained_next_to_the_list_without_asking_the_api(
            self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID, organisation_id=ORG)
        portal.gateway.answer("TeamChoices", choices())

        response = portal.post(f"/projects/{PROJECT_ID}/team", {"member": "", "role": "MEMBER"})

        assert response.status_code == 422
        assert [c.operation for c in portal.gateway.calls] == ["TeamChoices"]
        shown = page(response)
        assert shown.one("p", id="team-member-problem").text == (
            "Please choose who is joining the team.")
        assert shown.one("select", id="team-member").attrs["aria-invalid"] == "true"

    def test_the_api_s_objection_goes_next_to_what_it_is_about(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID, organisation_id=ORG)
        portal.gateway.answer("AddTeamMember", {"data": None, "errors": [{
            "message": "That person is already on the team.",
            "extensions": {"code": "already_on_team", "field": "memberId"}}]})
        portal.gateway.answer("TeamChoices", choices())

        response = portal.post(f"/projects/{PROJECT_ID}/team", {"member": JO, "role": "COACH"})

        assert response.status_code == 422
        shown = page(response)
        assert shown.one("p", id="team-member-problem").text == "That person is already on the team."
        chosen = [o.attrs["value"] for o in shown.one("select", id="team-member").all("option")
                  if "selected" in o.attrs]
        assert chosen == [JO]
        assert [r.attrs["value"] for r in shown.all("input", type="radio") if "checked" in r.attrs] == [
            "COACH"]

    def test_needs_the_form_s_token(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID)

        response = portal.client.post(f"/projects/{PROJECT_ID}/team",
                                      data={"member": ALEX, "role": "MEMBER"})

        assert response.status_code == 403
        assert portal.gateway.calls == []


class TestMoveStage:
    def test_offers_only_the_moves_the_api_allows(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID)
        project = project_json() | {"allowedNextStages": ["IMPLEMENTING", "ABANDONED"]}
        portal.gateway.answer("ProjectPage", {"data": {"project": project}})

        shown = page(portal.client.get(f"/projects/{PROJECT_ID}"))

        options = shown.one("select", id="move-stage-stage").all("option")
        assert [o.attrs["value"] for o in options] == ["", "IMPLEMENTING", "ABANDONED"]
        assert options[1].text == ("Implementing: making the changes that worked part of everyday "
                                   "work")

    def test_no_form_when_there_is_nowhere_to_go(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID)
        project = project_json() | {"allowedNextStages": []}
        portal.gateway.answer("ProjectPage", {"data": {"project": project}})

        shown = page(portal.client.get(f"/projects/{PROJECT_ID}"))

        assert shown.all("details", id="move-stage") == []

    def test_moving_sends_the_stage(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID)
        portal.gateway.answer("AdvanceStage", {"data": {"advanceStage": {
            "project": {"id": PROJECT_ID, "stage": "IMPLEMENTING"}}}})

        response = portal.post(f"/projects/{PROJECT_ID}/stage", {"stage": "IMPLEMENTING"})

        assert response.headers["location"] == f"http://testserver/projects/{PROJECT_ID}#stage"
        assert portal.gateway.calls[0].variables == {
            "input": {"projectId": PROJECT_ID, "toStage": "IMPLEMENTING"}}

    def test_the_api_s_refusal_is_shown_in_the_open_form(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID)
        refusal = ("Before testing changes, write the aim in full: what will improve, by how much, "
                   "and by when.")
        portal.gateway.answer("AdvanceStage", {"data": None, "errors": [{
            "message": refusal, "extensions": {"code": "aim_needed", "field": "aim"}}]})
        project = project_json() | {"allowedNextStages": ["TESTING"]}
        portal.gateway.answer("ProjectPage", {"data": {"project": project}})

        response = portal.post(f"/projects/{PROJECT_ID}/stage", {"stage": "TESTING"})

        assert response.status_code == 422
        form = page(response).one("details", id="move-stage")
        assert "open" in form.attrs
        assert form.one("div", class_="problems").text == refusal


class TestChooseAMeasure:
    def test_sends_the_measure_and_goes_back_to_the_measures(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID)
        portal.gateway.answer("DefineMeasure", {"data": {"defineMeasure": {"measure": {"id": "m2"}}}})

        response = portal.post(f"/projects/{PROJECT_ID}/measures", {
            "name": " Falls at night ", "definition": "Falls between 10pm and 6am.",
            "kind": "OUTCOME", "unit": "falls", "direction": "DOWN", "target": "2"})

        assert response.headers["location"] == f"http://testserver/projects/{PROJECT_ID}#measures"
        assert portal.gateway.calls[0].variables == {"input": {
            "projectId": PROJECT_ID, "name": "Falls at night", "unit": "falls",
            "definition": "Falls between 10pm and 6am.", "kind": "OUTCOME",
            "improvementDirection": "DOWN", "target": 2.0}}

    def test_what_is_missing_is_said_next_to_each_field(self, portal: Any) -> None:
        portal.sign_in(member_id=LEAD_ID)
        portal.gateway.answer("ProjectPage", {"data": {"project": project_json()}})

        response = portal.post(f"/projects/{PROJECT_ID}/measures", {
            "name": "", "unit": "", "kind": "", "direction": "UP", "target": "lots"})

        assert response.status_code == 422
        assert [c.operation for c in portal.gateway.calls] == ["ProjectPage"]
        form = page(response).one("details", id="new-measure")
        assert "open" in form.attrs
        problems = {p.attrs["id"]: p.text for p in form.all("p", class_="field-problem")}
        assert problems == {
            "new-measure-name-problem": "Please give the measure a short name.",
            "new-measure-kind-problem": "Please choose what kind of measure it is.",
            "new-measure-unit-problem": ("Please say what it is counted in, for example falls or "
                                         "days."),
            "new-measure-target-problem": "Please write the target as a number, like 12 or 3.5.",
        }
        assert form.one("input", id="new-measure-target").attrs["value"] == "lots"
