"""The MAC Heroes story through the portal, in real browser windows side by side, against the
whole network (gateway, three services, Kafka, PostgreSQL, the development sign-in service):

a coordinator invites a service user; the service user joins with the code, signs in and
consents; a staff member starts a project, chooses what to measure and adds the service user to
the team; the staff member's thank-you shows on the service user's open wall within 2 s without
a reload; the staff member records values until the chart shows an improvement and the
celebration appears; the service user downloads the badge certificate and checking it says it is
genuine; and withdrawing consent takes the service user's name off the other organisation's wall.

Every page is saved as a screenshot and checked with axe (no serious or critical findings), and
the SPC chart's SVG is checked against the API's own numbers.
"""

from __future__ import annotations

import math
import re
import secrets
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .conftest import SignInNetwork
from .windows import Axe, Shot, Window

# Twelve ordinary weeks, then a week far below the lower process limit: an improvement signal
# (a point beyond the limits) when lower is better.
WEEKS = (20, 21, 19, 20, 22, 18, 20, 21, 19, 20, 21, 20, 2)
FILL = {"IMPROVEMENT": "#41B6E6", "CONCERN": "#ED8B00", None: "#A6A6A6"}
CHART = """query Chart($id: ID!) { project(id: $id) { measures { id chart {
  points { pointId value } segments { centre upperLimit lowerLimit }
  signals { nature pointIds } } } } }"""
NETWORK_WALL = """{ celebrationFeed(scope: NETWORK, first: 100) {
  edges { node { member { displayName } message } } } }"""


def test_the_story_through_the_portal(
    signin_network: SignInNetwork, browser: Any, axe_check: Axe, screenshot: Shot
) -> None:
    stack = signin_network
    network = stack.network

    def window(who: str) -> Window:
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900},
                                      bypass_csp=True, accept_downloads=True)
        context.set_default_timeout(20_000)
        return Window(context.new_page(), stack.portal_url, who, axe_check, screenshot)

    asha, robin, sam, jo = (window(who) for who in ("coordinator", "service-user", "staff",
                                                     "other-organisation"))
    suffix = secrets.token_hex(3)
    name = f"Robin Rivers {suffix}"

    # --- a coordinator invites a service user ---------------------------------------------
    asha.sign_in("Asha Coordinator")
    asha.look("home")
    asha.go("/coordinator")
    asha.look("coordinator")
    asha.page.get_by_role("link", name=re.compile("Invite someone")).first.click()
    asha.look("invite")
    asha.page.get_by_label("Their name").fill(name)
    asha.page.get_by_label("Their email address").fill(f"robin.{suffix}@example.org")
    asha.page.get_by_label("Someone who uses services").check()
    asha.page.get_by_label(re.compile(r"^\s*Hero")).check()
    asha.page.get_by_role("button", name="Make the invitation").click()
    asha.look("invitation")
    code = asha.page.locator("p.invite-code").inner_text().strip()
    assert re.fullmatch(r"\S{8,}", code), code
    assert asha.page.locator(".invitation .code").inner_text().strip() == code  # the printable one

    # --- the service user joins with the code, signs in and consents ----------------------
    robin.go("/join")
    robin.look("join")
    robin.page.get_by_label("Your invite code").fill(code)
    robin.page.get_by_label(re.compile("Everyone in the network")).check()
    robin.page.get_by_role("button", name="Join the network").click()
    robin.look("joined")
    assert f"Welcome, {name}!" in robin.text()
    robin.page.get_by_role("link", name="Sign in").last.click()
    robin.look("sign-in-service")  # the development sign-in page, the new member named for it
    robin_id = robin.page.locator("#member_id").input_value()
    assert re.fullmatch(r"[0-9a-f-]{36}", robin_id), robin_id
    robin.page.get_by_role("button", name="Sign in", exact=True).click()
    robin.page.wait_for_url(f"{stack.portal_url}/me")
    assert f"Signed in as {name}" in robin.text("header")
    robin.look("profile")
    for choice in ("your name in your organisation", "your name across the network"):
        robin.page.get_by_role("button", name=re.compile(f"I agree.*{choice}")).click()
        robin.page.get_by_role("button", name=re.compile(f"Withdraw.*{choice}")).wait_for()
    robin.look("consented")

    # --- a staff member starts a project, chooses a measure, adds the service user -------
    sam.sign_in("Sam Nurse")
    sam.go("/projects")
    sam.look("projects")
    sam.page.get_by_role("link", name="Start a project").first.click()
    title = f"Quicker pain relief at night {suffix}"
    sam.page.get_by_label("Title").fill(title)
    sam.page.get_by_label("What is it about?").fill("People wait too long for pain relief at night.")
    sam.page.get_by_label("What will improve, and for whom?").fill(
        "Minutes waiting for pain relief at night on Ward 3")
    sam.page.get_by_label("By how much?").fill("half")
    sam.page.get_by_label("By when?").fill((datetime.now(UTC).date() + timedelta(days=200)).isoformat())
    sam.look("start-project")
    sam.page.get_by_role("button", name="Start the project").click()
    sam.page.wait_for_url(re.compile(r".*/projects/[0-9a-f-]{36}$"))
    project_id = sam.page.url.rsplit("/", 1)[1]
    sam.look("project-started")
    sam.page.get_by_text("Choose something to measure").click()
    sam.page.get_by_label("Name", exact=True).fill("Minutes waiting for pain relief")
    sam.page.get_by_label("What kind of measure it is").select_option("OUTCOME")
    sam.page.get_by_label("What it is counted in").fill("minutes")
    sam.page.get_by_label("Which way is better").select_option("DOWN")
    sam.look("choose-measure")
    sam.page.get_by_role("button", name="Add the measure").click()
    sam.page.locator("form.record-form").wait_for()
    sam.page.get_by_role("link", name="Add someone to the team").click()
    sam.look("add-to-team")
    sam.page.get_by_label("Who is joining").select_option(robin_id)
    sam.page.get_by_label(re.compile("Service user partner")).check()
    sam.page.get_by_role("button", name="Add to the team").click()
    team = sam.page.locator("#team li.team-member", has_text=name)
    assert "Service user partner" in team.inner_text()
    sam.look("team")

    # --- a thank-you shows on the service user's open wall, live --------------------------
    robin.go("/wall")
    robin.look("wall")
    robin.page.evaluate("() => { window.storyNoReload = true }")
    live = robin.page.locator("#live-status")  # the wall says when it is updating by itself
    live.filter(has_text="New celebrations appear here as they happen.").wait_for()
    sam.go(f"/people/{robin_id}")
    sam.look("person-card")
    thanks = f"Thank you for joining the pain relief project, {name}!"
    sam.page.get_by_label(re.compile("Your message to")).fill(thanks)
    sent = time.monotonic()
    sam.page.get_by_role("button", name="Send thank-you").click()
    robin.page.locator("#wall li", has_text=thanks).wait_for(timeout=2_000)
    shown_after = time.monotonic() - sent
    assert shown_after < 2.0, shown_after
    assert robin.page.evaluate("() => window.storyNoReload === true")  # no reload happened
    robin.look("wall-thanked")

    # --- values recorded until the chart shows an improvement -----------------------------
    sam.go(f"/projects/{project_id}")
    first_week = datetime.now(UTC).date() - timedelta(weeks=len(WEEKS))
    for week, value in enumerate(WEEKS):
        form = sam.page.locator("form.record-form").first
        form.get_by_label("Date").fill((first_week + timedelta(weeks=week)).isoformat())
        form.get_by_label("Value").fill(str(value))
        with sam.page.expect_response(lambda r: r.url.endswith("/data") and r.request.method == "POST"):
            form.get_by_role("button", name="Save the value").click()
        points = sam.page.locator("svg circle.spc-point")
        points.nth(week).wait_for()  # the chart was redrawn in place with the new value
        assert points.count() == week + 1
    news = sam.text(".measure")
    assert "This looks like a real improvement" in news, news
    assert robin.page.evaluate("() => window.storyNoReload === true")
    sam.look("chart-improved")
    check_chart_against_the_api(sam, stack, project_id)

    # ... and the celebration appears on the service user's open wall
    badge = robin.page.locator("#wall li", has_text="Made a measurable difference").filter(
        has_text=name)
    badge.wait_for(timeout=20_000)
    robin.page.locator("#wall li", has_text="Improvement shown").filter(has_text=title).wait_for()
    robin.look("wall-celebrates")

    # --- the service user downloads the certificate, and checking it says it is genuine ---
    robin.go("/me")
    earned = robin.page.locator("li", has_text="Made a measurable difference").first
    earned.wait_for()
    robin.look("profile-badges")
    with robin.page.expect_download() as download:
        earned.get_by_role("link", name=re.compile("Download certificate")).click()
    certificate = Path(download.value.path())
    assert certificate.read_text().count(".") == 2  # a signed JWT: header.claims.signature
    earned.get_by_role("link", name=re.compile("Check it is genuine")).click()
    assert "This certificate is genuine" in robin.text()
    robin.look("badge-check")
    stranger = window("anyone")  # someone the certificate was sent to, not signed in
    stranger.go("/badges/check")
    stranger.page.locator("#certificate-file").set_input_files(str(certificate))
    stranger.page.get_by_role("button", name="Check certificate").click()
    assert "This certificate is genuine" in stranger.text()
    assert "Made a measurable difference" in stranger.text()
    stranger.look("badge-check-upload")

    # --- consent withdrawn takes the name off the other organisation's wall ---------------
    jo.sign_in("Jo Organiser")
    jo.go("/wall?scope=network")
    jo.page.locator("#wall li", has_text=thanks).wait_for()
    assert name in jo.page.locator("#wall li", has_text=thanks).inner_text()
    jo.look("network-wall")
    robin.go("/me")
    robin.page.get_by_role("button", name=re.compile("Withdraw.*your name across the network")).click()
    robin.page.get_by_role("button", name=re.compile("I agree.*your name across the network")).wait_for()
    robin.look("withdrawn")
    jo.page.reload()
    jo.page.locator("#wall li").first.wait_for()
    assert name not in jo.text("#wall")
    assert thanks not in jo.text("#wall")
    jo.look("network-wall-after")
    jo_token = network.token(str(stack.account("Jo Organiser").member_id), None, "hero")
    feed = network.data(NETWORK_WALL, token=jo_token)["celebrationFeed"]["edges"]
    assert [e for e in feed if name in str(e)] == []
    # ... while the service user's own organisation still sees the thank-you
    robin.go("/wall")
    assert thanks in robin.text("#wall")


def check_chart_against_the_api(window: Window, stack: SignInNetwork, project_id: str) -> None:
    """The chart's points, limits and colours are the API's numbers and signals."""
    sam = stack.account("Sam Nurse")
    token = stack.network.token(str(sam.member_id), None, "hero")
    project = stack.network.data(CHART, {"id": project_id}, token=token)["project"]
    [measure] = project["measures"]
    chart = measure["chart"]
    nature = {point_id: signal["nature"] for signal in chart["signals"]
              for point_id in signal["pointIds"]}
    svg = window.page.locator(f"#measure-{measure['id']} svg").first
    circles = svg.locator("circle.spc-point")
    drawn = {circles.nth(i).get_attribute("data-point-id"): circles.nth(i) for i in range(circles.count())}
    assert set(drawn) == {point["pointId"] for point in chart["points"]}
    for point in chart["points"]:
        circle = drawn[point["pointId"]]
        assert float(circle.get_attribute("data-value") or "nan") == point["value"]
        assert circle.get_attribute("fill") == FILL[nature.get(point["pointId"])], point
    [segment] = chart["segments"]
    for selector, value in (("line.spc-centre", segment["centre"]),
                            ("line.spc-limit--upper", segment["upperLimit"]),
                            ("line.spc-limit--lower", segment["lowerLimit"])):
        line = svg.locator(selector).first
        assert math.isclose(float(line.get_attribute("data-value") or "nan"), value), selector
    # The last week is drawn below the lower limit line (SVG's y grows downwards).
    last = drawn[chart["points"][-1]["pointId"]]
    lower_y = float(svg.locator("line.spc-limit--lower").first.get_attribute("y1") or "nan")
    assert float(last.get_attribute("cy") or "nan") > lower_y
    assert nature.get(chart["points"][-1]["pointId"]) == "IMPROVEMENT"
    assert sum(1 for n in nature.values() if n == "IMPROVEMENT") >= 1
