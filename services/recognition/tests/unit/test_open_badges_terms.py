"""The JSON-LD term check behind the Open Badges context test finds what a context leaves out."""

from __future__ import annotations

import re

import pytest

from ..openbadges_context.terms import undefined_terms

BASE = "https://example.org/base"
PUBLISHED = {
    BASE: {
        "@context": {
            "id": "@id",
            "type": "@type",
            "name": "https://schema.org/name",
            "Gadget": {
                "@id": "https://example.org/Gadget",
                "@context": {"colour": "https://example.org/colour"},
            },
            "part": {"@id": "https://example.org/part"},
            "holder": {
                "@id": "https://example.org/holder",
                "@context": {"size": "https://example.org/size"},
            },
        }
    }
}


def test_it_reports_each_property_and_type_no_context_defines() -> None:
    document = {
        "@context": [BASE],
        "type": ["Gadget", "Widget"],
        "name": "A gadget",
        "colour": "red",
        "weight": 3,
        # A type's context is for its own node: the part does not get `colour` from Gadget.
        "part": {"colour": "blue"},
        # A property's context carries down: `size` holds at every depth below `holder`.
        "holder": {"size": 2, "holder": {"size": 1}},
    }

    assert undefined_terms(document, PUBLISHED) == ["$.type = Widget", "$.weight", "$.part.colour"]


def test_a_context_that_was_not_published_is_never_fetched() -> None:
    elsewhere = "https://example.org/elsewhere"

    with pytest.raises(KeyError, match=re.escape(elsewhere)):
        undefined_terms({"@context": [elsewhere], "name": "x"}, PUBLISHED)
