"""The query planner: walks the client's operation over the query graph and builds a fetch DAG.

Planning stands at a position (a fetch, an object type as that fetch's subgraph knows it, a
path in the response). A field the subgraph resolves whose whole sub-selection it can answer
stays in the fetch. Any other field is placed by comparing its options, each costed by planning
it on a scratch builder (memoised, within the budget): stay local and jump from below, or
enter another subgraph by a key edge (the key fields planned first as a sub-plan, hopping
through other subgraphs if the current one cannot give them). A field with `@requires`
always gets an `_entities` fetch of its own, whose representation carries the required
fields; they are planned from the current position like client fields (so they may need
other fetches and requirements of their own), and the fetch waits for every fetch that
produces them. Fields no single subgraph can answer in whole are split between subgraphs
through their parent entity. Ranking is by fewest fetches, then fewest sequential steps.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from graphql import FieldNode, InlineFragmentNode, SelectionNode, SelectionSetNode, print_ast

from gateway.planning.budget import Budget, BudgetExceeded, Cycle, Meter, PlanningError
from gateway.planning.fetches import FetchBuild, Position, batched_levels, levels
from gateway.planning.graph import KeyEdge, QueryGraph, named
from gateway.planning.operation import Operation, response_key
from gateway.planning.plan import KeyPart, QueryPlan
from gateway.planning.provided import Provided, is_provided, merge_provided, provided_from
from gateway.planning.selections import (
    applies,
    arguments_text,
    children,
    directives_text,
    fields_for,
    fields_of,
    flatten_root,
    for_type,
    variables_of,
    with_children,
    wrap,
)
from gateway.supergraph.model import Supergraph

__all__ = ["Budget", "Planner", "PlanningError"]

log = logging.getLogger("gateway.planner")

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
INTERNAL_ALIAS_PREFIX = "_gw_"


@dataclass(frozen=True, order=True)
class Cost:
    fetches: int
    depth: int

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.fetches + other.fetches, max(self.depth, other.depth))

    def after(self, other: Cost) -> Cost:
        """This cost, run after `other` (one step deeper)."""
        return Cost(self.fetches + other.fetches, self.depth + other.depth)


FREE = Cost(0, 0)
ONE_FETCH = Cost(1, 1)


@dataclass(frozen=True)
class Option:
    cost: Cost
    entry: KeyEdge | None  # None: resolved in the current fetch


class Planner:
    """Plans operations over one supergraph; the query graph is built once."""

    def __init__(self, supergraph: Supergraph, budget: Budget | None = None) -> None:
        self.sg = supergraph
        self.graph = QueryGraph(supergraph)
        self.budget = budget or Budget()

    def plan(self, operation: Operation) -> QueryPlan:
        builder = _Builder(self.graph, Meter(self.budget), {}, set())
        try:
            return builder.plan(operation)
        except RecursionError as error:  # a last guard: every recursion is bounded, but never crash a request
            raise BudgetExceeded("The query is too complex to plan: it nests too deeply.") from error


class _Builder:
    def __init__(self, graph: QueryGraph, meter: Meter, memo: dict[Any, Any], chains: set[tuple[str, ...]]) -> None:
        self.graph = graph
        self.sg = graph.sg
        self.meter = meter
        self.memo = memo
        self.chains = chains
        self.fetches: list[FetchBuild] = []
        self._entity_fetches: dict[tuple[Any, ...], FetchBuild] = {}

    # --- the operation ---------------------------------------------------------------------------

    def plan(self, operation: Operation) -> QueryPlan:
        root_type = self.sg.root_types.get(operation.kind)
        if root_type is None:
            raise PlanningError(f"This API has no {operation.kind} operations.")
        flat = flatten_root(operation.selections, ())
        introspection = tuple(response_key(f) for f, _ in flat if f.name.value in INTROSPECTION_FIELDS)
        fields = [wrap(f, w) for f, w in flat if not f.name.value.startswith("__")]
        if operation.kind == "mutation":
            self._plan_mutation(root_type, fields)
        else:
            self._plan_roots(root_type, fields)
        found = batched_levels(self.fetches)
        fetches = [fetch.finish(found[fetch.id]) for fetch in self.fetches]
        variable_types = {name: print_ast(node) for name, node in operation.variable_definitions.items()}
        return QueryPlan(operation.kind, operation.name, fetches, variable_types, introspection)

    def _plan_roots(self, root_type: str, fields: list[SelectionNode]) -> None:
        groups: dict[str, list[SelectionNode]] = {}
        for wrapped in fields:
            node = fields_of((wrapped,))[0]
            for subgraph, part in self._root_owners(root_type, wrapped, node, list(groups)):
                groups.setdefault(subgraph, []).append(part)
        for subgraph, members in groups.items():
            fetch = self._new_fetch(subgraph)
            self._root_fetch(fetch, root_type, members)

    def _plan_mutation(self, root_type: str, fields: list[SelectionNode]) -> None:
        """Mutation fields run one after another, never twice: each group waits for all before it."""
        groups: list[tuple[str, list[SelectionNode]]] = []
        for wrapped in fields:
            node = fields_of((wrapped,))[0]
            owners = [s for s, _ in self.graph.owners(root_type, node.name.value)]
            if not owners:
                raise PlanningError(f"No subgraph resolves {root_type}.{node.name.value}.")
            previous = groups[-1][0] if groups else None
            subgraph = previous if previous in owners else owners[0]
            if groups and groups[-1][0] == subgraph:
                groups[-1][1].append(wrapped)
            else:
                groups.append((subgraph, [wrapped]))
        for subgraph, members in groups:
            fetch = self._new_fetch(subgraph, depends_on=frozenset(f.id for f in self.fetches))
            self._root_fetch(fetch, root_type, members)

    def _root_fetch(self, fetch: FetchBuild, root_type: str, members: list[SelectionNode]) -> None:
        shadow = tuple(members)
        fetch.root_keys += [response_key(f) for f in fields_of(shadow)]
        position = Position(fetch, fetch.query, root_type, (), None, shadow)
        self._select(position, shadow)

    def _root_owners(self, root_type: str, wrapped: SelectionNode, node: FieldNode,
                     chosen: list[str]) -> list[tuple[str, SelectionNode]]:
        """Where a root field goes: the owner where the whole selection costs least (an owner already
        asked saves a fetch); split between owners when none can answer all of it."""
        owners = [s for s, _ in self.graph.owners(root_type, node.name.value)]
        if not owners:
            raise PlanningError(f"No subgraph resolves {root_type}.{node.name.value}.")
        if len(owners) == 1:
            return [(owners[0], wrapped)]
        ranked = []
        for subgraph in owners:
            cost = self._dry_field(subgraph, root_type, node, None)
            if cost is not None:
                ranked.append((cost.fetches + (0 if subgraph in chosen else 1), cost.depth, subgraph))
        if ranked:
            return [(min(ranked)[2], wrapped)]
        parts = self._split(node, lambda sub: [s for s in owners if self._dry_field(s, root_type, sub, None)])
        if parts is None:
            return [(owners[0], wrapped)]  # planning it there for real says which field cannot be had
        return [(subgraph, _rewrap(wrapped, part)) for subgraph, part in _grouped(parts)]

    # --- selections at a position ----------------------------------------------------------------

    def _select(self, pos: Position, selections: tuple[SelectionNode, ...]) -> set[int]:
        """Plan `selections` at `pos`; returns the ids of every fetch written to."""
        if self.graph.is_interface_object(pos.subgraph, pos.type):
            return self._select_interface_object(pos, selections)
        if self.sg.types[pos.type].is_abstract:
            return self._select_abstract(pos, selections)
        return self._select_object(pos, selections)

    def _select_object(self, pos: Position, selections: tuple[SelectionNode, ...]) -> set[int]:
        touched: set[int] = set()
        pending: list[FieldNode] = []
        for selection in selections:
            if isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition.name.value if selection.type_condition else None
                if not applies(self.sg, condition, pos.type):
                    continue
                touched |= self._fragment(pos, selection, self._select_object)
                continue
            assert isinstance(selection, FieldNode)
            self.meter.tick(f"{pos.type}.{selection.name.value}")
            if selection.name.value == "__typename":
                self._typename(pos, selection)
                touched.add(pos.fetch.id)
            elif self._fully_local(pos.subgraph, pos.type, selection, pos.provided):
                touched |= self._add_local(pos, selection)
            else:
                pending.append(selection)
        if pending:
            touched |= self._place(pos, pending)
        return touched

    def _fragment(self, pos: Position, fragment: InlineFragmentNode, plan: Any) -> set[int]:
        """An inline fragment that applies here: flattened, or kept with its @skip/@include."""
        inner = tuple(fragment.selection_set.selections)
        conditions = "" if pos.internal else directives_text(fragment.directives)
        if not conditions:
            return plan(pos, inner)  # type: ignore[no-any-return]
        pos.fetch.variables |= variables_of(fragment, with_directives=True)
        return plan(replace(pos, query=pos.query.fragment(None, conditions)), inner)  # type: ignore[no-any-return]

    def _typename(self, pos: Position, node: FieldNode) -> None:
        if pos.internal:
            pos.query.add_typename()
            return
        pos.fetch.variables |= variables_of(node, with_directives=True)
        pos.query.add_typename(node.alias.value if node.alias else None, directives_text(node.directives))

    def _select_abstract(self, pos: Position, selections: tuple[SelectionNode, ...]) -> set[int]:
        """An interface or union: fields every possible type resolves here stay on the abstract type;
        the rest is planned per concrete type the subgraph may return (as it declares them)."""
        pos.query.add_typename()
        touched = {pos.fetch.id}
        runtime = self.graph.runtime_types(pos.subgraph, pos.type)
        level: list[FieldNode] = []
        rest: list[SelectionNode] = []
        for selection in selections:
            if isinstance(selection, FieldNode) and selection.name.value == "__typename":
                self._typename(pos, selection)
            elif isinstance(selection, FieldNode) and self._on_interface(pos, runtime, selection):
                level.append(selection)
            else:
                rest.append(selection)
        for node in level:
            self.meter.tick(f"{pos.type}.{node.name.value}")
            touched |= self._add_local(pos, node)
        for concrete in runtime:
            items = for_type(self.sg, concrete, tuple(rest))
            if not fields_for(self.sg, concrete, items):
                continue
            branch = pos.inside(pos.query.fragment(concrete), concrete, (*pos.path, "|" + concrete),
                                for_type(self.sg, concrete, pos.shadow))
            touched |= self._select_object(branch, items)
        return touched

    def _on_interface(self, pos: Position, runtime: tuple[str, ...], node: FieldNode) -> bool:
        """Can the field be asked once on the interface? Only when every type the subgraph may return
        resolves it alike there (no requirement, nothing provided differently); its sub-selection is
        planned below, once, whatever it needs."""
        if self.sg.types[pos.type].kind != "interface":
            return False
        name = node.name.value
        edge = self.graph.field(pos.subgraph, pos.type, name)
        if edge is None or edge.requires is not None:
            return False
        for concrete in runtime:
            own = self.graph.field(pos.subgraph, concrete, name)
            if own is None or own.requires is not None or own.type_text != edge.type_text \
                    or (own.provides is None) != (edge.provides is None) \
                    or (own.provides is not None and edge.provides is not None
                        and print_ast(own.provides) != print_ast(edge.provides)) \
                    or is_provided(pos.provided, concrete, name):
                return False
        return True

    def _select_interface_object(self, pos: Position, selections: tuple[SelectionNode, ...]) -> set[int]:
        """A subgraph that knows an interface as an object (@interfaceObject) answers with the
        interface's name: the concrete type, and fields of concrete types, come from a subgraph
        that defines the interface (entered by the interface's key)."""
        pos.query.add_typename()
        touched = {pos.fetch.id}
        pending: list[FieldNode] = []
        needs_type: list[SelectionNode] = []
        for selection in selections:
            if isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition.name.value if selection.type_condition else None
                if condition is None or condition == pos.type:
                    touched |= self._fragment(pos, selection, self._select_interface_object)
                else:
                    needs_type.append(selection)
                continue
            assert isinstance(selection, FieldNode)
            self.meter.tick(f"{pos.type}.{selection.name.value}")
            if selection.name.value == "__typename":
                if not pos.internal:
                    needs_type.append(selection)
            elif self._fully_local(pos.subgraph, pos.type, selection, pos.provided):
                touched |= self._add_local(pos, selection)
            else:
                pending.append(selection)
        if pending:
            touched |= self._place(pos, pending)
        if needs_type:
            entries = [e for e in self.graph.entries(pos.type) if e.resolves_type]
            if not entries:
                raise PlanningError(f"No subgraph can say which type each {pos.type} from {pos.subgraph} is: "
                                    "none defines the interface with a resolvable key.")
            touched |= self._jump(pos, self._best_entry(pos, entries), needs_type)
        return touched

    # --- fields that stay in the current fetch ---------------------------------------------------

    def _add_local(self, pos: Position, node: FieldNode) -> set[int]:
        """Add the field to the current fetch (its requirements, if any, are already met) and plan
        its sub-selection below it."""
        name = node.name.value
        edge = self.graph.field(pos.subgraph, pos.type, name)
        declared = self.graph.declared(pos.subgraph, pos.type, name)
        type_text = edge.type_text if edge is not None else declared.type if declared is not None else None
        if type_text is None:
            raise PlanningError(f"{pos.type}.{name} is not known to subgraph {pos.subgraph}.")
        target = named(type_text)
        leaf = self.graph.is_leaf(target)
        if pos.internal:
            key = self._internal_key(pos.shadow, node)
            alias, conditions = (key if key != name else None), ""
            pos.fetch.variables |= variables_of(node, with_directives=False)
        else:
            key = response_key(node)
            alias, conditions = (node.alias.value if node.alias else None), directives_text(node.directives)
            pos.fetch.variables |= variables_of(node, with_directives=True)
        added = pos.query.add_field(name, alias, arguments_text(node), conditions, type_text, leaf)
        touched = {pos.fetch.id}
        if leaf or added.children is None:
            return touched
        below = self._provided_below(pos, name)
        child = Position(pos.fetch, added.children, target, pos.path + (key,) + ("@",) * type_text.count("["),
                         below, self._child_shadow(pos.shadow, key, name, internal=pos.internal, node=node),
                         pos.internal)
        return touched | self._select(child, children(node))

    def _provided_below(self, pos: Position, name: str) -> Provided | None:
        below = pos.provided.get(pos.type, {}).get(name) if pos.provided else None
        declared = self.graph.declared(pos.subgraph, pos.type, name)
        if declared is not None and declared.provides is not None:
            below = merge_provided(below, provided_from(self.sg, named(declared.type), declared.provides))
        return below

    def _fully_local(self, subgraph: str, type_name: str, node: FieldNode, provided: Provided | None) -> bool:
        """Can `subgraph` answer this field and all of its sub-selection, with no other fetch?"""
        key = ("local", subgraph, type_name, id(node), id(provided))
        found = self.memo.get(key)
        if found is not None and found[0] is node:
            return bool(found[1])
        result = self._check_local(subgraph, type_name, node, provided)
        self.memo[key] = (node, result)
        return result

    def _check_local(self, subgraph: str, type_name: str, node: FieldNode, provided: Provided | None) -> bool:
        name = node.name.value
        if name == "__typename":
            return not self.graph.is_interface_object(subgraph, type_name)
        edge = self.graph.field(subgraph, type_name, name)
        if edge is not None and edge.requires is not None:
            return False
        if edge is None:
            declared = self.graph.declared(subgraph, type_name, name)
            if declared is None or not is_provided(provided, type_name, name):
                return False
            type_text = declared.type
        else:
            type_text = edge.type_text
        target = named(type_text)
        if self.graph.is_leaf(target):
            return True
        below = provided.get(type_name, {}).get(name) if provided else None
        declared = self.graph.declared(subgraph, type_name, name)
        if declared is not None and declared.provides is not None:
            below = merge_provided(below, provided_from(self.sg, target, declared.provides))
        return self._selection_local(subgraph, target, children(node), below)

    def _selection_local(self, subgraph: str, type_name: str, selections: tuple[SelectionNode, ...],
                         provided: Provided | None) -> bool:
        self.meter.tick(type_name)
        if self.graph.is_interface_object(subgraph, type_name):
            for selection in selections:
                if isinstance(selection, InlineFragmentNode):
                    condition = selection.type_condition.name.value if selection.type_condition else None
                    if condition not in (None, type_name) or not self._selection_local(
                            subgraph, type_name, tuple(selection.selection_set.selections), provided):
                        return False
                elif isinstance(selection, FieldNode) and (
                        selection.name.value == "__typename"
                        or not self._fully_local(subgraph, type_name, selection, provided)):
                    return False
            return True
        concrete_types = (self.graph.runtime_types(subgraph, type_name)
                          if self.sg.types[type_name].is_abstract else (type_name,))
        return all(self._fully_local(subgraph, concrete, field, provided)
                   for concrete in concrete_types for field in fields_for(self.sg, concrete, selections))

    # --- fields that need another fetch ----------------------------------------------------------

    def _place(self, pos: Position, nodes: list[FieldNode]) -> set[int]:
        """Place fields the current fetch cannot answer in whole: compare every way to get each,
        then group them so that as few fetches as possible are made."""
        touched: set[int] = set()
        wanted: dict[int, list[Option]] = {}
        for index, node in enumerate(nodes):
            options = self._options(pos, node)
            if not options:
                touched |= self._place_split(pos, node)
                continue
            best = min(option.cost for option in options)
            if any(o.entry is None and o.cost == best for o in options):
                touched |= self._add_local(pos, node)
                continue
            wanted[index] = [o for o in options if o.cost == best]
        while wanted:
            entry = self._most_shared(pos, wanted)
            chosen = [i for i, options in wanted.items() if any(o.entry == entry for o in options)]
            touched |= self._jump(pos, entry, [nodes[i] for i in chosen])
            for index in chosen:
                del wanted[index]
        return touched

    def _most_shared(self, pos: Position, wanted: dict[int, list[Option]]) -> KeyEdge:
        counts: dict[KeyEdge, int] = {}
        for options in wanted.values():
            for option in options:
                assert option.entry is not None
                counts[option.entry] = counts.get(option.entry, 0) + 1

        def rank(entry: KeyEdge) -> tuple[int, int, str]:
            reused = any(f.subgraph == entry.subgraph and f.path == pos.path and f.entity_type == pos.type
                         for f in self.fetches if f.entity_type is not None)
            return (-counts[entry], 0 if reused else 1, entry.subgraph)

        return min(counts, key=rank)

    def _options(self, pos: Position, node: FieldNode) -> list[Option]:
        name = node.name.value
        options: list[Option] = []
        edge = self.graph.field(pos.subgraph, pos.type, name)
        local = (edge is not None and edge.requires is None) or (
            edge is None and is_provided(pos.provided, pos.type, name)
            and self.graph.declared(pos.subgraph, pos.type, name) is not None)
        if local:
            cost = self._dry_field(pos.subgraph, pos.type, node, pos.provided)
            if cost is not None:
                options.append(Option(cost, None))
        for subgraph, known_as in self.graph.owners(pos.type, name):
            if subgraph == pos.subgraph and local:
                continue
            entries = self.graph.entries(pos.type, subgraph)
            if not entries:
                continue
            below = self._dry_field(subgraph, known_as, node, None)
            if below is None:
                continue
            entry = self._best_entry(pos, list(entries))
            before = self._dry_collect(pos, entry.key.fields)
            requires = self.graph.field(subgraph, known_as, name)
            if before is not None and requires is not None and requires.requires is not None:
                needed = self._dry_collect(pos, requires.requires)
                before = None if needed is None else before + needed
            if before is not None:
                options.append(Option(below.after(ONE_FETCH.after(before)), entry))
        if self.graph.is_interface_object(pos.subgraph, pos.type):
            options += self._through_concrete_type(pos, node)
        return options

    def _through_concrete_type(self, pos: Position, node: FieldNode) -> list[Option]:
        """From an @interfaceObject, any field can also be reached by first asking a subgraph that
        defines the interface which type the object is, and going on from there."""
        options = []
        for entry in self.graph.entries(pos.type):
            if not entry.resolves_type:
                continue
            key = ("typed", entry.subgraph, pos.type, id(node))
            below = self._dry(key, node, lambda scratch, at: scratch._select(at, (node,)), entry.subgraph,
                              entry.represent_as, None, (node,))
            before = self._dry_collect(pos, entry.key.fields)
            if below is not None and before is not None:
                options.append(Option(below.after(ONE_FETCH.after(before)), entry))
        return options

    def _place_split(self, pos: Position, node: FieldNode) -> set[int]:
        """No single subgraph can answer this field's selection: split it between the current
        subgraph and those reachable through the parent entity."""
        name = node.name.value
        candidates: list[tuple[str, str, KeyEdge | None]] = []
        edge = self.graph.field(pos.subgraph, pos.type, name)
        if edge is not None and edge.requires is None:
            candidates.append((pos.subgraph, pos.type, None))
        for subgraph, known_as in self.graph.owners(pos.type, name):
            entries = self.graph.entries(pos.type, subgraph)
            if entries and (subgraph != pos.subgraph or edge is None or edge.requires is not None):
                candidates.append((subgraph, known_as, self._best_entry(pos, list(entries))))
        if not candidates or not node.selection_set:
            raise PlanningError(self._unreachable(pos, name))

        def able(sub: FieldNode) -> list[tuple[str, str, KeyEdge | None]]:
            return [c for c in candidates
                    if self._dry_field(c[0], c[1], sub, pos.provided if c[2] is None else None) is not None]

        parts = self._split(node, able)
        if parts is None:  # planning it with the first candidate for real says which field cannot be had
            subgraph, _, entry = candidates[0]
            return self._add_local(pos, node) if entry is None else self._jump(pos, entry, [node])
        touched: set[int] = set()
        for (_, _, entry), part in _grouped(parts):
            touched |= self._add_local(pos, part) if entry is None else self._jump(pos, entry, [part])
        return touched

    def _split(self, node: FieldNode, able: Any) -> list[tuple[Any, FieldNode]] | None:
        """Parts of `node` (the same field, each with part of its selection), each with who can
        answer it: whole sub-selections where someone can, else split further down."""
        chosen: list[Any] = []
        parts: list[tuple[Any, FieldNode]] = []
        for item in children(node):
            found = self._split_selection(item, lambda sel: able(with_children(node, (sel,))), chosen)
            if found is None:
                return None
            parts += [(who, with_children(node, (selection,))) for who, selection in found]
        return parts

    def _split_selection(self, item: SelectionNode, able: Any, chosen: list[Any]
                         ) -> list[tuple[Any, SelectionNode]] | None:
        self.meter.tick("split")
        found = able(item)
        if found:
            pick = next((c for c in chosen if c in found), found[0])
            chosen.append(pick)
            return [(pick, item)]
        rewrap: Callable[[SelectionNode], SelectionNode]
        if isinstance(item, FieldNode) and item.selection_set:
            def in_field(selection: SelectionNode, field: FieldNode = item) -> SelectionNode:
                return with_children(field, (selection,))
            rewrap = in_field
            inner: tuple[SelectionNode, ...] = children(item)
        elif isinstance(item, InlineFragmentNode):
            def in_fragment(selection: SelectionNode, fragment: InlineFragmentNode = item) -> SelectionNode:
                return InlineFragmentNode(type_condition=fragment.type_condition, directives=fragment.directives,
                                          selection_set=SelectionSetNode(selections=(selection,)))
            rewrap = in_fragment
            inner = tuple(item.selection_set.selections)
        else:
            return None
        parts: list[tuple[Any, SelectionNode]] = []
        for selection in inner:
            found_inner = self._split_selection(selection, lambda sel: able(rewrap(sel)), chosen)
            if found_inner is None:
                return None
            parts += [(who, rewrap(part)) for who, part in found_inner]
        return parts

    def _unreachable(self, pos: Position, name: str) -> str:
        return (f"{pos.type}.{name} cannot be reached from subgraph {pos.subgraph}: no subgraph that resolves "
                "it can be entered with a key the gateway can send from there.")

    def _best_entry(self, pos: Position, entries: list[KeyEdge]) -> KeyEdge:
        """The key edge whose key fields are cheapest to collect here (directly, if possible)."""
        if len(entries) == 1:
            return entries[0]
        for entry in entries:
            if all(self._fully_local(pos.subgraph, pos.type, f, pos.provided)
                   for f in entry.key.fields.selections if isinstance(f, FieldNode)):
                return entry
        unknown = Cost(1_000_000, 1_000_000)
        return min(entries, key=lambda e: (self._dry_collect(pos, e.key.fields) or unknown, e.subgraph, e.key.text))

    def _jump(self, pos: Position, entry: KeyEdge, selections: list[SelectionNode]) -> set[int]:
        """Enter `entry.subgraph` from `pos` with a key, for these selections."""
        pos.query.add_typename()
        key_parts, producers = self._collect(pos, entry.key.fields, required=True,
                                             chain=("key", entry.subgraph, pos.type, entry.key.text))
        producers |= {pos.fetch.id}
        touched = set(producers)
        plain: list[SelectionNode] = []
        for selection in selections:
            edge = (self.graph.field(entry.subgraph, entry.represent_as, selection.name.value)
                    if isinstance(selection, FieldNode) else None)
            if edge is None or edge.requires is None:
                plain.append(selection)
                continue
            needed, needed_by = self._collect(pos, edge.requires, required=False,
                                              chain=("requires", entry.subgraph, pos.type, edge.name))
            fetch = self._entity_fetch(pos, entry, producers | needed_by, key_parts + needed)
            touched |= self._into(fetch, pos, entry, [selection])
        if plain:
            fetch = self._entity_fetch(pos, entry, producers, key_parts)
            touched |= self._into(fetch, pos, entry, plain)
        return touched

    def _into(self, fetch: FetchBuild, pos: Position, entry: KeyEdge, selections: list[SelectionNode]) -> set[int]:
        target = Position(fetch, fetch.query, entry.represent_as, pos.path, None, pos.shadow, pos.internal)
        fetch.field_keys += [response_key(f) for f in fields_of(tuple(selections))
                             if f.name.value != "__typename"]
        if entry.resolves_type:
            return {fetch.id} | self._select(target, tuple(selections))
        touched = {fetch.id}
        for selection in selections:
            assert isinstance(selection, FieldNode)
            touched |= self._add_local(target, selection)
        return touched

    def _entity_fetch(self, pos: Position, entry: KeyEdge, depends_on: set[int], parts: list[KeyPart]) -> FetchBuild:
        accepts = frozenset({pos.type, *self.sg.possible_types(pos.type)})
        base = (entry.subgraph, entry.represent_as, pos.type, pos.path, frozenset(depends_on), entry.resolves_type)
        fetch, copy = None, 0
        while True:  # a representation holds each field once: other arguments need a fetch of their own
            key = (*base, copy)
            fetch = self._entity_fetches.get(key)
            if fetch is None or not _clashes(fetch.representation, parts):
                break
            copy += 1
        if fetch is None:
            fetch = self._new_fetch(entry.subgraph, depends_on=frozenset(depends_on), path=pos.path,
                                    entity_type=pos.type, accepts=accepts, represent_as=entry.represent_as,
                                    resolves_type=entry.resolves_type)
            self._entity_fetches[key] = fetch
        fetch.add_parts(parts)
        return fetch

    def _new_fetch(self, subgraph: str, **fields: Any) -> FetchBuild:
        fetch = FetchBuild(len(self.fetches), subgraph, **fields)
        self.fetches.append(fetch)
        return fetch

    # --- keys and requirements -------------------------------------------------------------------

    def _collect(self, pos: Position, fieldset: SelectionSetNode, *, required: bool,
                 chain: tuple[str, ...]) -> tuple[list[KeyPart], set[int]]:
        """Plan key or @requires fields at `pos` (as fields of our own, never merged into a client
        field with other arguments); returns how to read them back and the fetches that bring them."""
        if chain in self.chains:
            raise Cycle(f"{chain[2]} needs itself through {chain[1]} ({chain[0]} {chain[3]}).")
        self.chains.add(chain)
        try:
            internal = replace(pos, internal=True)
            touched = self._select(internal, tuple(fieldset.selections))
        finally:
            self.chains.discard(chain)
        return self._key_parts(pos.shadow, pos.type, tuple(fieldset.selections), required), touched

    def _key_parts(self, shadow: tuple[SelectionNode, ...], type_name: str, selections: tuple[SelectionNode, ...],
                   required: bool) -> list[KeyPart]:
        parts: list[KeyPart] = []
        for selection in selections:
            if isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition.name.value if selection.type_condition else type_name
                inner = self._key_parts(shadow, condition, tuple(selection.selection_set.selections), required)
                parts.append(KeyPart("...", "...", tuple(inner), frozenset(self.sg.possible_types(condition)),
                                     required))
                continue
            assert isinstance(selection, FieldNode)
            name = selection.name.value
            key = self._internal_key(shadow, selection)
            inner = []
            if selection.selection_set is not None:
                field_type = named(self.sg.types[type_name].fields[name].type)
                below = self._child_shadow(shadow, key, name, internal=True, node=selection)
                inner = self._key_parts(below, field_type, tuple(selection.selection_set.selections), required)
                if self.sg.types[field_type].is_abstract:
                    inner.insert(0, KeyPart("__typename", "__typename", (), None, required))
            parts.append(KeyPart(name, key, tuple(inner), None, required))
        return parts

    def _internal_key(self, shadow: tuple[SelectionNode, ...], node: FieldNode) -> str:
        """The response key of a field the planner adds: its own name, unless the client uses that
        name for another field or other arguments (then an alias of its own)."""
        name = node.name.value
        if name == "__typename":
            return name
        arguments = arguments_text(node)
        clients = [c for c in fields_of(shadow) if response_key(c) == name]
        if all(c.name.value == name and arguments_text(c) == arguments for c in clients) and (
                clients or not arguments):
            return name
        digest = hashlib.sha1(arguments.encode(), usedforsecurity=False).hexdigest()[:8] if arguments else ""
        return f"{INTERNAL_ALIAS_PREFIX}{name}{'_' + digest if digest else ''}"

    def _child_shadow(self, shadow: tuple[SelectionNode, ...], key: str, name: str, *, internal: bool,
                      node: FieldNode) -> tuple[SelectionNode, ...]:
        if internal and key != name:
            return ()
        merged = [s for c in fields_of(shadow) if response_key(c) == key and c.selection_set
                  for s in c.selection_set.selections]
        if not internal and node.selection_set and not merged:
            merged = list(node.selection_set.selections)
        return tuple(merged)

    # --- costs: planning on a scratch builder ----------------------------------------------------

    def _dry_field(self, subgraph: str, type_name: str, node: FieldNode, provided: Provided | None) -> Cost | None:
        """What it costs to answer `node` (and its sub-selection) from an object of `type_name` in
        `subgraph`, in fetches beyond that one; None when it cannot be done."""
        if not self.graph.knows(subgraph, type_name):
            return None
        name = node.name.value
        if (self.graph.field(subgraph, type_name, name) is None
                and not (is_provided(provided, type_name, name)
                         and self.graph.declared(subgraph, type_name, name) is not None)):
            return None
        if node.selection_set is None or self._fully_local(subgraph, type_name, node, provided):
            return FREE
        key = ("field", subgraph, type_name, id(node), id(provided))
        return self._dry(key, node, lambda scratch, pos: scratch._add_local(pos, node), subgraph, type_name,
                         provided, (node,))

    def _dry_collect(self, pos: Position, fieldset: SelectionSetNode) -> Cost | None:
        fields = [f for f in fieldset.selections if isinstance(f, FieldNode)]
        if all(self._fully_local(pos.subgraph, pos.type, f, pos.provided) for f in fields):
            return FREE
        key = ("collect", pos.subgraph, pos.type, id(fieldset), id(pos.provided))
        cost = self._dry(key, fieldset, lambda scratch, at: scratch._collect(
            at, fieldset, required=True, chain=("dry", pos.subgraph, pos.type, str(id(fieldset))))[1],
            pos.subgraph, pos.type, pos.provided, pos.shadow)
        return cost

    def _dry(self, key: tuple[Any, ...], anchor: object, run: Any, subgraph: str, type_name: str,
             provided: Provided | None, shadow: tuple[SelectionNode, ...]) -> Cost | None:
        found = self.memo.get(key)
        if found is not None and found[0] is anchor:
            return found[1]  # type: ignore[no-any-return]
        scratch = _Builder(self.graph, self.meter, self.memo, self.chains)
        fetch = scratch._new_fetch(subgraph, path=("~",))
        position = Position(fetch, fetch.query, type_name, ("~",), provided, shadow)
        try:
            run(scratch, position)
        except BudgetExceeded:
            raise
        except Cycle:
            return None  # depends on the chain being planned: not remembered
        except PlanningError as error:
            log.debug("planner.option_impossible", extra={"option": repr(key[:3]), "reason": str(error)})
            self.memo[key] = (anchor, None)
            return None
        found_levels = levels(scratch.fetches)
        cost = Cost(len(scratch.fetches) - 1, max(found_levels.values()))
        self.memo[key] = (anchor, cost)
        return cost


def _clashes(known: list[KeyPart], parts: list[KeyPart]) -> bool:
    """Would these parts put two different values under one field name of a representation?"""
    names = {part.name: part.response_key for part in known if part.type_condition is None}
    return any(names.get(part.name, part.response_key) != part.response_key
               for part in parts if part.type_condition is None)


def _grouped(parts: list[tuple[Any, FieldNode]]) -> list[tuple[Any, FieldNode]]:
    """Parts of one field answered by the same subgraph, merged into one selection each."""
    groups: dict[Any, list[FieldNode]] = {}
    for who, part in parts:
        groups.setdefault(who, []).append(part)
    return [(who, with_children(nodes[0], tuple(s for n in nodes for s in children(n))))
            for who, nodes in groups.items()]


def _rewrap(wrapped: SelectionNode, part: FieldNode) -> SelectionNode:
    """`part` inside the same @skip/@include fragments as the root field it came from."""
    if isinstance(wrapped, FieldNode):
        return part
    assert isinstance(wrapped, InlineFragmentNode)
    inner = _rewrap(wrapped.selection_set.selections[0], part)
    return InlineFragmentNode(type_condition=None, directives=wrapped.directives,
                              selection_set=SelectionSetNode(selections=(inner,)))
