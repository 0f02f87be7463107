"""Membership benchmark (not a test): `_entities` for 100 Member ids per request, DataLoader on vs off.

Run with `.venv/bin/python -m devstack bench bench/membership.py` (isolated servers). Both
variants run in this one process's run, against the same database, and the ratio is printed.
"""

from __future__ import annotations

import asyncio
import random
import sys
from pathlib import Path
from uuid import uuid4

# Run as a script, Python puts bench/ first on the path, where this file would shadow the
# membership package; the repository root goes there instead.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from membership import domain, service  # noqa: E402
from servicekit.db import create_engine, session_factory, transaction  # noqa: E402
from servicekit.graphql import GATEWAY_SECRET_HEADER  # noqa: E402
from servicekit.identity import COORDINATOR, NETWORK_ADMIN, Principal  # noqa: E402
from servicekit.migrations import ensure_database, upgrade  # noqa: E402

from bench.harness import load, server_database, service_process  # noqa: E402

SERVICE_DIR = Path(__file__).resolve().parents[1] / "services" / "membership"
MEMBERS = 400
PER_REQUEST = 100
SECRET = "bench-secret"  # noqa: S105 - the benchmark's own local network
QUERY = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { id displayName memberType } } }"


async def prepare(url: str) -> list[str]:
    await ensure_database(url)
    await asyncio.to_thread(upgrade, SERVICE_DIR, url)
    engine = create_engine(url, pool_size=2)
    sessions = session_factory(engine)
    admin = Principal(uuid4(), roles=frozenset({NETWORK_ADMIN}))
    async with transaction(sessions) as session:
        org = await service.register_organisation(session, admin, name="Bench Trust",
                                                  kind=domain.OrganisationKind.ACUTE_TRUST, region="Bench")
    coordinator = Principal(uuid4(), org.id, frozenset({COORDINATOR}))
    ids = []
    async with transaction(sessions) as session:
        for n in range(MEMBERS):
            member, code = await service.invite_member(
                session, coordinator, organisation_id=org.id, display_name=f"Member {n}", email=f"m{n}@bench.invalid",
                member_type=domain.MemberType.STAFF_CLINICAL, network_role=domain.NetworkRole.HERO)
            await service.join_network(session, invite_code=code, display_name=None,
                                       profile_visibility=domain.ProfileVisibility.NETWORK)
            ids.append(str(member.id))
    await engine.dispose()
    return ids


async def main() -> None:
    url = server_database("membership")
    ids = await prepare(url)
    rng = random.Random(7)  # noqa: S311 - a reproducible sample, not security
    bodies = [{"query": QUERY, "variables": {"r": [{"__typename": "Member", "id": i}
                                                   for i in rng.sample(ids, PER_REQUEST)]}}
              for _ in range(16)]
    headers = {GATEWAY_SECRET_HEADER: SECRET}
    results = []
    for batching in ("true", "false"):
        env = {"MEMBERSHIP_DATABASE_URL": url, "HEROES_GATEWAY_SECRET": SECRET, "MEMBERSHIP_BATCH_LOADING": batching}
        with service_process("membership.api:create_app", env) as base:
            name = f"_entities x{PER_REQUEST}, DataLoader {'on' if batching == 'true' else 'off'}"
            results.append(await load(name, f"{base}/graphql", bodies, headers=headers, concurrency=8, seconds=8,
                                      check=lambda body: len(body.get("data", {}).get("_entities", [])) == PER_REQUEST))
    for result in results:
        print(result.line())
    on, off = results
    print(f"{'ratio batching on / off (requests per second)':<44} {on.rps / off.rps:8.2f}x")


if __name__ == "__main__":
    asyncio.run(main())
