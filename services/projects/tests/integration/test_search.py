"""Similar work: a new idea finds existing projects of other organisations, never private ones."""

from itertools import pairwise
from uuid import uuid4

import pytest
from servicekit.testing import GraphQLClient

from ..conftest import Network, propose

pytestmark = pytest.mark.asyncio(loop_scope="session")

SIMILAR = ("query($t: String!, $first: Int, $after: String) { similarProjects(text: $t, first: $first, after: $after) "
           "{ edges { cursor node { project { id title organisation { id } } score } } "
           "pageInfo { hasNextPage endCursor } } }")


def hits(data: dict) -> list[dict]:  # type: ignore[type-arg]
    return [edge["node"] for edge in data["similarProjects"]["edges"]]


class TestSimilarProjects:
    async def test_an_idea_finds_another_organisations_project_described_in_other_words(
        self, api: GraphQLClient, network: Network
    ) -> None:
        tag = uuid4().hex[:8]
        falls = await propose(
            api,
            await network.hero(network.voice),
            visibility="NETWORK",
            title=f"Fewer falls for older inpatients overnight {tag}",
            summary="Hourly rounding and bed alarms on wards after dark.",
            themes=["falls"],
        )
        unrelated = await propose(
            api,
            await network.hero(network.voice),
            visibility="NETWORK",
            title=f"Faster GP referrals {tag}",
            summary="Letters reach the clinic in days, not weeks.",
        )
        private = await propose(
            api,
            await network.hero(network.voice),
            visibility="ORGANISATION",
            title=f"Stopping elderly people falling on the ward at night {tag}",
        )
        secret = await propose(
            api,
            await network.hero(network.voice),
            visibility="TEAM",
            title=f"Stopping elderly people falling at night {tag}",
        )

        me = await network.hero(network.riverside)
        found = hits(
            await api.data(
                SIMILAR,
                {"t": "stopping elderly people falling on the ward at night"},
                token=me.token,
            )
        )

        ids = [hit["project"]["id"] for hit in found]
        # Other tests' falls projects may rank near it; this test's unrelated project must not beat it.
        assert falls in ids
        assert unrelated not in ids[: ids.index(falls) + 1]
        assert found[ids.index(falls)]["project"]["organisation"] == {"id": str(network.voice)}
        assert private not in ids
        assert secret not in ids
        assert all(a["score"] >= b["score"] for a, b in pairwise(found))

    async def test_the_caller_also_finds_what_they_may_otherwise_see(
        self, api: GraphQLClient, network: Network
    ) -> None:
        tag = uuid4().hex
        lead = await network.hero(network.riverside)
        own = await propose(api, lead, visibility="TEAM", title=f"Medicines at discharge {tag}")

        mine = await api.data(
            SIMILAR, {"t": f"medication when patients leave hospital {tag}"}, token=lead.token
        )
        theirs = await api.data(SIMILAR, {"t": f"medication when patients leave hospital {tag}"})

        assert own in [hit["project"]["id"] for hit in hits(mine)]
        assert own not in [hit["project"]["id"] for hit in hits(theirs)]

    async def test_pages_follow_one_another_through_the_ranking(self, api: GraphQLClient, network: Network) -> None:
        tag = uuid4().hex[:8]
        lead = await network.hero(network.riverside)
        made = {await propose(api, lead, visibility="NETWORK", title=f"Quieter wards at night {tag} {n}")
                for n in range(3)}
        text = f"quieter wards at night {tag}"

        whole = hits(await api.data(SIMILAR, {"t": text, "first": 10}, token=lead.token))
        first = (await api.data(SIMILAR, {"t": text, "first": 2}, token=lead.token))["similarProjects"]
        second = (await api.data(SIMILAR, {"t": text, "first": 2, "after": first["pageInfo"]["endCursor"]},
                                 token=lead.token))["similarProjects"]

        ranked = [hit["project"]["id"] for hit in whole]
        paged = [edge["node"]["project"]["id"] for page in (first, second) for edge in page["edges"]]
        assert made <= set(ranked)
        assert paged == ranked[:len(paged)]
        assert len(paged) == min(4, len(ranked))
        assert first["pageInfo"]["hasNextPage"] is True

    async def test_a_page_too_large_or_a_bad_cursor_is_refused(self, api: GraphQLClient) -> None:
        assert await api.error_code(SIMILAR, {"t": "falls at night", "first": 51}) == "invalid_input"
        assert await api.error_code(SIMILAR, {"t": "falls at night", "after": "bm90LWEtbGlzdA"}) == "invalid_input"

    async def test_too_short_a_description_is_refused(self, api: GraphQLClient) -> None:
        assert await api.error_code(SIMILAR, {"t": "a"}) == "invalid_input"
