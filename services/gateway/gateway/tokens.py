"""Counting a GraphQL document's tokens at C speed, to refuse a far too large one without parsing it."""

from __future__ import annotations

import re

# The lexer's tokens. Names and punctuators, the most common, come first; each kind starts with
# characters no other kind starts with (a block string's `"""` before a string's `"`), so the
# order changes nothing but speed. What is inside a string or a comment counts once.
_TOKEN = re.compile(
    r"[_A-Za-z][_0-9A-Za-z]*"  # name
    r"|[!$&():=@\[\]{|}]"  # punctuator
    r'|"""(?:\\"""|[^"]|"(?!""))*"""'  # block string
    r'|"(?:[^"\\\n\r]|\\.)*"'  # string
    r"|#[^\n\r]*"  # comment (the parser's token limit counts comments too)
    r"|\.\.\."  # spread
    r"|-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"  # number
)


def count_tokens(document: str) -> int:
    """The number of lexical tokens (comments included) in `document`, as graphql-core counts them for
    a well-formed document; for a malformed one, roughly that."""
    return _TOKEN.subn("", document)[1]


def more_tokens_than(document: str, limit: int) -> bool:
    # Every token takes at least one character: a short text needs no counting; a long one is
    # counted only as far as one token past the limit.
    return len(document) > limit and _TOKEN.subn("", document, count=limit + 1)[1] > limit
