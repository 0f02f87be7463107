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

Then cold planning (nothing cached): building the query graph, and planning each query of a set
with a fresh planner state, for the network's own supergraph (composed from the running
services) and for a generated 50-subgraph supergraph (services/gateway/tests/property/generated.py).
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLSchema,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    parse,
    validate,
)

sys.path[0] = str(Path(__file__).resolve().parents[1])  # import bench.* rather than shadowing packages
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services" / "gateway"))  # tests.property.generated

from devstack.kafka import free_ports  # noqa: E402
from devstack.processes import Supervisor  # noqa: E402
from devstack.run import process_env, seed, start_network, wait_ready  # noqa: E402
from devstack.servers import Servers, prepare_databases, prepare_topics  # noqa: E402
from devstack.services import REPO, SERVICES  # noqa: E402
from gateway.execution.fetcher import SubgraphClient  # noqa: E402
from gateway.planning.operation import normalise  # noqa: E402
from gateway.planning.planner import Planner, PlanningError  # noqa: E402
from gateway.supergraph import compose  # noqa: E402
from gateway.supergraph.loader import fetch_sdls  # noqa: E402
from servicekit.graphql import GATEWAY_SECRET_HEADER  # noqa: E402
from servicekit.settings import NetworkSettings  # noqa: E402
from servicekit.tokens import init_keys, mint  # noqa: E402
from tests.property.generated import generated_network  # noqa: E402
from tests.reference import apollo  # noqa: E402

from bench.harness import load  # noqa: E402

MEMBERS = 24
DIRECT = "query($id: ID!) { member(id: $id) { id displayName memberType organisation { name } } }"
CROSSING = """query($id: ID!) { member(id: $id) {
  displayName organisation { name }
  projects(first: 3) { edges { node { title stage } } }
  badges { name }
} }"""
INVITE = "mutation($i: InviteMemberInput!) { inviteMember(input: $i) { member { id } inviteCode } }"
JOIN = "mutation($i: JoinNetworkInput!) { joinNetwork(input: $i) { member { id } } }"


async def subgraph_requests(metrics_url: str) -> float:
    async with httpx.AsyncClient() as http:
        metrics = (await http.get(metrics_url)).text
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
    before = await subgraph_requests(metrics_url)
    crossing = await load("(c) crossing 3 subgraphs through the gateway", urls["gateway"], crossing_bodies,
                          headers=headers, check=ok, warmup=0)
    after = await subgraph_requests(metrics_url)
    # Unloaded latency: one request at a time shows the gateway's own added time without queueing.
    single_direct = await load("(a1) direct, one request at a time", urls["membership"], direct_bodies,
                               headers=headers, check=ok, concurrency=1, seconds=4)
    single_through = await load("(b1) through the gateway, one at a time", urls["gateway"], direct_bodies,
                                headers=headers, check=ok, concurrency=1, seconds=4)
    for result in (direct, through, crossing, single_direct, single_through):
        print(result.line())
    print(f"ratio b/a (requests per second): {through.rps / direct.rps:6.2f}")
    print(f"ratio c/a (requests per second): {crossing.rps / direct.rps:6.2f}")
    overhead = through.percentile(50) - direct.percentile(50)
    print(f"gateway p50 overhead (b - a):    {overhead:6.2f} ms at concurrency 16")
    print(f"gateway p50 overhead (b1 - a1):  {single_through.percentile(50) - single_direct.percentile(50):6.2f} ms "
          "one request at a time   (target < 2 ms)")
    per_request = (after - before) / max(1, crossing.requests + crossing.errors)
    print(f"subgraph requests per gateway request in (c): {per_request:.2f}  "
          "(plan: membership root, then projects and recognition in one step = 3)")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def against_apollo(urls: dict[str, str], secret: str, token: str, member_ids: list[str], our_pid: int) -> None:
    """Apollo Gateway (plain, sending the gateway secret and forwarding the caller's token, as it
    would have to in front of our services) beside ours on the network's own three-subgraph query:
    identical answers first, then CPU per request, requests per second and p99, interleaved."""
    subgraphs = {name: url for name, url in urls.items() if name != "gateway"}
    headers = {"authorization": f"Bearer {token}"}
    bodies = [{"query": CROSSING, "variables": {"id": i}} for i in member_ids]
    node: list[int] = []
    with apollo.start({"network": subgraphs}, plain=True, processes=node, timeout=60,
                      subgraph_headers={GATEWAY_SECRET_HEADER: secret}, forward_headers=("authorization",)) as started:
        gateways = {"ours": (urls["gateway"], our_pid), "apollo": (started["network"], node[0])}
        with httpx.Client(timeout=30, headers=headers) as http:
            for body in bodies:
                ours, theirs = (http.post(url, json=body).json() for url, _ in gateways.values())
                if ours != theirs or "errors" in ours:
                    raise SystemExit(f"the gateways differ on {body['variables']}:\n"
                                     f"  ours:   {ours}\n  apollo: {theirs}")
        print(f"\nApollo Gateway beside ours on (c), the network's own query ({len(bodies)} members; identical "
              "answers checked), interleaved three times:")
        cpu: dict[str, list[float]] = {"ours": [], "apollo": []}
        rps: dict[str, list[float]] = {"ours": [], "apollo": []}
        p99: dict[str, list[float]] = {"ours": [], "apollo": []}
        for round_number in range(3):
            for name in ("apollo", "ours") if round_number % 2 == 0 else ("ours", "apollo"):
                url, pid = gateways[name]
                asyncio.run(load("warm-up", url, bodies, headers=headers, seconds=1, warmup=0))
                before = cpu_seconds(pid)
                result = asyncio.run(load(f"{name}: (c) crossing 3 subgraphs", url, bodies, headers=headers,
                                          seconds=6, warmup=0))
                spent = (cpu_seconds(pid) - before) * 1000 / max(1, result.requests)
                cpu[name].append(spent)
                rps[name].append(result.rps)
                p99[name].append(result.percentile(99))
                print(f"  {result.line()}   CPU {spent:5.2f} ms/request")
    median = statistics.median
    print(f"  ours / Apollo: CPU per request {median(cpu['ours']) / median(cpu['apollo']):4.2f} (goal <= 0.5)   "
          f"requests/s {median(rps['ours']) / median(rps['apollo']):4.2f}   "
          f"p99 {median(p99['ours']) / median(p99['apollo']):4.2f}")


def walk_queries(schema: GraphQLSchema, depth: int, width: int) -> list[str]:
    """For each root field: a query selecting up to `width` fields per level, `depth` levels deep,
    with a fragment per possible type at interfaces and unions (required arguments get literals)."""

    def arguments(field: Any) -> str:
        needed = [(name, arg) for name, arg in field.args.items() if is_non_null_type(arg.type)]
        return "(" + ", ".join(f"{name}: {literal(arg.type)}" for name, arg in needed) + ")" if needed else ""

    def literal(type_: Any) -> str:
        named = get_named_type(type_)
        inner = type_.of_type if is_non_null_type(type_) else type_
        if is_list_type(inner):
            return f"[{literal(inner.of_type)}]"
        if isinstance(named, GraphQLEnumType):
            first: str = next(iter(named.values))
            return first
        if isinstance(named, GraphQLInputObjectType):
            fields = [(n, f) for n, f in named.fields.items() if is_non_null_type(f.type)]
            return "{" + ", ".join(f"{n}: {literal(f.type)}" for n, f in fields) + "}"
        return {"Int": "1", "Float": "1.5", "Boolean": "true"}.get(named.name, '"x"')

    def selection(type_: Any, level: int) -> str:
        if is_abstract_type(type_):
            return "__typename " + " ".join(
                f"... on {t.name} {{ {selection(t, level)} }}" for t in schema.get_possible_types(type_)[:width])
        parts = []
        for name, field in list(type_.fields.items())[:width]:
            target = get_named_type(field.type)
            alias = f"{type_.name}_{name}: "  # fragments on sibling types may share names, not shapes
            if is_leaf_type(target):
                parts.append(f"{alias}{name}{arguments(field)}")
            elif level < depth:
                parts.append(f"{alias}{name}{arguments(field)} {{ {selection(target, level + 1)} }}")
        return " ".join(parts) or "__typename"

    assert schema.query_type is not None
    return [f"{{ {name}{arguments(field)} {{ {selection(get_named_type(field.type), 1)} }} }}"
            if not is_leaf_type(get_named_type(field.type)) else f"{{ {name}{arguments(field)} }}"
            for name, field in schema.query_type.fields.items()]


def cold_planning(label: str, sdls: dict[str, str]) -> None:
    started = time.perf_counter()
    supergraph = compose(sdls, {name: f"http://{name}.invalid/graphql" for name in sdls})
    composed = time.perf_counter()
    planner = Planner(supergraph)
    built = time.perf_counter()
    times, fetches, failed, skipped = [], [], 0, 0
    for text in walk_queries(supergraph.api_schema, depth=4, width=8):
        document = parse(text)
        if validate(supergraph.api_schema, document):
            skipped += 1
            continue
        operation = normalise(document, None)
        begin = time.perf_counter()
        try:
            plan = planner.plan(operation)
        except PlanningError:
            failed += 1
            continue
        times.append((time.perf_counter() - begin) * 1000)
        fetches.append(plan.fetch_count())
    times.sort()
    print(f"{label}: {len(sdls)} subgraphs, {len(supergraph.types)} types; "
          f"compose {1000 * (composed - started):.0f} ms, "
          f"query graph {1000 * (built - composed):.1f} ms")
    if times:
        print(f"  cold plan of {len(times)} queries: p50 {times[len(times) // 2]:.2f} ms, "
              f"p95 {times[int(len(times) * 0.95)]:.2f} ms, max {times[-1]:.2f} ms; "
              f"fetches per plan p50 {sorted(fetches)[len(fetches) // 2]}, max {max(fetches)}; "
              f"refused by the planner: {failed}; not valid: {skipped}")


async def service_sdls(urls: dict[str, str], secret: str) -> dict[str, str]:
    client = SubgraphClient.create({name: urls[name] for name in ("membership", "projects", "recognition")},
                                   timeout=10)
    try:
        return await fetch_sdls(client.sdl_fetcher(secret), client.urls)
    finally:
        await client.close()


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
        our_pid = supervisor.pid("gateway")
        assert our_pid is not None
        against_apollo(urls, env["HEROES_GATEWAY_SECRET"], token, member_ids, our_pid)
        cold_planning("network supergraph", asyncio.run(service_sdls(urls, env["HEROES_GATEWAY_SECRET"])))
    finally:
        supervisor.stop_all()
    cold_planning("generated supergraph", generated_network(50, seed=0))


if __name__ == "__main__":
    main()
