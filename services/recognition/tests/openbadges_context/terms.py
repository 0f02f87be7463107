"""Which terms of a JSON-LD document its contexts leave undefined: a term check, not an expansion.

A term that no context defines is dropped by JSON-LD expansion (or, for a `type` value, becomes
a relative IRI), so a verifier that processes the credential as JSON-LD silently loses it or, in
safe mode, rejects the credential. The scoping follows JSON-LD 1.1: a context scoped to a type
applies to the node of that type only, one scoped to a property to that property's value and
everything below it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

Context = dict[str, Any]


def undefined_terms(document: Mapping[str, Any], published: Mapping[str, Any]) -> list[str]:
    """Each property name and `type` value in `document` that no term definition covers, as
    `$.path.property` or `$.path.type = Value`. Context URLs are looked up in `published`
    (URL -> context document) only: one that is not there raises KeyError, never a fetch.
    """
    return list(_undefined(document, {}, "$", published))


def _undefined(
    node: Mapping[str, Any], inherited: Context, path: str, published: Mapping[str, Any]
) -> Iterator[str]:
    if "@context" in node:
        inherited = _merged(inherited, node["@context"], published)
    local = inherited
    type_keys = [key for key in node if key == "@type" or inherited.get(key) == "@type"]
    # Type values are read with the context the node inherited; their scoped contexts then apply,
    # in lexicographical order of the types, to this node alone.
    for key in type_keys:
        for value in sorted(_as_list(node[key])):
            definition = inherited.get(value)
            if definition is None:
                yield f"{path}.{key} = {value}"
            elif isinstance(definition, dict) and "@context" in definition:
                local = _merged(local, definition["@context"], published)
    for key, value in node.items():
        if key.startswith("@") or key in type_keys:
            continue
        if key not in local:
            yield f"{path}.{key}"
            continue
        definition = local[key]
        if isinstance(definition, str):
            if definition.startswith("@"):  # an alias of a keyword, such as `id`
                continue
            definition = {"@id": definition}
        if definition.get("@type") == "@json":
            continue
        below = inherited
        if "@context" in definition:
            below = _merged(inherited, definition["@context"], published)
        for index, item in enumerate(_as_list(value)):
            where = f"{path}.{key}" if not isinstance(value, list) else f"{path}.{key}[{index}]"
            if isinstance(item, dict) and "@value" not in item:
                yield from _undefined(item, below, where, published)
            elif (
                definition.get("@type") == "@vocab"
                and isinstance(item, str)
                and item not in below
            ):
                yield f"{where} = {item}"


def _merged(active: Context, context: Any, published: Mapping[str, Any]) -> Context:
    result = dict(active)
    for entry in _as_list(context):
        if entry is None:
            result = {}
        elif isinstance(entry, str):
            result = _merged(result, published[entry]["@context"], published)
        else:
            for term, definition in entry.items():
                if term.startswith("@"):
                    continue
                if definition is None:
                    result.pop(term, None)
                else:
                    result[term] = definition
    return result


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
