"""`python -m gateway compose --print`: compose the configured subgraphs and print the supergraph SDL.

The output is a standard Apollo supergraph file (`@link` + `join__` v0.3); point
GATEWAY_SUPERGRAPH_FILE at it to run the gateway from the file instead of live composition.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from gateway.execution.fetcher import SubgraphClient
from gateway.settings import get_settings
from gateway.supergraph import CompositionError
from gateway.supergraph.join_print import print_supergraph
from gateway.supergraph.loader import load_supergraph


async def _compose() -> str:
    settings = get_settings()
    client = SubgraphClient.create(settings.subgraph_urls(), timeout=settings.subgraph_timeout_seconds)
    secret = settings.gateway_secret.get_secret_value() if settings.gateway_secret else ""
    try:
        supergraph = await load_supergraph(client.sdl_fetcher(secret), client.urls,
                                           wait_seconds=settings.compose_wait_seconds)
        return print_supergraph(supergraph)
    finally:
        await client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gateway", description="Gateway tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    compose = sub.add_parser("compose", help="compose the subgraphs in GATEWAY_SUBGRAPHS")
    compose.add_argument("--print", action="store_true", help="print the supergraph SDL to standard output")
    compose.add_argument("--output", type=Path, help="write the supergraph SDL to this file")
    args = parser.parse_args(argv)
    try:
        sdl = asyncio.run(_compose())
    except CompositionError as error:
        print(str(error), file=sys.stderr)  # noqa: T201 - a CLI's output
        return 1
    if args.output:
        args.output.write_text(sdl)
    if args.print or not args.output:
        sys.stdout.write(sdl)
    return 0
