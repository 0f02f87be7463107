"""Coordinator pages: who may see them, what they ask the gateway, and what they show."""

from __future__ import annotations

import json
import re
from base64 import b64decode
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from portal.pages.coordinator import pulse_summary, recent_months

from ..conftest import Portal
from .reading import text

ORG = "org-riverside"
OTHER_ORG = "org-hillside"
MEMBER = "member-ana"
CODE = "K7QF-29XD-MPLA"
HTMX = {"HX-Request": "true", "X-CSRF-Token": "test-csrf-token"}


def app_of(portal: Portal) -> FastAPI:
    app = portal.client.app
    assert isinstance(app, FastAPI)
    return app


def element(html: str, element_id: str) -> str:
    """The element with this id, tag and all (enough for the flat elements checked here)."""
    found = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', html,
                      flags=re.S)
    assert found, f"no element with id {element_id}"
    return found.group(0)


def part(html: str, opening: str, closing: str) -> str:
    """The words from an opening tag to its closing tag."""
    found = re.search(re.escape(opening) + ".*?" + re.escape(closing), html, flags=re.S)
    assert found, f"nothing like {opening}"
    return text(found.group(0))


def coordinator(portal: Portal, roles: tuple[str, ...] = ("hero", "coordinator")) -> str:
    return portal.sign_in(organisation_id=ORG, roles=roles, name="Cora Coordinator")


def operations(portal: Portal) -> list[str]:
    return [call.operation for call in portal.gateway.calls]


def session_of(portal: Portal) -> dict[str, Any]:
    """The session cookie's contents (signed, not encrypted)."""
    payload = (portal.client.cookies.get("heroes_portal") or "").split(".")[0]
    return dict(json.loads(b64decode(payload + "=" * (-len(payload) % 4))))


def problem(message: str, field: str | None = None, code: str = "invalid_input") -> dict[str, Any]:
    extensions: dict[str, Any] = {"code": code}
    if field:
        extensions["field"] = field
    return {"message": message, "extensions": extensions}


def dashboard_answer(statuses: list[str], waiting: int, more: bool = False) -> dict[str, Any]:
    members = [{"node": {"id": f"m{i}", "status": status}} for i, status in enumerate(statuses)]
    return {"data": {
        "organisation": {"id": ORG, "name": "Riverside Hospitals",
                         "members": {"edges": members, "pageInfo": {"hasNextPage": more}}},
        "nominationsToDecide": {"edges": [{"node": {"id": f"n{i}"}} for i in range(waiting)],
                                "pageInfo": {"hasNextPage": False}}}}


def invited(variables: dict[str, Any]) -> dict[str, Any]:
    given = variables["input"]
    return {"data": {"inviteMember": {"inviteCode": CODE, "member": {
        "id": "new-member", "displayName": given["displayName"],
        "memberType": given["memberType"], "networkRole": given["networkRole"],
        "organisation": {"id": ORG, "name": "Riverside Hospitals"}}}}}


def nomination(status: str = "PENDING", **changes: Any) -> dict[str, Any]:
    return {"id": "nom-1", "awardName": "Co-production champion", "status": status,
            "submittedAt": "2026-03-02T10:00:00Z", "decidedAt": None,
            "reason": "Ana made sure patients' voices shaped every change.", "decisionNote": None,
            "member": {"id": "member-ana", "displayName": "Ana Carer"}, "project": None,
            "nominatedBy": {"id": "member-sam", "displayName": "Sam Nurse"}, **changes}


def queue(*items: dict[str, Any]) -> dict[str, Any]:
    return {"data": {"nominationsToDecide": {"edges": [{"node": item} for item in items],
                                             "pageInfo": {"hasNextPage": False}}}}


def decided(status: str, **changes: Any) -> dict[str, Any]:
    return {"data": {"decideNomination": {"nomination": nomination(status, **changes)}}}


def member(**changes: Any) -> dict[str, Any]:
    return {"id": MEMBER, "displayName": "Ana Carer", "email": "ana@example.org",
            "memberType": "CARER", "networkRole": "HERO", "status": "ACTIVE", **changes}


def members_answer(*people: dict[str, Any], cursor: str | None = None) -> dict[str, Any]:
    return {"data": {"members": {"edges": [{"node": p} for p in people],
                                 "pageInfo": {"hasNextPage": cursor is not None,
                                              "endCursor": cursor}}}}


def erase_check(**changes: Any) -> dict[str, Any]:
    return {"data": {"member": {"id": MEMBER, "displayName": "Ana Carer", "status": "ACTIVE",
                                "organisation": {"id": ORG}, **changes}}}


PAGES: dict[str, tuple[str | None, dict[str, Any] | None]] = {  # a page, the gateway's answer
    "/coordinator": ("CoordinatorDashboard", dashboard_answer(["ACTIVE"], 1)),
    "/coordinator/invite": (None, None),
    "/coordinator/nominations": ("NominationQueue", queue(nomination())),
    "/coordinator/pulse": ("PulseResults", {"data": {"pulseStatements": ["I feel energised."],
                                                     "pulseResults": []}}),
    "/coordinator/members": ("CoordinatorMembers", members_answer(member())),
    f"/coordinator/members/{MEMBER}/erase": ("EraseCheck", erase_check()),
}
FORMS = [("/coordinator/invite", {"displayName": "Ana", "email": "ana@example.org",
                                  "memberType": "CARER"}),
         ("/coordinator/nominations/nom-1/decide", {"decision": "GRANT"}),
         (f"/coordinator/members/{MEMBER}/erase", {"understood": "yes"})]


class TestWhoMaySee:
    @pytest.mark.parametrize("path", list(PAGES))
    def test_heroes_get_a_plain_page_for_coordinators(self, portal: Portal, path: str) -> None:
        portal.sign_in(organisation_id=ORG, roles=("hero",))

        response = portal.client.get(path)

        assert response.status_code == 403
        assert "<h1>This page is for coordinators</h1>" in response.text
        assert portal.gateway.calls == []

    @pytest.mark.parametrize(("path", "form"), FORMS)
    def test_heroes_cannot_post_coordinator_forms(self, portal: Portal, path: str,
                                                  form: dict[str, str]) -> None:
        portal.sign_in(organisation_id=ORG, roles=("hero", "sponsor"))

        response = portal.post(path, form)

        assert response.status_code == 403
        assert "This page is for coordinators" in response.text
        assert portal.gateway.calls == []

    def test_people_not_signed_in_are_sent_to_sign_in(self, portal: Portal) -> None:
        response = portal.client.get("/coordinator/pulse")

        assert response.status_code == 303
        assert response.headers["location"].endswith("?next=/coordinator/pulse")

    def test_a_sign_in_without_an_organisation_is_refused(self, portal: Portal) -> None:
        portal.sign_in(roles=("hero", "coordinator"))  # the session names no organisation

        response = portal.client.get("/coordinator/invite")

        assert response.status_code == 403
        assert "does not say which organisation you coordinate" in text(response.text)

    def test_network_administrators_may_use_the_pages(self, portal: Portal) -> None:
        coordinator(portal, roles=("network_admin",))

        response = portal.client.get("/coordinator/invite")

        assert response.status_code == 200
        assert "Network administrator" in text(response.text)

    @pytest.mark.parametrize(("path", "form"), FORMS)
    def test_forms_without_the_csrf_token_are_refused(self, portal: Portal, path: str,
                                                      form: dict[str, str]) -> None:
        coordinator(portal)

        response = portal.client.post(path, data=form)

        assert response.status_code == 403
        assert "This form has expired" in text(response.text)
        assert portal.gateway.calls == []


class TestEveryPage:
    @pytest.mark.parametrize("path", list(PAGES))
    def test_asks_the_gateway_once_at_most(self, portal: Portal, path: str) -> None:
        coordinator(portal)
        operation, answer = PAGES[path]
        if operation and answer:
            portal.gateway.answer(operation, answer)

        response = portal.client.get(path)

        assert response.status_code == 200
        assert operations(portal) == ([operation] if operation else [])

    @pytest.mark.parametrize("path", list(PAGES))
    def test_has_one_heading_and_nothing_inline(self, portal: Portal, path: str) -> None:
        coordinator(portal)
        operation, answer = PAGES[path]
        if operation and answer:
            portal.gateway.answer(operation, answer)

        page = portal.client.get(path).text

        assert page.count("<h1") == 1
        assert " style=" not in page
        assert "<script>" not in page
        assert not re.search(r"\son[a-z]+=", page)


class TestDashboard:
    def test_shows_counts_from_one_request(self, portal: Portal) -> None:
        coordinator(portal)
        statuses = ["ACTIVE"] * 7 + ["PAUSED", "INVITED", "INVITED", "ERASED", "LEFT"]
        portal.gateway.answer("CoordinatorDashboard", dashboard_answer(statuses, 2))

        response = portal.client.get("/coordinator")

        words = text(response.text)
        assert "8 members, and 2 people invited who have not joined yet." in words
        assert "2 nominations waiting for your decision." in words
        assert portal.gateway.calls[0].variables == {"organisationId": ORG}
        for task in ("invite", "nominations", "pulse", "members"):
            assert f'href="http://testserver/coordinator/{task}"' in response.text

    def test_says_at_least_when_the_list_goes_on_and_what_is_missing(self, portal: Portal) -> None:
        coordinator(portal)
        answer = dashboard_answer(["ACTIVE"] * 100, 0, more=True)
        answer["data"]["nominationsToDecide"] = None
        answer["errors"] = [problem("recognition is down", code="SUBGRAPH_UNAVAILABLE")]
        portal.gateway.answer("CoordinatorDashboard", answer)

        words = text(portal.client.get("/coordinator").text)

        assert "At least 100 members." in words
        assert "We could not count the nominations just now." in words
        assert "Part of the network is not answering just now" in words
        assert "SUBGRAPH_UNAVAILABLE" not in words


INVITE_FORM = {"displayName": "Ana Carer", "email": "ana@example.org", "memberType": "CARER",
               "networkRole": "HERO"}


class TestInvite:
    def test_the_form_offers_member_types_and_roles_in_plain_words(self, portal: Portal) -> None:
        coordinator(portal)

        words = text(portal.client.get("/coordinator/invite").text)

        for label in ("Staff in a clinical role", "Someone who uses services", "A carer",
                      "A community partner", "Hero", "Coordinator", "Sponsor"):
            assert label in words
        assert "SERVICE_USER" not in words
        assert "Network administrator" not in words  # only administrators make administrators

    def test_sends_the_invitation_for_the_coordinators_own_organisation(self,
                                                                        portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("InviteMember", invited)

        portal.post("/coordinator/invite", {**INVITE_FORM, "organisationId": OTHER_ORG})

        [call] = portal.gateway.calls
        assert call.operation == "InviteMember"
        assert call.variables == {"input": {
            "organisationId": ORG, "displayName": "Ana Carer", "email": "ana@example.org",
            "memberType": "CARER", "networkRole": "HERO"}}

    def test_shows_the_code_once_with_a_printable_invitation(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("InviteMember", invited)

        response = portal.post("/coordinator/invite", INVITE_FORM)

        assert response.status_code == 200
        words = text(response.text)
        assert "This code is shown only once." in words
        assert "it cannot be shown again after you leave this page" in words
        invitation = part(response.text, '<section class="printable invitation"', "</section>")
        join = app_of(portal).url_path_for("join")
        assert "You are invited to join the MAC Heroes Network" in invitation
        assert "Dear Ana Carer," in invitation
        assert "join the MAC Heroes Network, with Riverside Hospitals." in invitation
        assert f"go to: http://testserver{join}" in invitation
        assert f"Type in this code: {CODE}" in invitation
        assert response.headers["cache-control"] == "no-store"

    def test_keeps_the_code_out_of_the_session_and_every_url(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("InviteMember", invited)

        response = portal.post("/coordinator/invite", INVITE_FORM)

        assert "location" not in response.headers
        assert CODE not in response.headers.get("set-cookie", "")
        session = session_of(portal)
        assert "people" in session  # the cookie was read
        assert CODE not in json.dumps(session)
        urls = re.findall(r'(?:href|src|action|hx-[a-z]+)="([^"]*)"', response.text)
        assert urls
        assert [url for url in urls if CODE in url] == []

    def test_puts_the_apis_problems_next_to_the_fields(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("InviteMember", {"data": None, "errors": [
            problem("Someone in the network already uses this email address.", "email")]})

        response = portal.post("/coordinator/invite", INVITE_FORM)

        assert response.status_code == 422
        assert "Someone in the network already uses this email address." in element(
            response.text, "email-problem")
        assert re.search(r'id="email"[^>]*aria-describedby="email-hint email-problem"',
                         response.text)
        assert 'value="Ana Carer"' in response.text  # what was typed stays
        assert "invalid_input" not in response.text

    def test_problems_not_about_a_field_go_at_the_top(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("InviteMember", {"data": None, "errors": [
            problem("Only coordinators of this organisation can invite people.",
                    code="not_allowed")]})

        response = portal.post("/coordinator/invite", INVITE_FORM)

        assert response.status_code == 422
        top = part(response.text, '<div class="problems" role="alert">', "</div>")
        assert "Only coordinators of this organisation can invite people." in top

    def test_missing_answers_are_named_without_asking_the_api(self, portal: Portal) -> None:
        coordinator(portal)

        response = portal.post("/coordinator/invite", {"displayName": " ", "email": "ana"})

        assert response.status_code == 422
        page = response.text
        assert "Please enter the name they would like to be known by." in element(
            page, "displayName-problem")
        assert "Please enter an email address like name@example.org." in element(
            page, "email-problem")
        assert "Please choose how they will take part." in element(page, "memberType-problem")
        assert portal.gateway.calls == []

    def test_coordinators_cannot_make_network_administrators(self, portal: Portal) -> None:
        coordinator(portal)

        response = portal.post("/coordinator/invite",
                               {**INVITE_FORM, "networkRole": "NETWORK_ADMIN"})

        assert "Please choose one of the roles shown." in element(response.text,
                                                                 "networkRole-problem")
        assert portal.gateway.calls == []


class TestNominations:
    def test_lists_waiting_nominations_with_decide_buttons(self, portal: Portal) -> None:
        coordinator(portal)
        team = nomination(id="nom-2", awardName="Team of the year", member=None,
                          project={"id": "p1", "title": "Fewer falls"}, nominatedBy=None)
        portal.gateway.answer("NominationQueue", queue(nomination(), team))

        response = portal.client.get("/coordinator/nominations")

        page = response.text
        words = text(page)
        assert "Co-production champion" in words
        assert "For Ana Carer, nominated by Sam Nurse on 2 March 2026." in words
        assert "Ana made sure patients' voices shaped every change." in words
        assert "For the team of Fewer falls, nominated by someone in the network" in words
        assert page.count('name="decision" value="GRANT"') == 2
        assert page.count('name="decision" value="DECLINE"') == 2
        assert 'action="http://testserver/coordinator/nominations/nom-1/decide"' in page
        assert 'hx-target="#nomination-nom-1" hx-swap="outerHTML"' in page
        assert operations(portal) == ["NominationQueue"]

    def test_says_plainly_when_nothing_is_waiting(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("NominationQueue", queue())

        words = text(portal.client.get("/coordinator/nominations").text)

        assert "No nominations are waiting for a decision." in words

    def test_granting_without_javascript_redirects_to_the_queue(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("DecideNomination", decided("GRANTED", decisionNote="Well deserved"))

        response = portal.post("/coordinator/nominations/nom-1/decide",
                               {"decision": "GRANT", "note": " Well deserved "})

        assert response.status_code == 303
        assert response.headers["location"] == (
            "http://testserver/coordinator/nominations?decided=granted")
        [call] = portal.gateway.calls
        assert call.operation == "DecideNomination"
        assert call.variables == {"input": {"nominationId": "nom-1", "decision": "GRANT",
                                            "note": "Well deserved"}}
        portal.gateway.answer("NominationQueue", queue())
        after = text(portal.client.get(response.headers["location"]).text)
        assert "Award granted. It now shows on the celebration wall." in after

    def test_declining_without_a_note_sends_no_note(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("DecideNomination", decided("DECLINED"))

        response = portal.post("/coordinator/nominations/nom-1/decide",
                               {"decision": "DECLINE", "note": ""})

        assert response.headers["location"].endswith("?decided=declined")
        assert portal.gateway.calls[0].variables["input"] == {
            "nominationId": "nom-1", "decision": "DECLINE", "note": None}

    def test_htmx_gets_just_the_decided_item(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("DecideNomination", decided(
            "GRANTED", decidedAt="2026-03-04T09:00:00Z", decisionNote="Well deserved"))

        response = portal.client.post("/coordinator/nominations/nom-1/decide",
                                      data={"decision": "GRANT"}, headers=HTMX)

        assert response.status_code == 200
        assert response.text.lstrip().startswith(
            '<li class="nomination nomination-granted" id="nomination-nom-1">')
        assert "<html" not in response.text
        words = text(response.text)
        assert "Granted on 4 March 2026. It now shows on the celebration wall." in words
        assert "Your note: Well deserved" in words
        assert operations(portal) == ["DecideNomination"]

    def test_a_refusal_is_shown_next_to_its_nomination(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("DecideNomination", {"data": None, "errors": [
            problem("A note can have at most 500 characters.", "note")]})
        portal.gateway.answer("NominationQueue", queue(nomination(), nomination(id="nom-2")))

        response = portal.post("/coordinator/nominations/nom-1/decide",
                               {"decision": "GRANT", "note": "Lovely"})

        assert response.status_code == 422
        assert "A note can have at most 500 characters." in element(
            response.text, "nomination-nom-1-problem")
        assert ('aria-describedby="note-nom-1-hint nomination-nom-1-problem">Lovely</textarea>'
                in response.text)
        assert "nomination-nom-2-problem" not in response.text
        assert operations(portal) == ["DecideNomination", "NominationQueue"]

    def test_htmx_gets_the_refusal_in_place(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("DecideNomination", {"data": None, "errors": [
            problem("This nomination has already been decided.", code="already_decided")]})
        portal.gateway.answer("NominationQueue", queue())

        response = portal.client.post("/coordinator/nominations/nom-1/decide",
                                      data={"decision": "GRANT"}, headers=HTMX)

        assert response.status_code == 200
        assert response.text.lstrip().startswith('<li class="nomination" id="nomination-nom-1">')
        assert "This nomination has already been decided." in text(response.text)

    def test_a_decision_is_required(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("NominationQueue", queue(nomination()))

        response = portal.post("/coordinator/nominations/nom-1/decide", {"decision": "MAYBE"})

        assert "Please choose Grant or Decline." in element(response.text,
                                                            "nomination-nom-1-problem")
        assert operations(portal) == ["NominationQueue"]


class TestPulse:
    def test_asks_for_the_last_twelve_months_of_the_own_organisation(self,
                                                                     portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("PulseResults", {"data": {"pulseStatements": [],
                                                        "pulseResults": []}})

        portal.client.get("/coordinator/pulse")

        [call] = portal.gateway.calls
        assert call.operation == "PulseResults"
        months = recent_months(datetime.now(UTC).date())
        assert call.variables == {"organisationId": ORG, "months": months}
        assert len(months) == 12

    def test_shows_a_table_and_says_when_a_month_has_too_few_answers(self,
                                                                     portal: Portal) -> None:
        coordinator(portal)
        months = recent_months(datetime.now(UTC).date())
        portal.gateway.answer("PulseResults", {"data": {
            "pulseStatements": ["I feel energised.", "I feel listened to."],
            "pulseResults": [{"month": months[2], "responses": 6, "averages": [3.0, 3.4]},
                             {"month": months[1], "responses": 9, "averages": [4.2, 3.6]}]}})

        page = portal.client.get("/coordinator/pulse").text

        assert '<caption id="pulse-caption">Average answer to each statement, by month' in page
        assert '<th scope="col">I feel energised.</th>' in page
        assert page.count("Too few answers to show (fewer than 5)") == 10
        words = text(page)
        assert ("10 of the last 12 months had fewer than 5 answers, so their results are not "
                "shown.") in words
        latest = f"{date(int(months[1][:4]), int(months[1][5:]), 1):%B %Y}"
        assert f"In {latest}, 9 people answered. Their average answer was 3.9 out of 5" in words
        assert "That is up from 3.2 in" in words
        assert ("People agreed most with “I feel energised.” (4.2) and least with “I feel "
                "listened to.” (3.6).") in words

    def test_says_plainly_when_no_month_can_be_shown(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("PulseResults", {"data": {"pulseStatements": ["I feel energised."],
                                                        "pulseResults": []}})

        words = text(portal.client.get("/coordinator/pulse").text)

        assert ("No month in the last 12 months had 5 or more answers, so there are no results "
                "to show yet.") in words

    def test_months_run_back_across_the_new_year(self) -> None:
        assert recent_months(date(2026, 2, 17), count=4) == [
            "2026-02", "2026-01", "2025-12", "2025-11"]

    def test_summary_says_about_the_same_for_small_changes(self) -> None:
        said = pulse_summary(["A", "B"], [
            {"month": "2026-03", "responses": 5, "averages": [4.0, 4.0]},
            {"month": "2026-02", "responses": 7, "averages": [4.0, 3.98]}])

        assert said[1] == "That is about the same as 4.0 in February 2026."


class TestMembers:
    def test_lists_members_with_links_to_their_card_and_to_erase(self, portal: Portal) -> None:
        me = coordinator(portal)
        portal.gateway.answer("CoordinatorMembers", members_answer(
            member(), member(id=me, displayName="Cora Coordinator"),
            member(id="gone", displayName="Erased member", email=None, status="ERASED"),
            cursor="c2"))

        page = portal.client.get("/coordinator/members").text

        card = app_of(portal).url_path_for("person_card", member_id=MEMBER)
        assert f'href="http://testserver{card}">Ana Carer</a>' in page
        assert f'href="http://testserver/coordinator/members/{MEMBER}/erase"' in page
        assert f"/coordinator/members/{me}/erase" not in page
        assert "/coordinator/members/gone/erase" not in page
        assert "Next page of members" in text(page)
        assert "?after=c2" in page
        assert portal.gateway.calls[0].variables == {"organisationId": ORG, "after": None}

    def test_confirms_an_erasure_plainly(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("CoordinatorMembers", members_answer())

        words = text(portal.client.get("/coordinator/members?erased=1").text)

        assert "Their personal details have been erased." in words


class TestErase:
    def test_the_confirmation_says_what_goes_and_what_stays(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("EraseCheck", erase_check())

        response = portal.client.get(f"/coordinator/members/{MEMBER}/erase")

        page = response.text
        assert "Erase Ana Carer's personal details?" in text(page)
        removed = part(page, '<ul class="erase-removed">', "</ul>")
        for going in ("name and email address", "consent choices", "Words they wrote",
                      "thank-you messages they sent or received", "nominations about them",
                      "Their badges and awards are no longer linked to them"):
            assert going in removed
        kept = part(page, '<ul class="erase-kept">', "</ul>")
        for staying in ("Minutes of time given and their dates", "training modules completed",
                        "still counted in the network's numbers, without a name"):
            assert staying in kept
        assert '<input type="checkbox" id="understood" name="understood" value="yes"' in page
        assert "I understand this cannot be undone" in text(page)
        assert portal.gateway.calls[0].variables == {"memberId": MEMBER}

    def test_the_box_must_be_ticked(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("EraseCheck", erase_check())

        response = portal.post(f"/coordinator/members/{MEMBER}/erase", {})

        assert response.status_code == 422
        assert "Please tick the box to show you understand this cannot be undone." in element(
            response.text, "understood-problem")
        assert 'aria-describedby="understood-problem"' in response.text
        assert operations(portal) == ["EraseCheck"]

    def test_erases_and_redirects_to_a_plain_confirmation(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("EraseCheck", erase_check())
        portal.gateway.answer("EraseMember", {"data": {"eraseMember": {"memberId": MEMBER,
                                                                       "status": "ERASED"}}})

        response = portal.post(f"/coordinator/members/{MEMBER}/erase", {"understood": "yes"})

        assert response.status_code == 303
        assert response.headers["location"] == "http://testserver/coordinator/members?erased=1"
        assert operations(portal) == ["EraseCheck", "EraseMember"]
        assert portal.gateway.calls[1].variables == {"input": {"memberId": MEMBER}}

    def test_members_of_other_organisations_are_not_offered(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("EraseCheck", erase_check(organisation={"id": OTHER_ORG}))

        page = portal.client.get(f"/coordinator/members/{MEMBER}/erase")
        post = portal.post(f"/coordinator/members/{MEMBER}/erase", {"understood": "yes"})

        assert page.status_code == 403
        assert post.status_code == 403
        assert "You can only erase members of your own organisation." in text(page.text)
        assert 'name="understood"' not in page.text
        assert "EraseMember" not in operations(portal)

    def test_an_erased_member_cannot_be_erased_again(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("EraseCheck", erase_check(status="ERASED"))

        response = portal.post(f"/coordinator/members/{MEMBER}/erase", {"understood": "yes"})

        assert "This member has already been erased" in text(response.text)
        assert operations(portal) == ["EraseCheck"]

    def test_an_unknown_member_is_a_plain_not_found(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("EraseCheck", {"data": {"member": None}})

        response = portal.client.get(f"/coordinator/members/{MEMBER}/erase")

        assert response.status_code == 404
        assert "We cannot find this member" in text(response.text)

    def test_the_apis_refusal_is_shown_as_a_sentence(self, portal: Portal) -> None:
        coordinator(portal)
        portal.gateway.answer("EraseCheck", erase_check())
        portal.gateway.answer("EraseMember", {"data": None, "errors": [
            problem("Only the member or their coordinator can erase this member.",
                    code="not_allowed")]})

        response = portal.post(f"/coordinator/members/{MEMBER}/erase", {"understood": "yes"})

        assert response.status_code == 422
        assert "Only the member or their coordinator can erase this member." in text(
            response.text)
        assert "not_allowed" not in response.text
