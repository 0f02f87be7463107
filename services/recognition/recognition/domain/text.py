"""Plain-text checks for what people write (kudos, nominations, badge texts)."""

from __future__ import annotations

import re
import unicodedata

from recognition.domain.errors import NotPlainText, TextRequired, TextTooLong

# Something that looks like web page markup: "<b>", "</p>", "<!--", "<script".
_MARKUP = re.compile(r"<\s*[/!?a-zA-Z]")
# Line breaks, tabs, and the zero-width joiner that emoji sequences (family, flags) use.
_ALLOWED_FORMAT = frozenset("\n\t\u200d")


def plain_text(
    value: str,
    *,
    field: str,
    limit: int,
    too_long: type[TextTooLong] = TextTooLong,
    required: bool = True,
) -> str:
    """`value` trimmed, checked to be plain text of at most `limit` characters.

    Line breaks and tabs are kept; other control and format characters (which can
    hide text or reverse its direction) are refused, as is anything that looks like
    markup, because feeds and wallboards may show the text as it is.
    """
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        if required:
            raise TextRequired(field)
        return ""
    if len(text) > limit:
        raise too_long(field, limit)
    if _MARKUP.search(text):
        raise NotPlainText(field)
    for character in text:
        if character in _ALLOWED_FORMAT:
            continue
        if unicodedata.category(character) in {"Cc", "Cf", "Co", "Cs"}:
            raise NotPlainText(field)
    return text
