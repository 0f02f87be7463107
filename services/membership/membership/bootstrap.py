"""`python -m membership.bootstrap`: create the network's first administrator (operators, once).

    python -m membership.bootstrap --organisation "Riverside University Hospitals NHS Trust" \
        --kind ACUTE_TRUST --region "Riverside" --name "Alex Admin" --email alex.admin@example.org

Prints the organisation and member ids as JSON; the identity provider then issues that member's
sign-in with the `network_admin` role. Running it again for the same email's member changes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from servicekit.db import create_engine, session_factory, transaction

from membership import domain
from membership.service.bootstrap import bootstrap_network_admin
from membership.settings import get_settings


async def run(args: argparse.Namespace) -> dict[str, str]:
    engine = create_engine(get_settings().dsn, pool_size=1)
    try:
        async with transaction(session_factory(engine)) as session:
            organisation_id, member_id = await bootstrap_network_admin(
                session, organisation_name=args.organisation, kind=domain.OrganisationKind[args.kind],
                region=args.region, display_name=args.name, email=args.email)
    finally:
        await engine.dispose()
    return {"organisation_id": str(organisation_id), "member_id": str(member_id)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="membership.bootstrap", description=__doc__.splitlines()[0])
    parser.add_argument("--organisation", required=True, help="the host organisation's name")
    parser.add_argument("--kind", required=True, choices=[k.name for k in domain.OrganisationKind])
    parser.add_argument("--region", required=True)
    parser.add_argument("--name", required=True, help="the administrator's display name")
    parser.add_argument("--email", required=True, help="the administrator's contact email")
    print(json.dumps(asyncio.run(run(parser.parse_args(argv)))))  # noqa: T201 - a CLI's output
    return 0


if __name__ == "__main__":
    sys.exit(main())
