"""`python -m gateway compose --print` writes a supergraph file that runs the same plans."""

import asyncio
import os
import sys

from gateway.execution.fetcher import SubgraphClient
from gateway.supergraph import compose
from gateway.supergraph.join_load import load_supergraph_sdl
from gateway.supergraph.loader import fetch_sdls

from ..unit.test_supergraph_files import plans
from .conftest import SECRET, Served


class TestComposeCommand:
    async def test_the_printed_file_loads_to_the_live_composition(self, subgraphs: Served) -> None:
        env = {**os.environ, "GATEWAY_SUBGRAPHS": ",".join(f"{n}={u}" for n, u in subgraphs.urls.items()),
               "HEROES_GATEWAY_SECRET": SECRET, "HEROES_LOG_LEVEL": "WARNING"}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "gateway", "compose", "--print", env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, err.decode()
        client = SubgraphClient.create(subgraphs.urls, timeout=5)
        try:
            sdls = await fetch_sdls(client.sdl_fetcher(SECRET), client.urls)
            live = compose(sdls, subgraphs.urls)
        finally:
            await client.close()

        printed = load_supergraph_sdl(out.decode())

        assert printed.api_sdl == live.api_sdl
        assert printed.subgraph_urls == subgraphs.urls
        assert plans(printed) == plans(live)
