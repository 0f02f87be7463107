"""Gateway benchmark (not a test): the gateway's overhead over a direct subgraph call, in one run.

Run with `.venv/bin/python -m devstack bench bench/gateway.py` (isolated PostgreSQL and Kafka).
Starts the real network (three services and the gateway) on free loopback ports, adds members,
then measures at concurrency 16 with 16+ distinct variable sets:
  (a) a membership query sent directly to the membership subgraph;
  (b) the same query through the gateway;
  (c) a query crossing membership, projects and recognition through the gateway.
Prints requests per second, p50/p99, the ratios b/a and c/a, the p50 overhead of b over a,
and how many subgraph requests each gateway request caused.
Target (issue #6): gateway p50 overhead under 2 ms; at most one request per subgraph per plan step.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import sys
import tempfile
from pathlib import Path
from uuid import UUID

import httpx

sys.path[0] = str(Path(__file__).resolve().parents[1])  # import bench.* rather than shadowing packages

from bench.harness import load  # noqa: E402
from devstack.kafka import free_ports  # noqa: E402
from devstack.processes import Supervisor  # noqa: E402
from devstack.run import process_env, seed, start_network, wait_ready  # noqa: E402
from devstack.servers import Servers, prepare_databases, prepare_topics  # noqa: E402
from devstack.services import REPO, SERVICES  # noqa: E402
from servicekit.settings import NetworkSettings  # noqa: E402
from servicekit.tokens import init_keys, mint  # noqa: E402

MEMBERS = 24
DIRECT = "query($id: ID!) { member(id: $id) { id displayName memberType organisation { name } } }"
CROSSING = """query($id: ID!) { member(id: $id) {
  displayName organisation { name }
  projects(first: 3) { edges { node { title stage } } }
  badges { name }
} }"""
INVITE = "mutation($i: InviteMemberInput!) { inviteMember(input: $i) { member { id } inviteCode } }"
JOIN = "mutation($i: JoinNetworkInput!) { joinNetwork(input: $i) { member { id } } }"


def subgraph_requests(metrics: str) -> float:
    return sum(float(v) for v in re.findall(r'heroes_gateway_subgraph_requests_total\{[^}]*\} ([0-9.e+]+)', metrics))


async def add_members(gateway: str, token: str, organisation: str) -> list[str]:
    ids = []
    async with httpx.AsyncClient(timeout=30, headers={"authorization": f"Bearer {token}"}) as http:
        for n in range(MEMBERS):
            invite = (await http.post(gateway, json={"query": INVITE, "variables": {"i": {
                "organisationId": organisation, "displayName": f"Bench Member {n}",
                "email": f"bench-{n}-{secrets.token_hex(3)}@bench.invalid", "memberType": "STAFF_CLINICAL"}}})).json()
            data = invite["data"]["inviteMember"]
            await http.post(gateway, json={"query": JOIN, "variables": {"i": {
                "inviteCode": data["inviteCode"], "profileVisibility": "NETWORK"}}})
            ids.append(data["member"]["id"])
    return ids


async def measure(urls: dict[str, str], token: str, member_ids: list[str]) -> None:
    headers = {"authorization": f"Bearer {token}"}
    direct_bodies = [{"query": DIRECT, "variables": {"id": i}} for i in member_ids]
    crossing_bodies = [{"query": CROSSING, "variables": {"id": i}} for i in member_ids]
    ok = lambda body: "errors" not in body and body.get("data", {}).get("member") is not None  # noqa: E731
    direct = await load("(a) membership query, direct to subgraph", urls["membership"], direct_bodies,
                        headers=headers, check=ok)
    through = await load("(b) same query through the gateway", urls["gateway"], direct_bodies, headers=headers,
                         check=ok)
    metrics_url = urls["gateway"].replace("/graphql", "/metrics")
    before = subgraph_requests(httpx.get(metrics_url).text)
    crossing = await load("(c) crossing 3 subgraphs through the gateway", urls["gateway"], crossing_bodies,
                          headers=headers, check=ok, warmup=0)
    after = subgraph_requests(httpx.get(metrics_url).text)
    # Unloaded latency: one request at a time shows the gateway's own added time without queueing.
    single_direct = await load("(a1) direct, one request at a time", urls["membership"], direct_bodies,
                               headers=headers, check=ok, concurrency=1, seconds=4)
    single_through = await load("(b1) through the gateway, one at a time", urls["gateway"], direct_bodies,
                                headers=headers, check=ok, concurrency=1, seconds=4)
    for result in (direct, through, crossing, single_direct, single_through):
        print(result.line())
    print(f"ratio b/a (requests per second): {through.rps / direct.rps:6.2f}")
    print(f"ratio c/a (requests per second): {crossing.rps / direct.rps:6.2f}")
    print(f"gateway p50 overhead (b - a):    {through.percentile(50) - direct.percentile(50):6.2f} ms at concurrency 16")
    print(f"gateway p50 overhead (b1 - a1):  {single_through.percentile(50) - single_direct.percentile(50):6.2f} ms "
          "one request at a time   (target < 2 ms)")
    per_request = (after - before) / max(1, crossing.requests + crossing.errors)
    print(f"subgraph requests per gateway request in (c): {per_request:.2f}  "
          "(plan: membership root, then projects and recognition in one step = 3)")


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="bench-gateway-"))
    keys = root / "keys"
    init_keys(keys)
    servers = Servers(os.environ["HEROES_DATABASE_URL"], os.environ["HEROES_KAFKA_BOOTSTRAP_SERVERS"])
    prepare_databases(servers.database_url)
    prepare_topics(servers.bootstrap)
    ports = dict(zip(["gateway", *(spec.name for spec in SERVICES)], free_ports(1 + len(SERVICES)), strict=True))
    env = {**process_env(servers, ports, keys, secrets.token_urlsafe(16)), "HEROES_LOG_LEVEL": "WARNING",
           "HEROES_ENVIRONMENT": "production", "GATEWAY_MAX_COST": "100000"}
    supervisor = Supervisor(root / "run", env, REPO)
    try:
        wait_ready(supervisor, start_network(supervisor, ports))
        demo = seed(env)
        network = NetworkSettings()
        token = mint(keys, member_id=UUID(demo["demo_member_id"]), organisation_id=UUID(demo["demo_organisation_id"]),
                     roles=["hero", "coordinator"], issuer=network.jwt_issuer, audience=network.jwt_audience)
        urls = {name: f"http://127.0.0.1:{port}/graphql" for name, port in ports.items()}
        member_ids = asyncio.run(add_members(urls["gateway"], token, demo["demo_organisation_id"]))
        asyncio.run(measure(urls, token, member_ids))
    finally:
        supervisor.stop_all()


if __name__ == "__main__":
    main()
