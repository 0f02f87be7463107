"""Random valid query documents over any graphql-core schema, for property and differential tests.

`queries(schema)` draws a document (with the variables it declares) that `validation_errors`
accepts: fields with aliases and arguments, the same field twice under different aliases and
arguments, one response key for different fields on exclusive object types, literals and
variables of every input kind, inline and named fragments on every type a position may overlap
(including ones it can never be, through an interface or union), `__typename`, root
introspection, and `@skip`/`@include` with literals or variables.
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from graphql import (
    GraphQLCompositeType,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    SelectionSetNode,
    Undefined,
    Visitor,
    get_named_type,
    is_composite_type,
    is_leaf_type,
    parse,
    validate,
    visit,
)
from graphql.utilities.type_comparators import do_types_overlap
from hypothesis import strategies as st

T = TypeVar("T")
Draw = Callable[[st.SearchStrategy[T]], T]

MAX_FRAGMENT_NESTING = 2
MAX_INPUT_DEPTH = 3
_WORDS = st.text(alphabet=string.ascii_letters + string.digits + " -", max_size=8)
_INTS = st.integers(min_value=-(2**31), max_value=2**31 - 1)
_FLOATS = st.integers(min_value=-4000, max_value=4000).map(lambda n: n / 4)


@dataclass(frozen=True)
class GeneratedQuery:
    """A query document and the values of the variables it declares."""

    text: str
    variables: dict[str, Any]


@dataclass(frozen=True)
class _Use:
    parent: str
    parent_is_object: bool
    field_name: str
    arguments: str

    def merges_with(self, other: _Use) -> bool:
        """GraphQL lets two uses of a response key differ only on distinct object types."""
        same = (self.field_name, self.arguments) == (other.field_name, other.arguments)
        exclusive = self.parent != other.parent and self.parent_is_object and other.parent_is_object
        return same or exclusive


@dataclass
class _Entry:
    """What one response key means in a selection set (its fragments included). Every use has the
    same response shape, and their sub-selections merge into `children`."""

    shape: str  # the field's type, with a composite named type written "#"
    uses: list[_Use]
    children: _Scope | None


@dataclass
class _Scope:
    entries: dict[str, _Entry] = field(default_factory=dict)


def queries(
    schema: GraphQLSchema, *, max_depth: int = 4, max_fields: int = 4, named_fragments: bool = True
) -> st.SearchStrategy[GeneratedQuery]:
    """Valid query documents over `schema` (its query type), nesting fields `max_depth` deep with
    at most `max_fields` selections per selection set."""

    @st.composite
    def build(draw: Draw[Any]) -> GeneratedQuery:
        return _Writer(draw, schema, max_depth, max_fields, named_fragments).document()

    return build()


def validation_errors(schema: GraphQLSchema, text: str) -> list[GraphQLError]:
    """`graphql.validate` as servers apply it. graphql-core 3.3 parses and accepts an empty
    selection set (`a { }`, `... on T { }`) unless told otherwise; graphql-js cannot parse one."""
    document = parse(text)
    errors = validate(schema, document, allow_empty_selection_sets=False)
    empty: list[SelectionSetNode] = []

    class FindEmpty(Visitor):
        def enter_selection_set(self, node: SelectionSetNode, *_: object) -> None:
            if not node.selections:
                empty.append(node)

    visit(document, FindEmpty())
    return errors + [GraphQLError("A selection set is empty.", node) for node in empty]


class _Writer:
    def __init__(
        self,
        draw: Draw[Any],
        schema: GraphQLSchema,
        max_depth: int,
        max_fields: int,
        named_fragments: bool,
    ) -> None:
        self.draw = draw
        self.schema = schema
        self.max_depth = max_depth
        self.max_fields = max_fields
        self.named_fragments = named_fragments
        self.variable_definitions: list[str] = []
        self.variables: dict[str, Any] = {}
        self.fragments: list[str] = []
        self.counter = 0
        self.composite_types = [
            t
            for name, t in schema.type_map.items()
            if not name.startswith("__") and is_composite_type(t)
        ]

    def document(self) -> GeneratedQuery:
        root = self.schema.query_type
        assert root is not None, "the schema has no query type"
        body = self.selection_set(root, 0, _Scope(), 0)
        name = self.draw(st.sampled_from(["", " Generated"]))
        definitions = (
            f"({', '.join(self.variable_definitions)})" if self.variable_definitions else ""
        )
        head = f"query{name}{definitions}" if name or definitions else ""
        text = " ".join([f"{head} {{ {body} }}".strip(), *self.fragments])
        return GeneratedQuery(text, dict(self.variables))

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    # --- selections ---------------------------------------------------------------------------

    def selection_set(
        self, parent: GraphQLCompositeType, depth: int, scope: _Scope, nesting: int
    ) -> str:
        kinds = ["typename"]
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) and parent.fields:
            kinds += ["field"] * 6
        if parent is self.schema.query_type:
            kinds.append("introspection")
        if nesting < MAX_FRAGMENT_NESTING:
            kinds += ["fragment"] * (
                4 if isinstance(parent, GraphQLUnionType | GraphQLInterfaceType) else 1
            )
        parts: list[str] = []
        for _ in range(self.draw(st.integers(min_value=1, max_value=self.max_fields))):
            kind = self.draw(st.sampled_from(kinds))
            if kind == "field":
                parts += self.field(parent, depth, scope)  # type: ignore[arg-type]
            elif kind == "fragment":
                parts.append(self.fragment(parent, depth, scope, nesting))
            elif kind == "introspection":
                parts.append(self.introspection(scope))
            else:
                parts.append(self.typename(scope))
        return " ".join(parts)

    def typename(self, scope: _Scope) -> str:
        key = "__typename"
        if self.draw(st.integers(min_value=0, max_value=4)) == 0:
            key = self.fresh("t")
        key = self.claim(scope, key, _Use("", False, "__typename", ""), "String!")[0]
        text = "__typename" if key == "__typename" else f"{key}: __typename"
        return text + self.directives()

    def introspection(self, scope: _Scope) -> str:
        """`__type` or `__schema` at the root: the gateway answers those itself."""
        name = self.draw(
            st.sampled_from(sorted(n for n in self.schema.type_map if not n.startswith("__")))
        )
        field, arguments, selection = self.draw(
            st.sampled_from(
                [
                    ("__type", f'(name: "{name}")', "{ name kind }"),
                    ("__schema", "", "{ queryType { name } }"),
                ]
            )
        )
        key = self.claim(scope, self.fresh("i"), _Use("", False, field, arguments), "__Meta")[0]
        return f"{key}: {field}{arguments} {selection}"

    def field(
        self, parent: GraphQLObjectType | GraphQLInterfaceType, depth: int, scope: _Scope
    ) -> list[str]:
        """One field, sometimes again under another alias with other arguments."""
        choices = [
            (name, definition)
            for name, definition in parent.fields.items()
            if depth + 1 < self.max_depth or is_leaf_type(get_named_type(definition.type))
        ]
        if not choices:
            return [self.typename(scope)]
        name, definition = self.draw(st.sampled_from(choices))
        texts = [self.one_field(parent, name, definition, depth, scope)]
        if definition.args and self.draw(st.integers(min_value=0, max_value=3)) == 0:
            texts.append(
                self.one_field(parent, name, definition, depth, scope, alias=self.fresh("again"))
            )
        return texts

    def one_field(
        self,
        parent: GraphQLObjectType | GraphQLInterfaceType,
        name: str,
        definition: GraphQLField,
        depth: int,
        scope: _Scope,
        alias: str | None = None,
    ) -> str:
        arguments = self.arguments(definition)
        if alias is None:
            choice = self.draw(st.integers(min_value=0, max_value=9))
            if choice in (7, 8):
                alias = self.fresh("a")
            elif choice == 9:
                # An alias that is another field's name: the planner must not confuse the two.
                alias = self.draw(st.sampled_from(sorted(parent.fields)))
        use = _Use(parent.name, isinstance(parent, GraphQLObjectType), name, arguments)
        key, entry = self.claim(scope, alias or name, use, str(definition.type))
        text = (f"{key}: " if key != name else "") + name + arguments + self.directives()
        named = get_named_type(definition.type)
        if not is_composite_type(named):
            return text
        assert entry.children is not None
        inner = self.selection_set(named, depth + 1, entry.children, 0)
        return f"{text} {{ {inner} }}"

    def claim(self, scope: _Scope, key: str, use: _Use, type_text: str) -> tuple[str, _Entry]:
        """The response key to use: `key` if free or merging with its other uses, else a new one."""
        named = type_text.strip("[]!")
        composite = is_composite_type(self.schema.type_map.get(named))
        shape = type_text.replace(named, "#") if composite else type_text
        entry = scope.entries.get(key)
        if (
            entry is not None
            and entry.shape == shape
            and all(use.merges_with(u) for u in entry.uses)
        ):
            entry.uses.append(use)
            return key, entry
        if entry is not None:
            key = self.fresh("k")
        entry = scope.entries[key] = _Entry(shape, [use], _Scope() if composite else None)
        return key, entry

    def fragment(
        self, parent: GraphQLCompositeType, depth: int, scope: _Scope, nesting: int
    ) -> str:
        overlapping = [t for t in self.composite_types if do_types_overlap(self.schema, parent, t)]
        condition: GraphQLNamedType | None = self.draw(st.sampled_from([None, *overlapping]))
        inner_type = condition if condition is not None else parent
        # A fragment's fields land in the enclosing object: they share its response keys.
        inner = self.selection_set(inner_type, depth, scope, nesting + 1)  # type: ignore[arg-type]
        directives = self.directives()
        if condition is not None and self.named_fragments and self.draw(st.booleans()):
            name = self.fresh("F")
            self.fragments.append(f"fragment {name} on {condition.name} {{ {inner} }}")
            return f"...{name}{directives}"
        on = f" on {condition.name}" if condition is not None else ""
        return f"...{on}{directives} {{ {inner} }}"

    def directives(self) -> str:
        names = self.draw(
            st.sampled_from(
                [(), (), (), (), (), (), (), (), ("skip",), ("include",), ("skip", "include")]
            )
        )
        parts = []
        for name in names:
            condition = self.draw(st.sampled_from(["true", "false", "variable", "defaulted"]))
            if condition == "variable":
                condition = self.variable("Boolean!", self.draw(st.booleans()))
            elif condition == "defaulted":
                default = self.draw(st.booleans())
                condition = self.variable("Boolean", default, default=json.dumps(default))
            parts.append(f" @{name}(if: {condition})")
        return "".join(parts)

    # --- arguments and values -----------------------------------------------------------------

    def arguments(self, definition: GraphQLField) -> str:
        parts = []
        for name, argument in definition.args.items():
            required = (
                isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined
            )
            if required or self.draw(st.booleans()):
                parts.append(f"{name}: {self.value(argument.type, 0)}")
        return f"({', '.join(parts)})" if parts else ""

    def variable(self, type_text: str, value: Any, default: str | None = None) -> str:
        name = self.fresh("v")
        self.variable_definitions.append(
            f"${name}: {type_text}" + (f" = {default}" if default else "")
        )
        if default is None or self.draw(st.booleans()):
            self.variables[name] = value
        return f"${name}"

    def value(self, type_: GraphQLInputType, depth: int, *, variable: bool = True) -> str:
        """A literal of `type_`, or a variable of exactly that type (its value drawn too)."""
        if variable and self.draw(st.integers(min_value=0, max_value=4)) == 0:
            return self.variable(str(type_), self.python_value(type_, depth))
        if isinstance(type_, GraphQLNonNull):
            return self.literal(type_.of_type, depth)
        if self.draw(st.integers(min_value=0, max_value=7)) == 0:
            return "null"
        return self.literal(type_, depth)

    def literal(self, type_: GraphQLInputType, depth: int) -> str:
        if isinstance(type_, GraphQLList):
            if not isinstance(_nullable(type_.of_type), GraphQLList) and self.draw(st.booleans()):
                # One item stands for a list of one, but a variable there must have the list's type.
                return self.value(type_.of_type, depth, variable=False)
            count = self.draw(st.integers(min_value=0, max_value=2))
            return "[" + ", ".join(self.value(type_.of_type, depth) for _ in range(count)) + "]"
        if isinstance(type_, GraphQLInputObjectType):
            fields = [
                f"{name}: {self.value(f.type, depth + 1)}"
                for name, f in type_.fields.items()
                if self._wanted(f.type, f.default_value, depth)
            ]
            return "{" + ", ".join(fields) + "}"
        return _leaf_literal(self.python_value(type_, depth), type_)

    def python_value(self, type_: GraphQLInputType, depth: int) -> Any:
        """A variable value of `type_`, as a client would send it in JSON."""
        if isinstance(type_, GraphQLNonNull):
            return self.python_value(type_.of_type, depth)
        if isinstance(type_, GraphQLList):
            count = self.draw(st.integers(min_value=0, max_value=2))
            return [self.python_value(type_.of_type, depth) for _ in range(count)]
        if isinstance(type_, GraphQLInputObjectType):
            return {
                name: self.python_value(f.type, depth + 1)
                for name, f in type_.fields.items()
                if self._wanted(f.type, f.default_value, depth)
            }
        if isinstance(type_, GraphQLEnumType):
            return self.draw(st.sampled_from(sorted(type_.values)))
        assert isinstance(type_, GraphQLScalarType)
        if type_.name == "Int":
            return self.draw(_INTS)
        if type_.name == "Float":
            return self.draw(_FLOATS)
        if type_.name == "Boolean":
            return self.draw(st.booleans())
        return self.draw(_WORDS)  # String, ID and custom scalars all take a string

    def _wanted(self, type_: GraphQLInputType, default: Any, depth: int) -> bool:
        """Required input fields always; optional ones sometimes, not deep (inputs may recurse)."""
        if isinstance(type_, GraphQLNonNull) and default is Undefined:
            return True
        return depth < MAX_INPUT_DEPTH and self.draw(st.booleans())


def _nullable(type_: GraphQLInputType) -> GraphQLInputType:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def _leaf_literal(value: Any, type_: GraphQLInputType) -> str:
    if isinstance(type_, GraphQLEnumType):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value)
