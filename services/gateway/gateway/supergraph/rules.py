"""Composition rules of Federation v2 that the gateway enforces, each problem named by subgraph and type."""

from __future__ import annotations

from graphql import FieldNode

from gateway.supergraph.model import FieldDef, TypeDef

ROOT_TYPES = frozenset({"Query", "Mutation", "Subscription"})


def check_rules(types: dict[str, TypeDef]) -> list[str]:
    problems: list[str] = []
    for definition in types.values():
        if definition.kind in ("object", "interface"):
            _apply_overrides(definition, problems)
            for field in definition.fields.values():
                problems += _field_types_agree(definition, field, types)
                if definition.kind == "object":
                    problems += _field_defined_once_or_shareable(definition, field)
            if definition.kind == "object":
                problems += _entities_reachable(definition)
    problems += _merge_enums(types)
    problems += _merge_inputs(types)
    problems += _unknown_types(types)
    return problems


def key_fields(definition: TypeDef, subgraph: str) -> set[str]:
    """Top-level field names used in any of the type's keys in one subgraph."""
    names: set[str] = set()
    for key in definition.keys.get(subgraph, []):
        names |= {s.name.value for s in key.fields.selections if isinstance(s, FieldNode)}
    return names


def _apply_overrides(definition: TypeDef, problems: list[str]) -> None:
    """`@override(from: "old")`: the field moved; the old subgraph no longer resolves it."""
    for field in definition.fields.values():
        for source in list(field.sources.values()):
            if source.override_from is None:
                continue
            old = field.sources.get(source.override_from)
            if old is None:
                continue  # overriding a subgraph that never had it is harmless
            if old.override_from == source.subgraph:
                problems.append(f"field {definition.name}.{field.name}: {source.subgraph} and {old.subgraph} "
                                "override each other")
                continue
            old.external = True  # still usable as a key or @requires input, never resolved there


def _field_types_agree(definition: TypeDef, field: FieldDef, types: dict[str, TypeDef]) -> list[str]:
    """Subgraphs may disagree on a field's type only as Federation v2 allows for output: one may be
    non-null where another is nullable, or return a member of the union or interface another
    returns. The supergraph then carries the most general type; each subgraph keeps its own."""
    declared = {source.subgraph: source.type for source in field.sources.values()}
    if len(set(declared.values())) <= 1:
        return []
    merged = _most_general(list(declared.values()), types)
    if merged is not None:
        field.type = merged
        return []
    described = ", ".join(f"{t} in {s}" for s, t in sorted(declared.items()))
    return [f"field {definition.name}.{field.name} has conflicting types: {described}"]


def _most_general(type_texts: list[str], types: dict[str, TypeDef]) -> str | None:
    shapes = [_wrappers(text) for text in type_texts]
    if len({tuple(lists for lists, _ in wrappers) for wrappers, _ in shapes}) != 1:
        return None  # list nesting differs
    names = {name for _, name in shapes}
    named = names.pop() if len(names) == 1 else _common_supertype(names, types)
    if named is None:
        return None
    text = named
    for depth in range(len(shapes[0][0]) - 1, -1, -1):
        lists, _ = shapes[0][0][depth]
        required = all(wrappers[depth][1] for wrappers, _ in shapes)
        text = (f"[{text}]" if lists else text) + ("!" if required else "")
    return text


def _wrappers(type_text: str) -> tuple[list[tuple[bool, bool]], str]:
    """[(is a list, is non-null), ...] from the outside in, and the named type."""
    wrappers: list[tuple[bool, bool]] = []
    text = type_text.strip()
    while True:
        required = text.endswith("!")
        text = text.removesuffix("!")
        if text.startswith("["):
            wrappers.append((True, required))
            text = text[1:-1]
        else:
            wrappers.append((False, required))
            return wrappers, text


def _common_supertype(names: set[str], types: dict[str, TypeDef]) -> str | None:
    for candidate in names:
        definition = types.get(candidate)
        if definition is None or definition.kind not in ("union", "interface"):
            continue
        members = set(definition.members) if definition.kind == "union" else {
            t.name for t in types.values() if candidate in t.interfaces}
        if names - {candidate} <= members:
            return candidate
    return None


def _field_defined_once_or_shareable(definition: TypeDef, field: FieldDef) -> list[str]:
    resolving = [s for s in field.sources.values() if not s.external]
    if len(resolving) < 2:
        return []
    unshareable = [
        s.subgraph for s in resolving
        if not s.shareable and field.name not in key_fields(definition, s.subgraph)
    ]
    if not unshareable:
        return []
    where = ", ".join(sorted(s.subgraph for s in resolving))
    return [
        f"field {definition.name}.{field.name} is resolved by several subgraphs ({where}) but is not "
        f"marked @shareable in {', '.join(sorted(unshareable))}"
    ]


def _entities_reachable(definition: TypeDef) -> list[str]:
    """A subgraph adding fields to an entity must have a resolvable key, or nobody can reach them."""
    if not definition.is_entity or definition.name in ROOT_TYPES:
        return []
    problems = []
    for subgraph in sorted(definition.subgraphs):
        own = [
            f.name for f in definition.fields.values()
            if f.resolvable_in(subgraph) and f.name not in key_fields(definition, subgraph)
            and not _shared_everywhere(definition, f, subgraph)
        ]
        if own and not definition.resolvable_keys(subgraph):
            problems.append(
                f"entity {definition.name} has fields in subgraph {subgraph} ({', '.join(sorted(own))}) but "
                f"{subgraph} has no resolvable @key for it, so those fields can never be fetched"
            )
    return problems


def _shared_everywhere(definition: TypeDef, field: FieldDef, subgraph: str) -> bool:
    """A shareable field some other subgraph with a resolvable key also serves."""
    source = field.sources[subgraph]
    return source.shareable and any(
        s.subgraph != subgraph and not s.external and definition.resolvable_keys(s.subgraph)
        for s in field.sources.values()
    )


def _merge_enums(types: dict[str, TypeDef]) -> list[str]:
    """Output-only enums take every value; input-only ones the values all agree on; both: identical."""
    used_as_input, used_as_output = _enum_usage(types)
    problems = []
    for definition in types.values():
        if definition.kind != "enum" or len(definition.subgraphs) < 2:
            continue
        everywhere = {v for v, entry in definition.values.items() if entry.subgraphs >= definition.subgraphs}
        if definition.name in used_as_input and definition.name in used_as_output:
            # A value some subgraph lacks is allowed only hidden from the API (@inaccessible).
            partial = sorted(v for v, entry in definition.values.items()
                             if v not in everywhere and not entry.inaccessible)
            if partial:
                problems.append(f"enum {definition.name} is used for input and output, so every subgraph must "
                                f"define the same values; not everywhere: {', '.join(partial)}")
        elif definition.name in used_as_input:
            for name in set(definition.values) - everywhere:
                del definition.values[name]
    return problems


def _merge_inputs(types: dict[str, TypeDef]) -> list[str]:
    """Input types keep only the fields every subgraph defining them knows; a required field some
    subgraph lacks is an error, since that subgraph could never receive it."""
    problems = []
    for definition in types.values():
        if definition.kind != "input" or len(definition.subgraphs) < 2:
            continue
        for name, arg in list(definition.input_fields.items()):
            known_in = definition.input_field_subgraphs.get(name, set())
            if known_in >= definition.subgraphs:
                continue
            if arg.type.endswith("!") and arg.default is None:
                missing = ", ".join(sorted(definition.subgraphs - known_in))
                problems.append(f"input field {definition.name}.{name} is required but not defined in {missing}")
            else:
                del definition.input_fields[name]
    return problems


def _enum_usage(types: dict[str, TypeDef]) -> tuple[set[str], set[str]]:
    inputs: set[str] = set()
    outputs: set[str] = set()
    for definition in types.values():
        for field in definition.fields.values():
            outputs.add(field.named_type)
            for arg in field.args.values():
                inputs.add(arg.type.replace("[", "").replace("]", "").replace("!", ""))
        for arg in definition.input_fields.values():
            inputs.add(arg.type.replace("[", "").replace("]", "").replace("!", ""))
    return inputs, outputs


def _unknown_types(types: dict[str, TypeDef]) -> list[str]:
    known = set(types) | {"String", "Int", "Float", "Boolean", "ID"}
    problems = []
    for definition in types.values():
        for field in definition.fields.values():
            if field.named_type not in known:
                problems.append(f"field {definition.name}.{field.name} returns unknown type {field.named_type}")
    return problems
