"""Browser tests: headless Chromium through Playwright, accessibility checks with axe-core, and a
network of its own with demo data, the development sign-in service and the portal.

Fixtures:
- `browser`: a Playwright Chromium `Browser` (Debian's Chromium, installed here when missing).
- `page`: a fresh browser context and page per test; a failing test leaves a screenshot.
- `axe_check(page)`: the page's serious and critical accessibility violations (want: []).
- `screenshot(page, name)`: saves `<name>.png` in this run's screenshot folder, returns its path.
- `signin_network`: the whole network (see tests/conftest.py) with the demo seed, the
  development OpenID provider and the portal, started once for this package of tests.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from devstack.browsers import LAUNCH_ARGS, ChromiumUnavailable, ensure_chromium
from devstack.kafka import free_ports
from devstack.oidc.members import DemoAccount, load_accounts
from devstack.run import seed, wait_ready
from devstack.servers import cache_root
from devstack.services import REPO
from devstack.signin import SignIn, write_accounts

from . import axe

if TYPE_CHECKING:
    from ..conftest import Network

TEST_CLIENT_ID = "heroes-browser-tests"
SCREENSHOTS: list[Path] = []
FAILED = pytest.StashKey[bool]()  # set on each test item: did its call fail?


def screenshot_dir() -> Path:
    """Outside the run's own folder, which `make test` deletes when it ends."""
    run = Path(os.environ.get("HEROES_TEST_ROOT", f"run-{os.getpid()}")).name
    return (
        Path(os.environ.get("HEROES_SCREENSHOT_DIR", REPO / ".local" / "test" / "screenshots"))
        / run
    )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if SCREENSHOTS:
        terminalreporter.write_line(
            f"browser tests: {len(SCREENSHOTS)} screenshot(s) in {SCREENSHOTS[0].parent}"
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


# --- the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def chromium_executable(pytestconfig: pytest.Config) -> Path:
    """Debian's Chromium, installed (visibly: this can take a minute) when it is missing."""
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        try:
            return ensure_chromium(cache_root())
        except ChromiumUnavailable as error:
            pytest.fail(f"Browser tests cannot run: {error}", pytrace=False)


@pytest.fixture(scope="package")
def browser(chromium_executable: Path) -> Iterator[Any]:
    """Playwright drives the system's Chromium: Playwright's own browser download cannot work here.
    Each launch gets a fresh, temporary profile (Playwright makes a new user-data-dir)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_executable), headless=True, args=list(LAUNCH_ARGS)
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page in a context of its own (no cookies shared between tests). CSP is bypassed so that
    axe can be injected into pages that forbid inline scripts."""
    context = browser.new_context(
        locale="en-GB", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        if request.node.stash.get(FAILED, False):
            _save(page, f"FAILED-{request.node.name}")
        context.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    try:
        return axe.script()
    except axe.AxeUnavailable as error:
        pytest.fail(f"Accessibility checks cannot run: {error}", pytrace=False)


@pytest.fixture
def axe_check(axe_script: Path) -> Callable[[Any], list[dict[str, Any]]]:
    """`axe_check(page)`: serious and critical violations on the page as it is now."""
    return lambda page: axe.blocking_violations(page, axe_script)


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """`screenshot(page, name)`: the whole page as `<name>.png`; returns the file's path."""
    return _save


def _save(page: Any, name: str) -> Path:
    path = screenshot_dir() / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    SCREENSHOTS.append(path)
    return path


# --- the network people sign in to ----------------------------------------------------------


@dataclass
class SignInNetwork:
    network: Network  # gateway, tokens, supervisor, env ... (tests/conftest.py)
    sign_in: SignIn
    accounts: list[DemoAccount]  # the demo members, as the sign-in page lists them
    test_callback: str  # registered for TEST_CLIENT_ID; nothing listens there (tests intercept it)

    @property
    def oidc_url(self) -> str:
        return self.sign_in.oidc_url

    @property
    def portal_url(self) -> str:
        return self.sign_in.portal_url

    def account(self, name_starts: str) -> DemoAccount:
        return next(account for account in self.accounts if account.name.startswith(name_starts))


@pytest.fixture(scope="package")
def signin_network(
    network_factory: Callable[[str], AbstractContextManager[Network]],
) -> Iterator[SignInNetwork]:
    started = time.monotonic()
    with network_factory("browser") as network:
        assert network.run_dir is not None
        reported = seed(network.env)
        oidc_port, portal_port, callback_port = free_ports(3)
        callback = f"http://127.0.0.1:{callback_port}/callback"
        sign_in = SignIn(
            gateway_url=network.gateway,
            oidc_port=oidc_port,
            portal_port=portal_port,
            keys_dir=network.tokens.keys,
            accounts_file=network.run_dir / "demo-accounts.json",
            session_secret=secrets.token_urlsafe(32),
            extra_clients={TEST_CLIENT_ID: {"redirect_uris": [callback]}},
        )
        write_accounts(sign_in.accounts_file, reported.get("demo_accounts", []))
        wait_ready(network.supervisor, sign_in.start(network.supervisor, network.env), timeout=60)
        print(f"signin_network ready in {time.monotonic() - started:.1f}s")  # noqa: T201 - shown with -s
        yield SignInNetwork(network, sign_in, load_accounts(sign_in.accounts_file), callback)
