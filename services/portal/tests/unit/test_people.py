"""People pages: my profile, badge certificates and their check, a person's card with kudos and
nominations, consent choices, and joining with an invite code."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from ..conftest import Portal

ME = "5d0e6c2a-7b1f-4c53-9d0e-1f2a3b4c5d6e"
ORG = "77aa0000-0000-4000-8000-000000000001"
SAM = "0b7c9d1e-2f3a-4b5c-8d6e-7f8091a2b3c4"
CARD = f"http://testserver/people/{SAM}"
WHAT_IS_QI, TESTING, MEASURING = "m-1", "m-2", "m-3"
JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImIxIn0.eyJuYW1lIjoiVGhyZWUifQ.c2lnbmF0dXJl"
CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "name": "Three tests of change", "validFrom": "2026-03-02T09:31:00Z",
    "issuer": {"id": "https://heroes.local/issuer", "type": ["Profile"],
               "name": "MAC Heroes Network"},
    "credentialSubject": {"id": f"urn:uuid:{ME}", "achievement": {
        "name": "Three tests of change", "description": "Finished three small tests of change.",
        "criteria": {"narrative": "Finish 3 tests of change (PDSA cycles)."}}},
}
CONSENTING = {"contact": True, "nameInOrganisation": True, "nameAcrossNetwork": True,
              "storyPublished": False}


def badge(**overrides: Any) -> dict[str, Any]:
    return {"id": "award-1", "name": "Three tests of change",
            "description": "Finished three small tests of change.",
            "criteria": "Finish 3 tests of change (PDSA cycles).",
            "awardedAt": "2026-03-02T09:31:00+00:00", "evidence": ["ev-1", "ev-2", "ev-3"],
            "project": {"id": "p-1", "title": "Fewer falls at night"}, **overrides}


def kudos(number: int, message: str, *, public: bool,
          giver: dict[str, str] | None) -> dict[str, Any]:
    return {"node": {"id": f"k-{number}", "message": message, "isPublic": public,
                     "givenAt": f"2026-03-0{number + 4}T10:00:00+00:00", "fromMember": giver}}


def profile(**overrides: Any) -> dict[str, Any]:
    me = {
        "id": ME, "displayName": "Alex Patient", "memberType": "STAFF_CLINICAL",
        "profileVisibility": "ORGANISATION", "organisation": {"id": ORG, "name": "Riverside Trust"},
        "learningLevel": "EXPLORER",
        "training": [{"moduleId": WHAT_IS_QI, "completedOn": "2026-01-10"}],
        "consent": None, "badges": [badge()],
        "kudosReceived": {"edges": [
            kudos(1, "Thanks for the leaflet idea!", public=True,
                  giver={"id": SAM, "displayName": "Sam Nurse"}),
            kudos(2, "You made the clinic calmer.", public=False, giver=None),
        ], "pageInfo": {"hasNextPage": False}},
        **overrides,
    }
    levels = [
        {"level": "EXPLORER", "meaning": "Explorer: knows what quality improvement is and how to "
                                         "take part."},
        {"level": "PRACTITIONER", "meaning": "Practitioner: tests changes in small steps and "
                                             "measures what happens."},
        {"level": "LEADER", "meaning": "Leader: leads improvement projects and coaches others."},
    ]
    modules = [
        module(WHAT_IS_QI, "What is improvement?", "EXPLORER"),
        module(TESTING, "Testing changes", "PRACTITIONER",
               description="Small tests, one at a time."),
        module(MEASURING, "Measuring improvement", "PRACTITIONER"),
        module("m-4", "Coaching basics", "PRACTITIONER", required=False),
    ]
    return {"data": {"me": me, "learningLevels": levels, "trainingModules": modules}}


def module(id_: str, title: str, level: str, *, description: str = "",
           required: bool = True) -> dict[str, Any]:
    return {"id": id_, "title": title, "description": description, "level": level,
            "required": required}


def card(**overrides: Any) -> dict[str, Any]:
    member = {"id": SAM, "displayName": "Sam Nurse", "memberType": "SERVICE_USER",
              "organisation": {"id": ORG, "name": "Riverside Trust"},
              "interests": ["falls", "discharge"], "skills": ["listening"],
              "badges": [badge(criteria=None, evidence=None)], **overrides}
    return {"data": {"member": member, "kudosMessageLimit": 280}}


def certificate(badges: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    held = badges if badges is not None else [
        {"id": "award-1", "name": "Three tests of change",
         "openBadgeCredential": {"jwt": JWT, "credentialJson": json.dumps(CREDENTIAL)}}]
    return {"data": {"me": {"id": ME, "badges": held}}}


def error(message: str, code: str, field: str | None = None) -> dict[str, Any]:
    extensions: dict[str, Any] = {"code": code}
    if field:
        extensions["field"] = field
    return {"message": message, "extensions": extensions}


def withdrew(consent: dict[str, bool]) -> dict[str, Any]:
    return {"data": {"withdrawConsent": {"consent": consent}}}


def failed(*errors: dict[str, Any]) -> dict[str, Any]:
    return {"data": None, "errors": list(errors)}


class Page(HTMLParser):
    """A rendered page: the words of each element with an id, and its attributes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.attributes: dict[str, dict[str, str | None]] = {}
        self.texts: dict[str, list[str]] = {}
        self.open: list[tuple[str, str | None]] = []
        self.feed(f'<div id="whole-page">{html}</div>')

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.attributes[str(found["id"])] = found
            self.texts[str(found["id"])] = []
        if tag not in {"input", "br", "img", "meta", "link"}:
            self.open.append((tag, found.get("id")))

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        for _, element_id in self.open:
            if element_id:
                self.texts[element_id].append(data)

    def text(self, element_id: str = "whole-page") -> str:
        return " ".join("".join(self.texts[element_id]).split())


def visible(html: str) -> str:
    """The page's words as a person reads them: no tags, whitespace collapsed."""
    return Page(html).text()


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


class TestMyProfile:
    def test_the_header_names_the_person_signed_in(self, portal: Portal) -> None:
        # A template variable must never shadow the signed-in person (a macro once did).
        portal.sign_in(member_id=ME, organisation_id=ORG, name="Robin Rivers")
        portal.gateway.answer("MyProfile", profile())

        page = portal.client.get("/me")

        assert "Signed in as Robin Rivers" in visible(page.text)

    def test_shows_the_level_what_it_means_and_progress_to_the_next(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("MyProfile", profile())

        page = portal.client.get("/me")

        text = visible(page.text)
        assert page.status_code == 200
        assert ("You are a level 1 Explorer: Knows what quality improvement is and how to take "
                "part.") in text
        assert "Next: level 2 Practitioner" in text
        assert "You have done 0 of the 2 training modules you need for this level." in text
        assert '<progress class="level-progress" max="2" value="0"' in page.text
        assert "Testing changes: Small tests, one at a time." in text
        assert "Measuring improvement" in text
        assert "Coaching basics" not in text

    def test_counts_the_modules_done_towards_the_next_level(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        done = [{"moduleId": WHAT_IS_QI, "completedOn": "2026-01-10"},
                {"moduleId": TESTING, "completedOn": "2026-02-10"}]
        portal.gateway.answer("MyProfile", profile(training=done))

        text = visible(portal.client.get("/me").text)

        assert "You have done 1 of the 2 training modules you need for this level." in text
        assert "Still to do:" in text
        assert "Testing changes" not in text
        assert "Measuring improvement" in text

    def test_someone_without_a_level_is_on_the_way_to_explorer(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("MyProfile", profile(learningLevel=None, training=[]))

        text = visible(portal.client.get("/me").text)

        assert "You have not reached a learning level yet." in text
        assert "Next: level 1 Explorer" in text
        assert "You have done 0 of the 1 training modules you need" in text

    def test_a_leader_is_at_the_top(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("MyProfile", profile(learningLevel="LEADER"))

        text = visible(portal.client.get("/me").text)

        assert "You are a level 3 Leader: Leads improvement projects and coaches others." in text
        assert "You have reached the highest level." in text

    def test_shows_badges_with_their_evidence_and_certificate_links(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("MyProfile", profile())

        response = portal.client.get("/me")

        text = Page(response.text).text("badge-award-1")
        assert text.startswith("Three tests of change")
        assert "How it is earned: Finish 3 tests of change (PDSA cycles)." in text
        assert "Earned: 2 March 2026, with the project Fewer falls at night" in text
        assert "What earned it: 3 recorded steps" in text
        assert "ev-1ev-2ev-3" in text
        assert 'href="http://testserver/me/badges/award-1/certificate" download' in response.text
        assert 'href="http://testserver/me/badges/award-1/check"' in response.text
        assert 'href="http://testserver/projects/p-1"' in response.text

    def test_a_team_badge_earned_on_several_projects_says_so(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        twice = badge(id="award-2", name="Made a measurable difference", projectCount=2)
        portal.gateway.answer("MyProfile", profile(badges=[badge(projectCount=1), twice]))

        response = portal.client.get("/me")

        assert "Earned again since: on 2 projects in all, each one celebrated." in Page(response.text).text(
            "badge-award-2")
        assert "Earned again" not in Page(response.text).text("badge-award-1")
        assert "projectCount" in portal.gateway.calls[0].query

    def test_shows_the_thank_yous_received_and_which_are_private(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("MyProfile", profile())

        response = portal.client.get("/me")

        text = visible(response.text)
        assert "Thanks for the leaflet idea!" in text
        assert f'From <a href="{CARD}">Sam Nurse</a>, <time' in response.text
        assert "You made the clinic calmer." in text
        assert "From Someone in the network, 6 March 2026 (only you can see this one)" in text

    def test_staff_see_no_consent_choices(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("MyProfile", profile())

        response = portal.client.get("/me")

        assert "Your choices" not in response.text
        assert "/me/consent/" not in response.text

    @pytest.mark.parametrize("member_type", ["SERVICE_USER", "CARER"])
    def test_service_users_and_carers_see_each_choice_explained_with_one_click_to_withdraw(
            self, portal: Portal, member_type: str) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("MyProfile", profile(memberType=member_type, consent=CONSENTING))

        page = Page(portal.client.get("/me").text)

        across = page.text("consent-name_across_network")
        assert "People in other organisations in the network may see your name" in across
        assert "You agree to this. Withdraw: your name across the network" in across
        story = page.text("consent-story_published")
        assert "You do not agree to this. I agree: your story or words" in story
        assert "Being contacted" in page.text("consent-contact")

    def test_asks_the_gateway_once_with_the_persons_token(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("MyProfile", profile())

        portal.client.get("/me")

        [call] = portal.gateway.calls
        assert call.operation == "MyProfile"
        assert call.variables == {"organisationId": ORG}
        assert call.token is not None

    def test_sends_people_who_are_not_signed_in_to_sign_in(self, portal: Portal) -> None:
        response = portal.client.get("/me")

        assert response.status_code == 303
        assert response.headers["location"] == "http://testserver/auth/sign-in?next=/me"
        assert portal.gateway.calls == []

    def test_a_part_of_the_network_not_answering_is_said_plainly(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        answer = profile()
        answer["errors"] = [error("Part of the network is not answering just now, so some of "
                                  "this page is missing.", "SUBGRAPH_UNAVAILABLE")]
        portal.gateway.answer("MyProfile", answer)

        response = portal.client.get("/me")

        assert response.status_code == 200
        assert "SUBGRAPH_UNAVAILABLE" not in response.text
        assert "Your learning level" in response.text


    def test_a_membership_the_network_cannot_find_is_a_plain_page(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("MyProfile", failed(error(
            "We are still setting up your membership.", "membership_pending")))

        response = portal.client.get("/me")

        assert response.status_code == 200
        assert ("We are still setting up your membership. Please try again in a moment."
                in response.text)
        assert "membership_pending" not in response.text


class TestPagesFollowTheContentSecurityPolicy:
    @pytest.mark.parametrize("path", ["/me", f"/people/{SAM}", "/join", "/badges/check"])
    def test_no_inline_styles_scripts_or_handlers(self, portal: Portal, path: str) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("MyProfile", profile(memberType="SERVICE_USER", consent=CONSENTING))
        portal.gateway.answer("PersonCard", card())

        page = portal.client.get(path).text

        assert " style=" not in page
        assert "<script>" not in page
        assert re.search(r"\son[a-z]+=", page) is None


class TestConsent:
    def test_withdrawing_takes_one_click_and_says_what_it_changed(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        withdrawn = {**CONSENTING, "nameAcrossNetwork": False}
        portal.gateway.answer("WithdrawConsent", withdrew(withdrawn))
        portal.gateway.answer("MyProfile", profile(memberType="SERVICE_USER", consent=withdrawn))

        response = portal.post("/me/consent/withdraw", {"purpose": "NAME_ACROSS_NETWORK"})
        page = portal.client.get(response.headers["location"])

        assert response.status_code == 303
        assert response.headers["location"] == (
            "http://testserver/me?consent=withdrawn&purpose=NAME_ACROSS_NETWORK#consent")
        call = portal.gateway.calls[0]
        assert call.operation == "WithdrawConsent"
        assert call.variables == {"input": {"purposes": ["NAME_ACROSS_NETWORK"]}}
        assert "Your name will no longer be shown to other organisations, from now." in page.text
        assert "You do not agree to this." in Page(page.text).text("consent-name_across_network")

    def test_withdrawing_the_name_in_the_organisation_says_what_still_shows_it(
            self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        withdrawn = {**CONSENTING, "nameInOrganisation": False}
        portal.gateway.answer("WithdrawConsent", withdrew(withdrawn))

        response = portal.post("/me/consent/withdraw", {"purpose": "NAME_IN_ORGANISATION"},
                               headers={"HX-Request": "true"})

        assert ("Your name will no longer be shown to people in your organisation, from now. You "
                "still agree to your name being shown across the network, so people in your "
                "organisation can still see it.") in visible(response.text)

    def test_giving_consent_records_it(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("RecordConsent", {"data": {"recordConsent": {"consent": CONSENTING}}})

        response = portal.post("/me/consent/give", {"purpose": "CONTACT"})

        assert response.status_code == 303
        assert "consent=given&purpose=CONTACT" in response.headers["location"]
        [call] = portal.gateway.calls
        assert call.operation == "RecordConsent"
        assert call.variables == {"input": {"purposes": ["CONTACT"]}}

    def test_with_htmx_the_choices_come_back_changed_in_place(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        withdrawn = {**CONSENTING, "contact": False}
        portal.gateway.answer("WithdrawConsent", withdrew(withdrawn))

        response = portal.post("/me/consent/withdraw", {"purpose": "CONTACT"},
                               headers={"HX-Request": "true"})

        assert response.status_code == 200
        assert response.text.lstrip().startswith('<section class="consent" id="consent"')
        assert "The network will no longer contact you, from now." in response.text
        assert "You do not agree to this." in Page(response.text).text("consent-contact")
        assert len(portal.gateway.calls) == 1

    def test_a_refusal_is_said_in_the_choices_section(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("WithdrawConsent", failed(error(
            "Consent is recorded for service users and carers; staff choose their profile "
            "visibility instead.", "consent_not_applicable")))
        portal.gateway.answer("MyProfile", profile(memberType="CARER", consent=CONSENTING))

        response = portal.post("/me/consent/withdraw", {"purpose": "CONTACT"})

        assert response.status_code == 422
        consent = Page(response.text).text("consent")
        assert "staff choose their profile visibility instead." in consent
        assert "consent_not_applicable" not in response.text

    def test_a_form_without_its_token_is_refused(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)

        response = portal.client.post("/me/consent/withdraw",
                                      data={"purpose": "CONTACT", "csrf_token": "guess"})

        assert response.status_code == 403
        assert "This form has expired." in response.text
        assert portal.gateway.calls == []


class TestBadgeCertificate:
    def test_downloads_the_signed_certificate_as_a_file(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("BadgeCertificate", certificate())

        response = portal.client.get("/me/badges/award-1/certificate")

        assert response.status_code == 200
        assert response.text == JWT
        assert response.headers["content-type"] == "application/vc+jwt"
        assert response.headers["content-disposition"] == (
            'attachment; filename="three-tests-of-change-open-badge.jwt"')
        assert response.headers["cache-control"] == "private, no-store"
        [call] = portal.gateway.calls
        assert call.operation == "BadgeCertificate"

    def test_downloads_a_readable_copy_as_json(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("BadgeCertificate", certificate())

        response = portal.client.get("/me/badges/award-1/certificate?format=json")

        assert response.headers["content-type"] == "application/json"
        assert response.headers["content-disposition"] == (
            'attachment; filename="three-tests-of-change-open-badge.json"')
        assert response.json() == CREDENTIAL

    def test_a_badge_that_is_not_yours_is_a_plain_page(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("BadgeCertificate", certificate())

        response = portal.client.get("/me/badges/someone-elses/certificate")

        assert response.status_code == 404
        assert "It is not one of your badges." in response.text

    def test_certificates_not_set_up_are_explained_without_a_code(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        answer = certificate([{"id": "award-1", "name": "Three tests of change",
                               "openBadgeCredential": None}])
        answer["errors"] = [error("Badge certificates are not available yet: the network's "
                                  "signing key is not set up.", "badge_signing_not_set_up")]
        portal.gateway.answer("BadgeCertificate", answer)

        response = portal.client.get("/me/badges/award-1/certificate")

        assert response.status_code == 503
        assert "Badge certificates are not available yet" in response.text
        assert "badge_signing_not_set_up" not in response.text

    def test_check_it_is_genuine_leads_to_the_public_check(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("BadgeCertificate", certificate())

        response = portal.client.get("/me/badges/award-1/check")

        assert response.status_code == 303
        location = urlsplit(response.headers["location"])
        assert location.path == "/badges/check"
        assert parse_qs(location.query) == {"credential": [JWT]}


class TestBadgeCheck:
    def test_anyone_can_check_a_certificate_without_signing_in(self, portal: Portal) -> None:
        portal.gateway.answer("CheckBadge", {"data": {"verifyBadgeCredential": {
            "isValid": True, "reason": None, "credentialJson": json.dumps(CREDENTIAL)}}})

        response = portal.client.get("/badges/check", params={"credential": JWT})

        text = visible(response.text)
        assert response.status_code == 200
        assert "This certificate is genuine" in text
        assert ("It was issued by MAC Heroes Network, has not been changed, and the badge is "
                "still held.") in text
        assert "BadgeThree tests of change" in text
        assert "How it is earnedFinish 3 tests of change (PDSA cycles)." in text
        assert "Earned2 March 2026" in text
        [call] = portal.gateway.calls
        assert call.operation == "CheckBadge"
        assert call.variables == {"credential": JWT}
        assert call.token is None

    def test_a_certificate_that_fails_says_why(self, portal: Portal) -> None:
        portal.gateway.answer("CheckBadge", {"data": {"verifyBadgeCredential": {
            "isValid": False, "reason": "This badge is no longer held: it was withdrawn.",
            "credentialJson": json.dumps(CREDENTIAL)}}})

        response = portal.client.get("/badges/check", params={"credential": JWT})

        text = visible(response.text)
        assert "This certificate is not valid" in text
        assert "This badge is no longer held: it was withdrawn." in text
        assert "This certificate is genuine" not in text

    def test_without_a_certificate_the_page_asks_for_one(self, portal: Portal) -> None:
        response = portal.client.get("/badges/check")

        assert "The certificate file" in response.text
        assert 'enctype="multipart/form-data"' in response.text
        assert portal.gateway.calls == []

    def test_an_uploaded_file_is_checked_on_a_page_that_can_be_shared(self, portal: Portal) -> None:
        token = csrf_of(portal.client.get("/badges/check").text)
        upload = ("badge.jwt", JWT.encode() + b"\n", "application/vc+jwt")

        response = portal.client.post("/badges/check", data={"csrf_token": token},
                                      files={"certificate": upload})

        assert response.status_code == 303
        assert parse_qs(urlsplit(response.headers["location"]).query) == {"credential": [JWT]}

    def test_the_readable_copy_is_refused_next_to_the_file_field(self, portal: Portal) -> None:
        token = csrf_of(portal.client.get("/badges/check").text)
        upload = ("badge.json", json.dumps(CREDENTIAL).encode(), "application/json")

        response = portal.client.post("/badges/check", data={"csrf_token": token},
                                      files={"certificate": upload})

        assert response.status_code == 422
        page = Page(response.text)
        assert page.text("certificate-error").endswith(
            "Please use the certificate file whose name ends in .jwt.")
        assert page.attributes["certificate-file"]["aria-describedby"] == "certificate-error"
        assert portal.gateway.calls == []


class TestPersonCard:
    def test_shows_the_public_card_with_plain_words(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("PersonCard", card())

        response = portal.client.get(f"/people/{SAM}")

        assert response.status_code == 200
        assert "<h1>Sam Nurse</h1>" in response.text
        assert "<dt>Organisation</dt><dd>Riverside Trust</dd>" in response.text
        assert ("<dt>Takes part as</dt><dd>Patient or person who uses services</dd>"
                in response.text)
        assert "<dd>falls, discharge</dd>" in response.text
        assert "<dd>listening</dd>" in response.text
        badge_text = Page(response.text).text("badge-award-1")
        assert badge_text.startswith("Three tests of change")
        assert "certificate" not in badge_text
        [call] = portal.gateway.calls
        assert call.operation == "PersonCard"
        assert call.variables == {"id": SAM}

    def test_offers_kudos_with_its_limit_and_a_nomination(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("PersonCard", card())

        page = Page(portal.client.get(f"/people/{SAM}").text)

        assert "at most 280 characters" in page.text("kudos-message-hint")
        assert page.attributes["kudos-message"]["maxlength"] == "280"
        assert page.attributes["kudos-message"]["aria-describedby"] == "kudos-message-hint"
        assert "Nominate Sam Nurse for an award" in page.text("nominate")
        assert "At most 1000 characters" in page.text("nominate-reason-hint")

    def test_a_person_you_may_not_see_is_a_plain_page(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("PersonCard", {"data": {"member": None, "kudosMessageLimit": 280}})

        response = portal.client.get(f"/people/{SAM}")

        assert response.status_code == 200
        assert "<h1>You cannot see this person</h1>" in response.text
        assert "give-kudos" not in response.text

    def test_an_address_that_is_not_a_member_id_is_the_same_plain_page(
            self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)

        response = portal.client.get("/people/not-an-id")

        assert response.status_code == 200
        assert "You cannot see this person" in response.text
        assert portal.gateway.calls == []

    def test_your_own_card_offers_no_thanks_to_yourself(self, portal: Portal) -> None:
        portal.sign_in(member_id=SAM, organisation_id=ORG)
        portal.gateway.answer("PersonCard", card())

        response = portal.client.get(f"/people/{SAM}")

        assert "This is your own card" in response.text
        assert 'id="give-kudos"' not in response.text
        assert 'id="nominate"' not in response.text


class TestGiveKudos:
    def test_sends_the_thank_you_and_goes_back_to_the_card(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("GiveKudos", {"data": {"giveKudos": {"kudos": {"id": "k-9"}}}})
        portal.gateway.answer("PersonCard", card())

        response = portal.post(f"/people/{SAM}/kudos",
                               {"message": "Thank you for the clock idea!", "isPublic": "true"})
        page = portal.client.get(response.headers["location"])

        assert response.status_code == 303
        assert response.headers["location"] == f"{CARD}?sent=kudos"
        call = portal.gateway.calls[0]
        assert call.operation == "GiveKudos"
        assert call.variables == {"input": {
            "toMemberId": SAM, "message": "Thank you for the clock idea!", "isPublic": True}}
        assert "Your thank-you has been sent." in page.text

    def test_an_unticked_box_thanks_privately(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("GiveKudos", {"data": {"giveKudos": {"kudos": {"id": "k-9"}}}})

        portal.post(f"/people/{SAM}/kudos", {"message": "Thanks"})

        assert portal.gateway.calls[0].variables["input"]["isPublic"] is False

    def test_a_message_too_long_is_said_next_to_the_message(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("GiveKudos", failed(error(
            "Please keep this to 280 characters or fewer.", "kudos_message_too_long", "message")))
        portal.gateway.answer("PersonCard", card())

        response = portal.post(f"/people/{SAM}/kudos", {"message": "x" * 300, "isPublic": "true"})

        assert response.status_code == 422
        page = Page(response.text)
        assert page.text("kudos-message-error") == "Please keep this to 280 characters or fewer."
        message = page.attributes["kudos-message"]
        assert message["aria-describedby"] == "kudos-message-hint kudos-message-error"
        assert message["aria-invalid"] == "true"
        assert page.text("kudos-message") == "x" * 300
        assert "kudos_message_too_long" not in response.text
        assert [c.operation for c in portal.gateway.calls] == ["GiveKudos", "PersonCard"]

    def test_the_daily_limit_is_said_at_the_top_of_the_form(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("GiveKudos", failed(error(
            "You have sent 10 thank-yous today, which is the daily limit. Please try again "
            "tomorrow.", "kudos_daily_limit_reached")))
        portal.gateway.answer("PersonCard", card())

        page = Page(portal.post(f"/people/{SAM}/kudos", {"message": "Thanks"}).text)

        assert "which is the daily limit" in page.text("give-kudos")
        assert "kudos-message-error" not in page.attributes

    def test_with_htmx_only_the_form_comes_back(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("GiveKudos", {"data": {"giveKudos": {"kudos": {"id": "k-9"}}}})
        portal.gateway.answer("PersonCard", card())

        response = portal.post(f"/people/{SAM}/kudos", {"message": "Thanks", "isPublic": "true"},
                               headers={"HX-Request": "true"})

        assert response.status_code == 200
        assert response.text.lstrip().startswith('<section class="person-form" id="give-kudos"')
        assert "Your thank-you has been sent." in response.text
        assert "<html" not in response.text

    def test_with_htmx_a_problem_comes_back_in_the_form_for_htmx_to_show(
            self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("GiveKudos", failed(error(
            "Please write something here.", "text_required", "message")))
        portal.gateway.answer("PersonCard", card())

        response = portal.post(f"/people/{SAM}/kudos", {"message": ""},
                               headers={"HX-Request": "true"})

        assert response.status_code == 200
        assert Page(response.text).text("kudos-message-error") == "Please write something here."

    def test_a_form_without_its_token_is_refused(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)

        response = portal.client.post(f"/people/{SAM}/kudos", data={"message": "Thanks"})

        assert response.status_code == 403
        assert portal.gateway.calls == []


class TestNominate:
    def test_sends_the_nomination_and_goes_back_to_the_card(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("Nominate", {"data": {"nominate": {"nomination": {"id": "n-1"}}}})
        portal.gateway.answer("PersonCard", card())

        response = portal.post(f"/people/{SAM}/nominate", {
            "awardName": "Co-production champion", "reason": "Listened to every patient."})
        page = portal.client.get(response.headers["location"])

        assert response.status_code == 303
        assert response.headers["location"] == f"{CARD}?sent=nomination"
        call = portal.gateway.calls[0]
        assert call.operation == "Nominate"
        assert call.variables == {"input": {"memberId": SAM, "awardName": "Co-production champion",
                                            "reason": "Listened to every patient."}}
        assert ("Your nomination has been sent. Coordinators of their organisation will decide."
                in page.text)

    def test_problems_are_said_next_to_their_fields_or_at_the_top(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)
        portal.gateway.answer("Nominate", failed(
            error("Please write something here.", "text_required", "reason"),
            error("You cannot nominate yourself. Ask a colleague to nominate you.",
                  "self_nomination_not_allowed", "memberId")))
        portal.gateway.answer("PersonCard", card())

        response = portal.post(f"/people/{SAM}/nominate", {"awardName": "Star", "reason": ""})

        page = Page(response.text)
        assert response.status_code == 422
        assert page.text("nominate-reason-error") == "Please write something here."
        assert "You cannot nominate yourself." in page.text("nominate")
        assert page.attributes["nominate-award"]["value"] == "Star"
        assert "nominate-award-error" not in page.attributes

    def test_a_form_without_its_token_is_refused(self, portal: Portal) -> None:
        portal.sign_in(member_id=ME, organisation_id=ORG)

        response = portal.client.post(f"/people/{SAM}/nominate", data={
            "awardName": "Star", "reason": "Kind", "csrf_token": "wrong"})

        assert response.status_code == 403
        assert portal.gateway.calls == []


class TestJoin:
    def test_the_form_needs_no_sign_in_and_explains_the_choice(self, portal: Portal) -> None:
        response = portal.client.get("/join")

        text = visible(response.text)
        assert response.status_code == 200
        assert "Your invite code" in text
        assert "Only people in my own organisation" in text
        assert "Everyone in the network, in every organisation" in text
        assert "your name is only ever shown where you also agree to it" in text
        assert portal.gateway.calls == []

    def test_joining_says_the_membership_is_ready_and_offers_sign_in(self, portal: Portal) -> None:
        token = csrf_of(portal.client.get("/join").text)
        portal.gateway.answer("JoinNetwork", {"data": {"joinNetwork": {"member": {
            "id": ME, "displayName": "Alex",
            "organisation": {"id": ORG, "name": "Riverside Trust"}}}}})

        response = portal.client.post("/join", data={
            "csrf_token": token, "inviteCode": " ABCD-1234 ", "displayName": "Alex",
            "profileVisibility": "NETWORK"})
        ready = portal.client.get(response.headers["location"])
        again = portal.client.get("/join/ready")

        assert response.status_code == 303
        assert response.headers["location"] == "http://testserver/join/ready"
        [call] = portal.gateway.calls
        assert call.operation == "JoinNetwork"
        assert call.token is None
        assert call.variables == {"input": {"inviteCode": "ABCD-1234", "displayName": "Alex",
                                            "profileVisibility": "NETWORK"}}
        text = visible(ready.text)
        assert "Your membership is ready" in text
        assert ("Welcome, Alex! You are now a member of the MAC Heroes Network with Riverside "
                "Trust.") in text
        assert 'href="http://testserver/auth/sign-in?next=/me"' in ready.text
        assert "Alex" not in again.text

    def test_signing_in_after_joining_tells_the_identity_provider_who_is_expected(
            self, portal: Portal) -> None:
        client = portal.app.state.oauth.create_client("network")
        client.server_metadata.update({"authorization_endpoint": "https://idp.example/authorize",
                                       "_loaded_at": 1})
        token = csrf_of(portal.client.get("/join").text)
        portal.gateway.answer("JoinNetwork", {"data": {"joinNetwork": {"member": {
            "id": ME, "displayName": "Alex", "organisation": {"id": ORG, "name": "Riverside"}}}}})
        portal.client.post("/join", data={"csrf_token": token, "inviteCode": "ABCD-1234"})

        first = portal.client.get("/auth/sign-in?next=/me")
        later = portal.client.get("/auth/sign-in?next=/me")

        assert first.status_code == 302
        assert first.headers["location"].startswith("https://idp.example/authorize?")
        assert f"login_hint={ME}" in first.headers["location"]
        assert "login_hint" not in later.headers["location"]

    def test_an_empty_name_keeps_the_name_on_the_invitation(self, portal: Portal) -> None:
        token = csrf_of(portal.client.get("/join").text)
        portal.gateway.answer("JoinNetwork", {"data": {"joinNetwork": {"member": {
            "id": ME, "displayName": "Alex", "organisation": None}}}})

        portal.client.post("/join", data={"csrf_token": token, "inviteCode": "ABCD",
                                          "displayName": " "})

        assert portal.gateway.calls[0].variables["input"] == {
            "inviteCode": "ABCD", "displayName": None, "profileVisibility": "ORGANISATION"}

    @pytest.mark.parametrize(("message", "code", "field"), [
        ("That invite code is not valid. Please check it, or ask for a new one.",
         "invite_not_found", "inviteCode"),
        ("This invite has expired. Please ask your coordinator for a new one.",
         "invite_expired", None),
    ])
    def test_a_wrong_or_expired_code_is_said_next_to_the_code(
            self, portal: Portal, message: str, code: str, field: str | None) -> None:
        token = csrf_of(portal.client.get("/join").text)
        portal.gateway.answer("JoinNetwork", failed(error(message, code, field)))

        response = portal.client.post("/join", data={
            "csrf_token": token, "inviteCode": "WRONG", "profileVisibility": "NETWORK"})

        page = Page(response.text)
        assert response.status_code == 422
        assert page.text("join-code-error") == message
        assert page.attributes["join-code"]["aria-describedby"] == "join-code-hint join-code-error"
        assert page.attributes["join-code"]["value"] == "WRONG"
        assert "checked" in page.attributes["join-visibility-network"]
        assert code not in response.text

    def test_a_used_code_says_to_sign_in(self, portal: Portal) -> None:
        token = csrf_of(portal.client.get("/join").text)
        portal.gateway.answer("JoinNetwork", failed(error("This invite has already been used.",
                                                          "already_joined")))

        response = portal.client.post("/join", data={"csrf_token": token, "inviteCode": "USED"})

        assert Page(response.text).text("join-code-error").endswith(
            "your membership is ready: please sign in.")

    def test_no_code_is_said_without_asking_the_network(self, portal: Portal) -> None:
        token = csrf_of(portal.client.get("/join").text)

        response = portal.client.post("/join", data={"csrf_token": token, "inviteCode": "  "})

        assert response.status_code == 422
        assert Page(response.text).text("join-code-error") == (
            "Please enter the invite code from your invitation.")
        assert portal.gateway.calls == []

    def test_a_form_without_its_token_is_refused(self, portal: Portal) -> None:
        portal.client.get("/join")

        response = portal.client.post("/join", data={"inviteCode": "ABCD"})

        assert response.status_code == 403
        assert portal.gateway.calls == []
