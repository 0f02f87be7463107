"""Every portal page on the demo network, at a phone's width (mobile first) and at a desktop's:
no serious or critical accessibility finding, nothing wider than the screen, one main heading;
and the everyday actions done with the keyboard alone."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import SignInNetwork
from .windows import Axe, Shot, Window

PROJECTS = "{ projects(first: 20) { edges { node { id title } } } }"
FALLS = "Fewer falls on Ward 7 at night"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


def open_window(browser: Any, stack: SignInNetwork, who: str, axe_check: Axe, screenshot: Shot,
                viewport: dict[str, int]) -> Window:
    context = browser.new_context(locale="en-GB", viewport=viewport, bypass_csp=True)
    context.set_default_timeout(20_000)
    return Window(context.new_page(), stack.portal_url, who, axe_check, screenshot)


def falls_project(stack: SignInNetwork) -> str:
    nurse = stack.account("Sam Nurse")
    token = stack.network.token(str(nurse.member_id), None, "hero")
    edges = stack.network.data(PROJECTS, token=token)["projects"]["edges"]
    project_id: str = next(edge["node"]["id"] for edge in edges if edge["node"]["title"] == FALLS)
    return project_id


def pages_of(stack: SignInNetwork) -> dict[str, list[tuple[str, str]]]:
    """(name, path) of every page, by the demo account that sees it."""
    project = falls_project(stack)
    patient = stack.account("Pat Patient").member_id
    return {
        "": [("home", "/"), ("projects", "/projects"), ("project", f"/projects/{project}"),
             ("glossary", "/glossary"), ("impact", "/impact"), ("join", "/join"),
             ("badge-check", "/badges/check"), ("not-found", "/projects/not-a-project")],
        "Sam Nurse": [("wall", "/wall"), ("network-wall", "/wall?scope=network"),
                      ("projects", "/projects?q=falls"), ("project", f"/projects/{project}"),
                      ("start-project", "/projects/new"), ("team-add", f"/projects/{project}/team/add"),
                      ("profile", "/me"), ("person-card", f"/people/{patient}"),
                      ("impact", "/impact")],
        "Asha Coordinator": [("coordinator", "/coordinator"), ("invite", "/coordinator/invite"),
                             ("nominations", "/coordinator/nominations"),
                             ("pulse", "/coordinator/pulse"), ("members", "/coordinator/members"),
                             ("erase", f"/coordinator/members/{patient}/erase"),
                             ("impact-organisation", "/impact"), ("impact-network", "/impact?scope=network")],
        "Nia Network Admin": [("impact-admin", "/impact")],
    }


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_is_accessible_and_fits_the_screen(
    signin_network: SignInNetwork, browser: Any, axe_check: Axe, screenshot: Shot,
    viewport: dict[str, int],
) -> None:
    stack = signin_network
    width = "phone" if viewport is PHONE else "desktop"
    for account, pages in pages_of(stack).items():
        who = f"{width}-{account.split()[0].lower() if account else 'visitor'}"
        window = open_window(browser, stack, who, axe_check, screenshot, viewport)
        if account:
            window.sign_in(account)
        for name, path in pages:
            window.go(path)
            window.look(name)
            assert window.page.locator("h1").count() == 1, f"{name}: one main heading"
            overflow = window.page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} ({path}) is {overflow}px wider than the screen"
        window.page.context.close()


def tab_to(page: Any, selector: str, limit: int = 250) -> None:
    """Press Tab until the element matching `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)",
                         selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def test_everyday_actions_work_with_the_keyboard_alone(
    signin_network: SignInNetwork, browser: Any, axe_check: Axe, screenshot: Shot
) -> None:
    stack = signin_network
    window = open_window(browser, stack, "keyboard", axe_check, screenshot, DESKTOP)
    page = window.page
    project = falls_project(stack)
    window.go("/")

    # The first Tab offers the skip link; following it puts the focus on the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to the main content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    # Signing in: the portal's button, then the sign-in service's demo account, all by keyboard.
    tab_to(page, "header a.button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/authorize.*"))
    tab_to(page, "button[value='" + str(stack.account("Sam Nurse").member_id) + "']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{window.portal_url}/**")
    assert "Signed in as Sam Nurse" in window.text("header")

    # A word explained: the term opens with Enter and closes with Escape.
    window.go(f"/projects/{project}")
    tab_to(page, "button.term")
    meaning = page.locator("#" + page.evaluate("() => document.activeElement.getAttribute('popovertarget')"))
    page.keyboard.press("Enter")
    meaning.wait_for(state="visible")
    window.look("term-open")
    page.keyboard.press("Escape")
    meaning.wait_for(state="hidden")

    # Adding a value to a chart: Tab to the date, type, Tab on, type, Enter.
    before = page.locator("svg circle.spc-point").count()
    tab_to(page, "form.record-form input[name=on]")
    page.keyboard.type("04062025")  # day, month, year: a Wednesday, between the weekly values
    tab_to(page, "form.record-form input[name=value]")
    page.keyboard.type("9")
    with page.expect_response(lambda r: r.url.endswith("/data") and r.request.method == "POST"):
        page.keyboard.press("Enter")
    page.locator("svg circle.spc-point").nth(before).wait_for()
    assert page.locator("svg circle.spc-point").count() == before + 1
    window.look("value-added")

    # Thanking someone: from their card, by keyboard.
    window.go(f"/people/{stack.account('Pat Patient').member_id}")
    tab_to(page, "#kudos-message")
    page.keyboard.type("Thank you for the leaflet ideas (sent with the keyboard).")
    tab_to(page, "#give-kudos button[type=submit]")
    page.keyboard.press("Enter")
    page.get_by_text("Your thank-you has been sent.").wait_for()
    window.look("thanked")
