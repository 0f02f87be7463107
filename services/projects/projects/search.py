"""Similar-work search terms: the words of a description, plus everyday synonyms used in care. Pure."""

from __future__ import annotations

import re

# People describe the same work in different words; PostgreSQL's English stemming joins
# "fall", "falls" and "falling", and these join words it cannot know are alike.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "elderly": ("older", "frail"),
    "older": ("elderly", "frail"),
    "frail": ("elderly", "older"),
    "night": ("overnight", "nocturnal"),
    "overnight": ("night",),
    "nights": ("overnight",),
    "ward": ("inpatient", "inpatients"),
    "inpatient": ("ward",),
    "inpatients": ("ward",),
    "medication": ("medicine", "medicines", "drug", "prescription"),
    "medicine": ("medication",),
    "medicines": ("medication",),
    "drug": ("medication",),
    "discharge": ("leaving", "transfer"),
    "children": ("paediatric", "child", "young"),
    "kids": ("children", "paediatric"),
    "paediatric": ("children", "child"),
    "pediatric": ("paediatric", "children"),
    "gp": ("general", "practice", "primary"),
    "waiting": ("wait", "delay", "delays"),
    "delay": ("wait", "waiting"),
    "delays": ("wait", "waiting"),
    "carer": ("caregiver", "family"),
    "carers": ("caregiver", "family"),
    "caregiver": ("carer",),
    "loneliness": ("isolation", "lonely"),
    "lonely": ("loneliness", "isolation"),
    "isolation": ("loneliness",),
    "bedsore": ("pressure", "ulcer"),
    "bedsores": ("pressure", "ulcer"),
    "sore": ("ulcer",),
    "sores": ("ulcer",),
    "ulcer": ("sore",),
    "mental": ("wellbeing", "psychological"),
    "wellbeing": ("mental",),
    "stop": ("prevent", "reduce"),
    "stopping": ("prevent", "reduce", "fewer"),
    "prevent": ("reduce", "fewer"),
    "reduce": ("fewer", "prevent"),
    "fewer": ("reduce",),
}

MAX_TERMS = 64


def tsquery_terms(text: str) -> str:
    """An OR-query (`a | b | c`) for `to_tsquery('english', ...)` from the words of `text`.

    Only letters and digits reach the query, so nothing a person types can change its syntax.
    """
    words = [word for word in re.findall(r"[a-z0-9]+", text.lower()) if len(word) > 1]
    terms: list[str] = []
    for word in words:
        terms.append(word)
        terms.extend(SYNONYMS.get(word, ()))
    return " | ".join(list(dict.fromkeys(terms))[:MAX_TERMS])
