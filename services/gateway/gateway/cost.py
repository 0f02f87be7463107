"""What an operation may cost, worked out before any subgraph is called; oversize pages refused.

The GraphQL cost specification's rules: a field returning an object, interface or union costs
1, a scalar or enum field 0, unless `@cost(weight:)` on the field or its type says otherwise.
A list multiplies the cost of everything under it by its size: the page a slicing argument
(`first`, `last`) asks for, else that argument's default, else the default page size; a list
that is not sliced counts its `@listSize(assumedSize:)`, else the default list size. The
`sizedFields` of a sliced field (a connection's `edges`) are that same page, counted once.
A field without `@listSize` that takes `first` or `last` is sliced by them, with `edges` and
`nodes` as its sized fields. Mutations start at 10, as in Apollo's demand control.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import FieldNode, InlineFragmentNode, IntValueNode, SelectionNode, VariableNode

from gateway.limits import Limits
from gateway.supergraph.model import FieldDef, ListSize, Supergraph

CONVENTIONAL_SLICING = ("first", "last")
CONVENTIONAL_PAGE_LISTS = ("edges", "nodes")
MUTATION_COST = 10


class CostProblem(Exception):
    """The operation asks for too much; `code` says what kind of too much."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class _Page:
    """A sliced field's page: how many items, and which child lists hold them."""

    size: int
    lists: tuple[str, ...]


def operation_cost(
    sg: Supergraph, kind: str, selections: tuple[SelectionNode, ...], variables: dict[str, Any], limits: Limits
) -> int:
    """The operation's cost; raises CostProblem for a page above a field's maximum (PAGE_TOO_LARGE)
    or a field that needs exactly one slicing argument and did not get it (PAGE_SIZE_REQUIRED)."""
    base = MUTATION_COST if kind == "mutation" else 0
    return base + _Costing(sg, variables, limits).selections(sg.root_types[kind], selections, None)


class _Costing:
    def __init__(self, sg: Supergraph, variables: dict[str, Any], limits: Limits) -> None:
        self.sg = sg
        self.variables = variables
        self.limits = limits

    def selections(self, parent: str, selections: tuple[SelectionNode, ...], page: _Page | None) -> int:
        total = 0
        for selection in selections:
            if isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition.name.value if selection.type_condition else parent
                total += self.selections(condition, tuple(selection.selection_set.selections), page)
                continue
            if not isinstance(selection, FieldNode) or selection.name.value.startswith("__"):
                continue
            definition = self.sg.types[parent].fields.get(selection.name.value)
            if definition is not None:
                sized_by_parent = page if page is not None and selection.name.value in page.lists else None
                total += self.field(parent, selection, definition, sized_by_parent)
        return total

    def field(self, parent: str, node: FieldNode, definition: FieldDef, sized_by_parent: _Page | None) -> int:
        page = self.page(parent, node, definition)
        if not definition.is_list:
            times = 1
        elif sized_by_parent is not None:
            times = sized_by_parent.size
        elif page is not None and not page.lists:
            times = page.size  # the field itself is the page
        else:
            list_size = definition.list_size
            assumed = list_size.assumed_size if list_size is not None else None
            times = assumed if assumed is not None else self.limits.default_list_size
        children = tuple(node.selection_set.selections) if node.selection_set else ()
        below = self.selections(definition.named_type, children, page) if children else 0
        return times * (self.weight(definition) + below)

    def weight(self, definition: FieldDef) -> int:
        if definition.cost is not None:
            return definition.cost
        returned = self.sg.types.get(definition.named_type)
        if returned is not None and returned.cost is not None:
            return returned.cost
        return 1 if returned is not None and returned.is_composite else 0

    def page(self, parent: str, node: FieldNode, definition: FieldDef) -> _Page | None:
        """The page a sliced field asks for (checked against its maximum), or None if not sliced."""
        list_size = definition.list_size or self._conventional(definition)
        if list_size is None:
            return None
        if not list_size.slicing_arguments:
            if list_size.assumed_size is None or not list_size.sized_fields:
                return None
            return _Page(list_size.assumed_size, list_size.sized_fields)
        maximum = list_size.assumed_size if definition.list_size is not None and list_size.assumed_size is not None \
            else self.limits.max_page_size
        given = self._given(node, list_size.slicing_arguments)
        where = f"{parent}.{definition.name}"
        for name, value in given.items():
            if value > maximum:
                raise CostProblem(f"{where} gives at most {maximum} items at a time, but `{name}` asks for "
                                  f"{value}. Ask for {maximum} or fewer.", "PAGE_TOO_LARGE")
        if list_size.require_one_slicing_argument and len(given) > 1:
            raise CostProblem(f"{where} takes only one of {_names(list_size.slicing_arguments)} at a time.",
                              "PAGE_SIZE_REQUIRED")
        if given:
            return _Page(max(0, *given.values()), list_size.sized_fields)
        default = self._default(definition, list_size.slicing_arguments)
        if default is None and list_size.require_one_slicing_argument:
            raise CostProblem(f"{where} needs {_names(list_size.slicing_arguments)} to say how many items "
                              "to return.", "PAGE_SIZE_REQUIRED")
        size = default if default is not None else min(self.limits.default_page_size, maximum)
        return _Page(size, list_size.sized_fields)

    def _conventional(self, definition: FieldDef) -> ListSize | None:
        slicing = tuple(name for name in CONVENTIONAL_SLICING if name in definition.args)
        if not slicing:
            return None
        returned = self.sg.types.get(definition.named_type)
        lists = () if definition.is_list or returned is None else tuple(
            name for name in CONVENTIONAL_PAGE_LISTS if name in returned.fields and returned.fields[name].is_list)
        return ListSize(slicing_arguments=slicing, sized_fields=lists, require_one_slicing_argument=False)

    def _given(self, node: FieldNode, names: tuple[str, ...]) -> dict[str, int]:
        given: dict[str, int] = {}
        for argument in node.arguments or ():
            if argument.name.value not in names:
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                given[argument.name.value] = int(value.value)
            elif isinstance(value, VariableNode) and isinstance(self.variables.get(value.name.value), int):
                given[argument.name.value] = int(self.variables[value.name.value])
        return given

    @staticmethod
    def _default(definition: FieldDef, names: tuple[str, ...]) -> int | None:
        for name in names:
            argument = definition.args.get(name)
            if argument is not None and argument.default is not None and argument.default.lstrip("-").isdigit():
                return max(0, int(argument.default))
        return None


def _names(arguments: tuple[str, ...]) -> str:
    quoted = [f"`{name}`" for name in arguments]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
