"""Text rules shared by every membership record: trimmed, bounded, never empty when required."""

from __future__ import annotations

from collections.abc import Iterable

from servicekit.errors import InvalidInput

TAG_MAX = 40
TAGS_MAX = 20


def clean_text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    """Trim `value` and enforce a length limit, with a plain-English error naming the field."""
    cleaned = " ".join(value.split())
    if required and not cleaned:
        raise InvalidInput(f"Please give a {label}.", field=field)
    if len(cleaned) > max_length:
        raise InvalidInput(f"The {label} is too long: at most {max_length} characters, please.", field=field)
    return cleaned


def clean_tags(values: Iterable[str], *, field: str, label: str) -> tuple[str, ...]:
    """Short labels such as interests or skills: trimmed, de-duplicated, bounded in size and number."""
    seen: dict[str, str] = {}
    for value in values:
        tag = clean_text(value, field=field, label=label, max_length=TAG_MAX, required=False)
        if tag and tag.lower() not in seen:
            seen[tag.lower()] = tag
    if len(seen) > TAGS_MAX:
        raise InvalidInput(f"Please choose at most {TAGS_MAX} {label}s.", field=field)
    return tuple(seen.values())
