"""A cheap bound, before validation, on validation's one expensive rule.

GraphQL validation checks that fields answered under the same name can be merged
("OverlappingFieldsCanBeMerged"): it compares every pair of such fields, and then their
sub-selections pair by pair, so a document repeating a field a few hundred times costs
seconds of CPU even when it is small. This walk counts, without comparing anything, how many
field pairs that rule could compare: for each selection set (inline fragments and named
fragments spread into it, as the rule sees it), and each response name in it, the pairs of
fields under that name, each weighted by the sizes of the two fields' sub-trees. It visits
each selection set and fragment once, so it is linear in the document.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

# About 10 to 40 ms of validation on our machines; ordinary queries need a few hundred at most.
MAX_FIELD_COMPARISONS = 10_000


def field_comparisons(document: DocumentNode) -> int:
    """An upper bound on the field comparisons validating `document` may make."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    walk = _Walk(fragments)
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode):
            walk.selection_set(definition.selection_set)
    return walk.comparisons


@dataclass
class _Walk:
    fragments: dict[str, FragmentDefinitionNode]
    comparisons: int = 0
    _sizes: dict[int, int] = field(default_factory=dict)  # selection set -> fields in it and below
    _flat: dict[str, Counter[int]] = field(default_factory=dict)  # fragment -> its fields, with repeats
    _nodes: dict[int, FieldNode] = field(default_factory=dict)
    _expanding: set[str] = field(default_factory=set)

    def selection_set(self, node: SelectionSetNode) -> int:
        """Fields in `node` and below (spread fragments counted each time); adds its comparisons."""
        known = self._sizes.get(id(node))
        if known is not None:
            return known
        self._sizes[id(node)] = 0  # a fragment cycle (validation reports it) counts nothing more
        fields = self._flatten(node)
        by_name: dict[str, list[tuple[int, int]]] = {}
        size = 0
        for key, repeats in fields.items():
            found = self._nodes[key]
            below = self.selection_set(found.selection_set) if found.selection_set else 0
            name = found.alias.value if found.alias else found.name.value
            by_name.setdefault(name, []).append((1 + below, repeats))
            size += (1 + below) * repeats
        for group in by_name.values():
            total = sum(weight * repeats for weight, repeats in group)
            squares = sum(weight * weight * repeats for weight, repeats in group)
            self.comparisons += (total * total - squares) // 2
        self._sizes[id(node)] = size
        return size

    def _flatten(self, node: SelectionSetNode) -> Counter[int]:
        """The fields of one selection set as validation groups them, by node, with how often each comes."""
        found: Counter[int] = Counter()
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                self._nodes[id(selection)] = selection
                found[id(selection)] += 1
            elif isinstance(selection, InlineFragmentNode):
                found.update(self._flatten(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                found.update(self._fragment(selection.name.value))
        return found

    def _fragment(self, name: str) -> Counter[int]:
        known = self._flat.get(name)
        if known is not None:
            return known
        definition = self.fragments.get(name)
        if definition is None or name in self._expanding:
            return Counter()  # unknown or cyclic: validation reports it
        self._expanding.add(name)
        flat = self._flatten(definition.selection_set)
        self._expanding.discard(name)
        self._flat[name] = flat
        return flat
