"""Cost analysis: page sizes multiply, @cost and @listSize from subgraph SDL count, oversize pages are refused.

The network's own cases run over the supergraph composed from the services' checked-in SDL.
"""

from pathlib import Path
from typing import Any

import pytest
from gateway.cost import CostProblem, operation_cost
from gateway.engine import Engine, Ready
from gateway.limits import Limits
from gateway.supergraph import compose
from gateway.supergraph.join_load import load_supergraph_sdl
from gateway.supergraph.join_print import print_supergraph
from gateway.supergraph.model import Supergraph

SERVICES = Path(__file__).resolve().parents[3]
NETWORK = {
    name: (SERVICES / name / f"{name}.graphql").read_text() for name in ("membership", "projects", "recognition")
}

NESTED_PAGES = ("organisations(first: 100) { edges { node { members(first: 100) { edges { node { "
                "projects(first: 100) { edges { node { team { member { displayName } } } } } } } } } } }")
ATTACK = "{ " + " ".join(f"a{i}: {NESTED_PAGES}" for i in range(30)) + " }"
PORTAL_SIMILAR_WORK = """{
  similarProjects(text: "fewer falls at night", first: 10) { edges { node {
    score
    project {
      id title summary stage themes
      organisation { id name }
      team { role joinedAt member { id displayName organisation { name } } }
    }
  } } }
}"""


class RecordingClient:
    """Stands in for the subgraphs: counts the requests it is sent and answers none of them."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def fetch(self, subgraph: str, query: str, variables: dict[str, Any], headers: dict[str, str], *,
                    retry_on_reset: bool) -> dict[str, Any]:
        self.calls.append(subgraph)
        return {"data": None}


def engine_over(supergraph: Supergraph, client: RecordingClient, limits: Limits | None = None) -> Engine:
    return Engine.create(supergraph, client, limits or Limits(), introspection=False,  # type: ignore[arg-type]
                         suggestions=False)


@pytest.fixture(scope="module")
def network() -> Supergraph:
    return compose(NETWORK, {name: f"http://{name}.invalid/graphql" for name in NETWORK})


def cost_of(supergraph: Supergraph, query: str, variables: dict[str, Any] | None = None) -> int:
    prepared = engine_over(supergraph, RecordingClient()).operations.get(query, None)
    assert not prepared.errors, prepared.errors
    assert prepared.operation is not None
    return operation_cost(supergraph, prepared.operation.kind, prepared.operation.selections, variables or {},
                          Limits())


class TestTheNetwork:
    async def test_thirty_aliases_of_nested_hundred_item_pages_are_refused_with_their_cost(
        self, network: Supergraph
    ) -> None:
        client = RecordingClient()

        result = await engine_over(network, client, Limits(max_aliases=30)).execute({"query": ATTACK}, {})

        assert result == {"errors": [{
            "message": "The query could cost 660909030; the most allowed is 5000. Ask for smaller pages "
                       "(`first`) or fewer lists inside lists.",
            "extensions": {"code": "QUERY_TOO_EXPENSIVE"}}]}
        assert client.calls == []

    async def test_similar_work_with_team_members_names_is_accepted(self, network: Supergraph) -> None:
        ready = await engine_over(network, RecordingClient()).check({"query": PORTAL_SIMILAR_WORK})

        assert isinstance(ready, Ready)
        assert cost_of(network, PORTAL_SIMILAR_WORK) == 341  # 330 as a plain list, plus the page and its 10 edges

    @pytest.mark.parametrize(("query", "variables"), [
        ("{ organisations(first: 1000000) { edges { node { name } } } }", {}),
        ("query($n: Int) { organisations(first: $n) { edges { node { name } } } }", {"n": 1000000}),
    ])
    async def test_a_page_above_the_maximum_is_refused_before_any_subgraph_call(
        self, network: Supergraph, query: str, variables: dict[str, Any]
    ) -> None:
        client = RecordingClient()

        result = await engine_over(network, client).execute({"query": query, "variables": variables}, {})

        assert result == {"errors": [{
            "message": "Query.organisations gives at most 100 items at a time, but `first` asks for 1000000. "
                       "Ask for 100 or fewer.",
            "extensions": {"code": "PAGE_TOO_LARGE"}}]}
        assert client.calls == []

    async def test_each_field_has_the_maximum_its_service_declares(self, network: Supergraph) -> None:
        query = '{ similarProjects(text: "falls", first: 51) { edges { node { score } } } }'

        result = await engine_over(network, RecordingClient()).execute({"query": query}, {})

        assert result["errors"][0]["extensions"] == {"code": "PAGE_TOO_LARGE"}
        assert result["errors"][0]["message"].startswith("Query.similarProjects gives at most 50 items")

    def test_a_connection_page_counts_once(self, network: Supergraph) -> None:
        asked = cost_of(network, "{ organisations(first: 5) { edges { node { name } } pageInfo { hasNextPage } } }")
        left_out = cost_of(network, "{ organisations { edges { node { name } } } }")

        # the connection and its pageInfo 1 each; 5 (else the default page, 20) edges with a node each
        assert (asked, left_out) == (1 + 1 + 5 * 2, 1 + 20 * 2)


COSTED = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost", "@listSize"])

type Query {
  shelves: [Shelf!]! @listSize(assumedSize: 5)
  books(first: Int, last: Int): BookPage! @listSize(assumedSize: 50, slicingArguments: ["first", "last"], sizedFields: ["items"])
  search(limit: Int!): [Book!]! @listSize(slicingArguments: ["limit"])
  recent(first: Int = 10): [Book!]!
}

type Mutation {
  addBook(title: String!): Book
}

type Shelf {
  name: String!
  books: [Book!]!
}

type BookPage {
  items: [Book!]!
  total: Int!
}

type Book @key(fields: "title") @cost(weight: 3) {
  title: String!
  price: Float! @cost(weight: 2)
}
"""  # noqa: E501 - a subgraph SDL with one field per line, as it is written


def composed() -> Supergraph:
    return compose({"library": COSTED}, {"library": "http://library.invalid/graphql"})


def loaded_from_file() -> Supergraph:
    return load_supergraph_sdl(print_supergraph(composed()))


@pytest.fixture(params=[composed, loaded_from_file], ids=["composed", "supergraph file"])
def library(request: pytest.FixtureRequest) -> Supergraph:
    return request.param()  # type: ignore[no-any-return]


class TestCostDirectives:
    @pytest.mark.parametrize(("query", "cost"), [
        ("{ shelves { name } }", 5),  # assumedSize
        ("{ shelves { books { title } } }", 5 * (1 + 10 * 3)),  # an unsized list: the default list size
        ("{ books(first: 4) { items { title price } total } }", 1 + 4 * (3 + 2)),  # sizedFields, @cost
        ("{ books(last: 2) { items { title } } }", 1 + 2 * 3),
        ("{ search(limit: 7) { title } }", 7 * 3),  # a slicing argument of another name
        ("{ recent { title } }", 10 * 3),  # no @listSize: `first`, by its default in the SDL
        ('mutation { addBook(title: "Dune") { title } }', 10 + 3),
    ])
    def test_costs(self, library: Supergraph, query: str, cost: int) -> None:
        assert cost_of(library, query) == cost

    @pytest.mark.parametrize(("query", "code", "message"), [
        ("{ books(first: 51) { total } }", "PAGE_TOO_LARGE",
         "Query.books gives at most 50 items at a time, but `first` asks for 51. Ask for 50 or fewer."),
        ("{ search(limit: 101) { title } }", "PAGE_TOO_LARGE",
         "Query.search gives at most 100 items at a time, but `limit` asks for 101. Ask for 100 or fewer."),
        ("{ recent(first: 101) { title } }", "PAGE_TOO_LARGE",
         "Query.recent gives at most 100 items at a time, but `first` asks for 101. Ask for 100 or fewer."),
        ("{ books { total } }", "PAGE_SIZE_REQUIRED",
         "Query.books needs `first` or `last` to say how many items to return."),
        ("{ books(first: 2, last: 2) { total } }", "PAGE_SIZE_REQUIRED",
         "Query.books takes only one of `first` or `last` at a time."),
    ])
    def test_refusals(self, library: Supergraph, query: str, code: str, message: str) -> None:
        with pytest.raises(CostProblem) as refused:
            cost_of(library, query)

        assert (refused.value.code, str(refused.value)) == (code, message)

    def test_the_directives_are_kept_in_the_supergraph_file(self) -> None:
        printed = print_supergraph(composed())

        assert '@link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@cost", "@listSize"])' in printed
        assert ('books(first: Int, last: Int): BookPage! @join__field(graph: LIBRARY) @listSize(assumedSize: 50, '
                'slicingArguments: ["first", "last"], sizedFields: ["items"], requireOneSlicingArgument: true)'
                in printed)
        assert print_supergraph(load_supergraph_sdl(printed)) == printed
