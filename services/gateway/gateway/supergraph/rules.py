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
                problems += _field_types_agree(definition, field)
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


def _field_types_agree(definition: TypeDef, field: FieldDef) -> list[str]:
    types = {source.subgraph: source.type for source in field.sources.values()}
    if len(set(types.values())) <= 1:
        return []
    described = ", ".join(f"{t} in {s}" for s, t in sorted(types.items()))
    return [f"field {definition.name}.{field.name} has conflicting types: {described}"]


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
            if len(everywhere) != len(definition.values):
                partial = sorted(set(definition.values) - everywhere)
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
