"""Reading rendered pages in the portal's unit tests."""

from __future__ import annotations

import re
from html import unescape


def text(html: str) -> str:
    """The page's words, as a reader meets them: tags dropped, spaces collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"</?(a|span|time|strong|em|abbr)\b[^>]*>", "", html)  # inline: no space
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()
