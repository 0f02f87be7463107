"""A query plan: which subgraph is asked what, in which order, and how answers fit together."""

from __future__ import annotations

from dataclasses import dataclass, field

# A path into the merged response: response keys, with "@" where a list is walked.
Path = tuple[str, ...]


@dataclass(frozen=True)
class KeyPart:
    """One field of an entity representation: its name, where it sits in the data, and its sub-fields."""

    name: str
    response_key: str
    children: tuple[KeyPart, ...] = ()


@dataclass
class FetchNode:
    """One fetch from one subgraph. Entity fetches read parent objects at `path` in the merged data."""

    subgraph: str
    selection: str  # the selection set text sent to the subgraph
    variables: tuple[str, ...]  # client variables the selection uses
    path: Path = ()
    entity_type: str | None = None  # set for `_entities` fetches
    representation: tuple[KeyPart, ...] = ()
    children: list[FetchNode] = field(default_factory=list)
    root_keys: tuple[str, ...] = ()  # root fetches: response keys they answer (for error paths)
    field_keys: tuple[str, ...] = ()  # entity fetches: response keys of the fields they add
    represent_as: str | None = None  # the type name the target subgraph knows (an @interfaceObject)
    resolves_type: bool = False  # the answer says which concrete type an interface object really is

    @property
    def is_entity_fetch(self) -> bool:
        return self.entity_type is not None

    def walk(self) -> list[FetchNode]:
        """This node and every node depending on it."""
        nodes = [self]
        for child in self.children:
            nodes += child.walk()
        return nodes


@dataclass
class QueryPlan:
    operation_kind: str  # "query" | "mutation" | "subscription"
    operation_name: str | None
    roots: list[FetchNode]  # queries: run together; mutations: one after another
    variable_types: dict[str, str]  # variable name -> "$name: Type = default" text
    introspection_keys: tuple[str, ...] = ()  # root response keys answered by the gateway itself

    def fetch_count(self) -> int:
        return sum(len(root.walk()) for root in self.roots)

    def documents(self) -> list[tuple[str, str]]:
        """(subgraph, GraphQL document) of every fetch, each on its own as a subgraph would receive it."""
        documents: list[tuple[str, str]] = []
        for root in self.roots:
            for node in root.walk():
                used = [self.variable_types[v] for v in node.variables]
                if node.is_entity_fetch:
                    definitions = ", ".join(["$representations: [_Any!]!", *used])
                    known_as = node.represent_as or node.entity_type
                    documents.append((node.subgraph, f"query({definitions}) {{ _entities(representations: "
                                                     f"$representations) {{ ... on {known_as} {{ {node.selection} }} }} }}"))
                else:
                    arguments = f"({', '.join(used)})" if used else ""
                    documents.append((node.subgraph, f"{self.operation_kind}{arguments} {{ {node.selection} }}"))
        return documents

    def describe(self) -> list[str]:
        """A readable outline, one line per fetch (tests and debugging)."""
        lines: list[str] = []

        def visit(node: FetchNode, depth: int) -> None:
            target = f"_entities<{node.entity_type}> at {'.'.join(node.path)}" if node.is_entity_fetch else "root"
            lines.append(f"{'  ' * depth}{node.subgraph}: {target} {{ {node.selection} }}")
            for child in node.children:
                visit(child, depth + 1)

        for root in self.roots:
            visit(root, 0)
        return lines
