"""A person at a browser window on the portal: signing in through the development sign-in page,
and looking at each page the way the story tests must (a screenshot, and no serious or critical
accessibility problem)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Shot = Callable[[Any, str], Path]
Axe = Callable[[Any], list[dict[str, Any]]]


@dataclass
class Window:
    """One person's browser window (a browser context of its own: no shared cookies)."""

    page: Any
    portal_url: str
    who: str
    axe_check: Axe
    screenshot: Shot
    seen: list[str] = field(default_factory=list)  # the screenshots taken, by name

    def go(self, path: str) -> None:
        self.page.goto(self.portal_url + path)

    def sign_in(self, account_name: str) -> None:
        """Through the development sign-in page, choosing a demo account's button."""
        self.go("/auth/sign-in?next=/")
        self.page.get_by_role("button", name=re.compile("^" + re.escape(account_name))).click()
        self.page.wait_for_url(self.portal_url + "/**")

    def look(self, name: str) -> None:
        """A screenshot of the page as it is now; fails on any serious or critical axe finding."""
        shot = f"{self.who}-{len(self.seen) + 1:02d}-{name}"
        self.screenshot(self.page, shot)
        self.seen.append(shot)
        problems = self.axe_check(self.page)
        assert problems == [], f"accessibility problems on {name} ({self.page.url}): {problems}"

    def text(self, selector: str = "main") -> str:
        return " ".join(self.page.locator(selector).inner_text().split())
