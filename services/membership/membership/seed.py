"""Demo data for `make run`: fictional organisations (and members as the service grows).

Idempotent: fixed ids, and anything already present is left as it is. Prints
the demo member to sign in as (JSON on stdout) for `make run` to mint a token.
"""

from __future__ import annotations

import asyncio
import json
import sys
from uuid import UUID, uuid5

from servicekit.db import create_engine, session_factory, transaction
from servicekit.identity import NETWORK_ADMIN, Principal

from membership import domain, service
from membership.repository import OrganisationRepository
from membership.settings import get_settings

DEMO = UUID("5eed0000-0000-4000-8000-000000000000")


def demo_id(name: str) -> UUID:
    return uuid5(DEMO, name)


SEED_ADMIN = Principal(member_id=demo_id("member:network-admin"), roles=frozenset({NETWORK_ADMIN}))

ORGANISATIONS = (
    ("org:riverside", "Riverside University Hospitals NHS Trust (demo)",
     domain.OrganisationKind.ACUTE_TRUST, "Riverside and Northvale"),
    ("org:northvale-voice", "Northvale Community Voice (demo)",
     domain.OrganisationKind.VOLUNTARY_COMMUNITY_GROUP, "Riverside and Northvale"),
    ("org:northvale-council", "Northvale Borough Council (demo)",
     domain.OrganisationKind.COUNCIL, "Riverside and Northvale"),
)


async def seed() -> dict[str, str]:
    engine = create_engine(get_settings().dsn, pool_size=2)
    sessions = session_factory(engine)
    created = 0
    try:
        for key, name, kind, region in ORGANISATIONS:
            async with transaction(sessions) as session:
                if await OrganisationRepository(session).find(demo_id(key)) is None:
                    await service.register_organisation(
                        session, SEED_ADMIN, name=name, kind=kind, region=region,
                        organisation_id=demo_id(key),
                    )
                    created += 1
    finally:
        await engine.dispose()
    print(f"seed: {created} organisation(s) added, {len(ORGANISATIONS) - created} already there", file=sys.stderr)
    return {
        "demo_member_id": str(SEED_ADMIN.member_id),
        "demo_roles": NETWORK_ADMIN,
        "demo_description": "network administrator",
    }


def main() -> None:
    print(json.dumps(asyncio.run(seed())))


if __name__ == "__main__":
    main()
