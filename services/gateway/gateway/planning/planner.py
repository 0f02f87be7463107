"""The query planner: splits an operation into subgraph fetches joined through entity keys.

Each selection is planned against a current subgraph. A field that subgraph can resolve
stays in its fetch; any other field of an entity becomes part of a dependent `_entities`
fetch to a subgraph that can resolve it, after the key (and any `@requires` fields) are
added to the parent fetch so representations can be built. Abstract positions are split
into one inline fragment per concrete type the subgraph can return.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from graphql import (
    DirectiveNode,
    FieldNode,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    SelectionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    print_ast,
)

from gateway.planning.operation import Operation, response_key
from gateway.planning.plan import FetchNode, KeyPart, Path, QueryPlan
from gateway.planning.provided import Provided, is_provided, merge_provided, provided_from
from gateway.planning.selections import (
    alias,
    arguments,
    dedupe,
    directives,
    fields_of,
    flatten_root,
    for_type,
    keys_of,
    response_keys,
    wrap,
)
from gateway.supergraph.model import FieldDef, Key, Supergraph

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
KEY_ALIAS_PREFIX = "_gw_k_"

# {type name: {field name: what is provided below that field, or None}}


class PlanningError(Exception):
    """The operation asks for something no subgraph can reach (a composition gap)."""


@dataclass
class Emission:
    parts: list[str] = field(default_factory=list)
    variables: set[str] = field(default_factory=set)
    children: list[FetchNode] = field(default_factory=list)

    def absorb(self, other: Emission) -> None:
        self.parts += other.parts
        self.variables |= other.variables
        self.children += other.children

    @property
    def text(self) -> str:
        return " ".join(self.parts)


class Planner:
    def __init__(self, supergraph: Supergraph) -> None:
        self.sg = supergraph

    # --- roots -------------------------------------------------------------------------------

    def plan(self, operation: Operation) -> QueryPlan:
        root_type = self.sg.root_types.get(operation.kind)
        if root_type is None:
            raise PlanningError(f"This API has no {operation.kind} operations.")
        flat = flatten_root(operation.selections, ())
        introspection = tuple(response_key(f) for f, _ in flat if f.name.value in INTROSPECTION_FIELDS)
        fields = [(f, w) for f, w in flat if not f.name.value.startswith("__")]
        groups = self._group_roots(root_type, fields, sequential=operation.kind == "mutation")
        roots = []
        for subgraph, members in groups:
            selections = tuple(wrap(f, w) for f, w in members)
            emission = self.plan_fields(subgraph, root_type, selections, (), None)
            roots.append(FetchNode(
                subgraph=subgraph, selection=emission.text, variables=tuple(sorted(emission.variables)),
                children=emission.children, root_keys=tuple(response_key(f) for f, _ in members),
            ))
        variable_types = {name: print_ast(node) for name, node in operation.variable_definitions.items()}
        return QueryPlan(operation.kind, operation.name, roots, variable_types, introspection)

    def _group_roots(
        self, root_type: str, fields: list[tuple[FieldNode, tuple[tuple[DirectiveNode, ...], ...]]], *, sequential: bool
    ) -> list[tuple[str, list[tuple[FieldNode, tuple[tuple[DirectiveNode, ...], ...]]]]]:
        chosen: list[str] = []
        groups: list[tuple[str, list[tuple[FieldNode, tuple[tuple[DirectiveNode, ...], ...]]]]] = []
        for root_field, wrappers in fields:
            definition = self.sg.field(root_type, root_field.name.value)
            owners = sorted(s.subgraph for s in definition.sources.values() if not s.external)
            if not owners:
                raise PlanningError(f"No subgraph resolves {root_type}.{definition.name}.")
            subgraph = next((s for s in chosen if s in owners), owners[0])
            chosen.append(subgraph)
            if sequential:
                if groups and groups[-1][0] == subgraph:
                    groups[-1][1].append((root_field, wrappers))
                else:
                    groups.append((subgraph, [(root_field, wrappers)]))
            else:
                for name, members in groups:
                    if name == subgraph:
                        members.append((root_field, wrappers))
                        break
                else:
                    groups.append((subgraph, [(root_field, wrappers)]))
        return groups

    # --- one subgraph's selections ------------------------------------------------------------

    def plan_fields(
        self,
        subgraph: str,
        parent: str,
        selections: tuple[SelectionNode, ...],
        path: Path,
        provided: Provided | None,
    ) -> Emission:
        """Plan `selections` on concrete type `parent` as fetched from `subgraph`."""
        emission = Emission()
        jumps: dict[str, list[SelectionNode]] = defaultdict(list)
        client_keys = response_keys(selections)
        for selection in selections:
            if isinstance(selection, InlineFragmentNode):
                self._plan_fragment(subgraph, parent, selection, path, provided, emission, jumps)
                continue
            assert isinstance(selection, FieldNode)
            name = selection.name.value
            if name == "__typename":
                emission.parts.append(
                    alias(selection) + "__typename" + directives(selection.directives, emission.variables))
                continue
            definition = self.sg.field(parent, name)
            local = definition.resolvable_in(subgraph) or is_provided(provided, parent, name)
            if local and not self._satisfiable(subgraph, parent, selection, definition, provided):
                local = not self.sg.type(parent).is_entity  # fetch the whole field from a subgraph that has it all
            if local:
                emission.parts.append(self._emit_field(subgraph, parent, selection, definition, path, provided, emission))
            else:
                jumps[self._target_for(parent, definition, subgraph, list(jumps))].append(selection)
        for target, fields in jumps.items():
            self._jump(subgraph, parent, target, tuple(fields), path, provided, client_keys, emission)
        return emission

    def _satisfiable(
        self, subgraph: str, parent: str, node: FieldNode, definition: FieldDef, provided: Provided | None
    ) -> bool:
        """Can `subgraph` answer this field's whole sub-selection? Below an entity it can always
        jump onwards; below a value type (or a partially provided field) every field must be local."""
        target = self.sg.type(definition.named_type)
        if not target.is_composite or node.selection_set is None:
            return True
        below = self._provided_below(subgraph, parent, definition, provided)
        for concrete in self.sg.possible_types_in(definition.named_type, subgraph) or [definition.named_type]:
            child = self.sg.type(concrete)
            if child.is_entity and child.keys.get(subgraph):
                continue
            for selection in fields_of(for_type(self.sg, concrete, tuple(node.selection_set.selections))):
                name = selection.name.value
                if name == "__typename":
                    continue
                field = child.fields.get(name)
                if field is None:
                    continue
                if not (field.resolvable_in(subgraph) or is_provided(below, concrete, name)):
                    return False
                if not self._satisfiable(subgraph, concrete, selection, field, below):
                    return False
        return True

    def _plan_fragment(
        self, subgraph: str, parent: str, fragment: InlineFragmentNode, path: Path, provided: Provided | None,
        emission: Emission, jumps: dict[str, list[SelectionNode]],
    ) -> None:
        condition = fragment.type_condition.name.value if fragment.type_condition else None
        if condition is not None and parent not in self.sg.possible_types(condition) and condition != parent:
            return  # can never match this concrete type
        inner = self.plan_fields(subgraph, parent, tuple(fragment.selection_set.selections), path, provided)
        if fragment.directives:
            condition_text = directives(fragment.directives, emission.variables)
            emission.parts.append(f"...{condition_text} {{ {inner.text or '__typename'} }}")
        else:
            emission.parts += inner.parts
        emission.variables |= inner.variables
        emission.children += inner.children

    def _emit_field(
        self, subgraph: str, parent: str, node: FieldNode, definition: FieldDef, path: Path,
        provided: Provided | None, emission: Emission,
    ) -> str:
        text = (alias(node) + node.name.value + arguments(node, emission.variables)
                + directives(node.directives, emission.variables))
        target_type = self.sg.type(definition.named_type)
        if not target_type.is_composite:
            return text
        child_path = path + (response_key(node),) + ("@",) * definition.type.count("[")
        child_provided = self._provided_below(subgraph, parent, definition, provided)
        selections = tuple(node.selection_set.selections) if node.selection_set else ()
        inner = self._plan_composite(subgraph, definition.named_type, selections, child_path, child_provided)
        emission.variables |= inner.variables
        emission.children += inner.children
        return f"{text} {{ {inner.text} }}"

    def _plan_composite(
        self, subgraph: str, type_name: str, selections: tuple[SelectionNode, ...], path: Path,
        provided: Provided | None,
    ) -> Emission:
        definition = self.sg.type(type_name)
        if subgraph in definition.interface_object_in:
            return self._plan_interface_object(subgraph, type_name, selections, path)
        if not definition.is_abstract:
            inner = self.plan_fields(subgraph, type_name, selections, path, provided)
            if definition.is_entity and "__typename" not in inner.parts:
                inner.parts.insert(0, "__typename")
            return inner
        result = Emission(parts=["__typename"])
        for concrete in self.sg.possible_types_in(type_name, subgraph):
            branch = self.plan_fields(subgraph, concrete, for_type(self.sg, concrete, selections), path, provided)
            if branch.parts or branch.children:
                result.parts.append(f"... on {concrete} {{ {branch.text or '__typename'} }}")
                result.variables |= branch.variables
                result.children += branch.children
        return result

    def _plan_interface_object(
        self, subgraph: str, interface: str, selections: tuple[SelectionNode, ...], path: Path
    ) -> Emission:
        """`subgraph` sees the interface as an object: it answers with the interface's name, so the
        concrete type (and everything else) comes from a subgraph that defines the interface."""
        definition = self.sg.type(interface)
        result = Emission(parts=["__typename"])
        for key in definition.keys.get(subgraph, []):
            result.absorb(self.plan_fields(subgraph, interface, tuple(key.fields.selections), path, None))
        local = tuple(
            f for f in selections
            if isinstance(f, FieldNode) and f.name.value in definition.fields
            and definition.fields[f.name.value].resolvable_in(subgraph)
        )
        result.absorb(self.plan_fields(subgraph, interface, local, path, None))
        owner = next((s for s in sorted(definition.subgraphs)
                      if s not in definition.interface_object_in and definition.resolvable_keys(s)), None)
        if owner is None:
            raise PlanningError(f"no subgraph defines the interface {interface} with a resolvable key")
        key = definition.resolvable_keys(owner)[0]
        remaining = tuple(s for s in selections if s not in local)  # what this subgraph already gave is not asked again
        inner = self._plan_composite(owner, interface, remaining, path, None)
        result.children.append(FetchNode(
            subgraph=owner, selection=inner.text, variables=tuple(sorted(inner.variables)), path=path,
            entity_type=interface, representation=tuple(self._key_parts(key.fields)), children=inner.children,
            field_keys=tuple(response_keys(selections)), resolves_type=True,
        ))
        return result

    # --- jumps to other subgraphs -------------------------------------------------------------

    def _target_for(self, parent: str, definition: FieldDef, current: str, already: list[str]) -> str:
        """A subgraph to fetch the field from; for a @shareable field, one already asked at this level."""
        entity = self.sg.type(parent)
        candidates = sorted(
            s.subgraph for s in definition.sources.values()
            if not s.external and entity.resolvable_keys(s.subgraph)
        )
        for name in already:
            if name in candidates:
                return name
        if not candidates:
            raise PlanningError(
                f"{parent}.{definition.name} cannot be reached from subgraph {current}: "
                "no subgraph resolving it has a resolvable key for the type"
            )
        return candidates[0]

    def _jump(
        self, subgraph: str, parent: str, target: str, fields: tuple[SelectionNode, ...], path: Path,
        provided: Provided | None, client_keys: dict[str, str], emission: Emission,
    ) -> None:
        key = self._key_between(parent, subgraph, target, provided)
        before = len(emission.children)
        representation = list(self._emit_key(subgraph, parent, key.fields, path, provided, client_keys, emission))
        waits_for: list[FetchNode] = emission.children[before:]
        for selection in fields:
            assert isinstance(selection, FieldNode)
            requires = self.sg.field(parent, selection.name.value).sources[target].requires
            if requires is None:
                continue
            before = len(emission.children)
            representation += self._emit_key(subgraph, parent, requires, path, provided, client_keys, emission)
            waits_for += emission.children[before:]
        inner = self.plan_fields(target, parent, fields, path, None)
        node = FetchNode(
            subgraph=target, selection=inner.text, variables=tuple(sorted(inner.variables)), path=path,
            entity_type=parent, representation=tuple(dedupe(representation)), children=inner.children,
            field_keys=tuple(response_keys(fields)),
            represent_as=self.sg.type(parent).represented_as.get(target),
        )
        # A node needing @requires fields that other fetches bring runs after them.
        (waits_for[0].children if waits_for else emission.children).append(node)

    def _key_between(self, parent: str, source: str, target: str, provided: Provided | None) -> Key:
        """A key `target` resolves: one `source` can give directly, else one another subgraph can
        give once it has a key from `source` (a hop through that subgraph)."""
        entity = self.sg.type(parent)
        keys = entity.resolvable_keys(target)
        for key in keys:
            if self._selectable(source, parent, key.fields, provided):
                return key
        for key in keys:
            if self._reachable(source, parent, key.fields, provided):
                return key
        raise PlanningError(f"subgraph {source} cannot provide any key of {parent} that {target} accepts")

    def _reachable(self, source: str, parent: str, fields: SelectionSetNode, provided: Provided | None) -> bool:
        """Every key field can be fetched from some subgraph that `source` can reach directly."""
        entity = self.sg.type(parent)
        for selection in fields.selections:
            if not isinstance(selection, FieldNode):
                continue
            definition = entity.fields.get(selection.name.value)
            if definition is None:
                return False
            owners = [s.subgraph for s in definition.sources.values() if not s.external]
            if not any(
                any(self._selectable(source, parent, k.fields, provided) for k in entity.resolvable_keys(owner))
                for owner in owners
            ):
                return False
        return True

    def _selectable(self, subgraph: str, parent: str, fields: SelectionSetNode, provided: Provided | None) -> bool:
        for selection in fields.selections:
            if not isinstance(selection, FieldNode):
                continue
            definition = self.sg.types[parent].fields.get(selection.name.value)
            if definition is None:
                return False
            if not (definition.resolvable_in(subgraph) or is_provided(provided, parent, definition.name)
                    or definition.name in keys_of(self.sg, parent, subgraph)):
                return False
        return True

    def _emit_key(
        self, subgraph: str, parent: str, fields: SelectionSetNode, path: Path, provided: Provided | None,
        client_keys: dict[str, str], emission: Emission,
    ) -> list[KeyPart]:
        """Add key or @requires fields to the current fetch; returns how to read them back."""
        parts: list[KeyPart] = []
        if "__typename" not in emission.parts:
            emission.parts.append("__typename")
        for selection in fields.selections:
            assert isinstance(selection, FieldNode)
            name = selection.name.value
            # Another selection may use the same name (with other arguments): keep ours apart.
            clash = client_keys.get(name, name) != name or bool(selection.arguments)
            key_alias = f"{KEY_ALIAS_PREFIX}{name}" if clash else name
            node = FieldNode(
                alias=None, name=selection.name, arguments=selection.arguments, directives=(),
                selection_set=selection.selection_set,
            )
            definition = self.sg.field(parent, name)
            if definition.resolvable_in(subgraph) or is_provided(provided, parent, name) \
                    or name in keys_of(self.sg, parent, subgraph):
                text = self._emit_field(subgraph, parent, node, definition, path, provided, emission)
                emission.parts.append(f"{key_alias}: {text}" if clash else text)
            else:
                inner = self.plan_fields(subgraph, parent, (node,), path, provided)
                emission.absorb(inner)
            children = ()
            if selection.selection_set is not None:
                children = tuple(self._key_parts(selection.selection_set))
            parts.append(KeyPart(name, key_alias, children))
        return parts

    def _key_parts(self, fields: SelectionSetNode) -> list[KeyPart]:
        return [
            KeyPart(s.name.value, s.name.value, tuple(self._key_parts(s.selection_set)) if s.selection_set else ())
            for s in fields.selections if isinstance(s, FieldNode)
        ]

    def _provided_below(
        self, subgraph: str, parent: str, definition: FieldDef, provided: Provided | None
    ) -> Provided | None:
        below = (provided or {}).get(parent, {}).get(definition.name) if provided else None
        source = definition.sources.get(subgraph)
        if source is not None and source.provides is not None:
            own = provided_from(self.sg, definition.named_type, source.provides)
            below = merge_provided(below, own)
        return below
