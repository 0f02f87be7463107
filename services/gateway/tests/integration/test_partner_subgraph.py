"""A partner organisation's own subgraph joins the graph by configuration only (no gateway code)."""

import json
from pathlib import Path

from servicekit.testing import Tokens, serve_app

from examples.community_assets.app import create_app as community_assets

from .conftest import Served, gateway
from .test_reload import reload, write


class TestPartnerSubgraph:
    async def test_the_example_community_assets_subgraph_extends_organisation(
        self, subgraphs: Served, tokens: Tokens, tmp_path: Path
    ) -> None:
        data = tmp_path / "assets.json"
        data.write_text(json.dumps({"o1": [{"name": "Riverside warm space", "kind": "WARM_SPACE",
                                            "opens": "Mon-Fri 10:00-16:00"}]}))
        listing = tmp_path / "subgraphs.txt"
        write(listing, subgraphs, ["people", "work", "praise"])
        async with serve_app(community_assets(data)) as partner, \
                gateway(subgraphs, tokens, subgraphs="", subgraphs_file=str(listing)) as client:
            with listing.open("a") as extra:
                extra.write(f"community_assets={partner}/graphql\n")
            answer = await reload(client.http, client.url)
            result = await client.query(
                '{ a: member(id: "m1") { organisation { name communityAssets { name kind opens } } } '
                'b: member(id: "m2") { organisation { communityAssets { name } } } communityAssetKinds }'
            )

        assert answer.json()["subgraphs"] == ["community_assets", "people", "praise", "work"]
        assert result == {"data": {
            "a": {"organisation": {"name": "Riverside", "communityAssets": [
                {"name": "Riverside warm space", "kind": "WARM_SPACE", "opens": "Mon-Fri 10:00-16:00"}]}},
            "b": {"organisation": {"communityAssets": []}},
            "communityAssetKinds": ["WARM_SPACE", "FOOD_BANK", "GREEN_SPACE", "PEER_GROUP"],
        }}
