"""Fixed ids and acting coordinators of the demo data (`make run`): the seed and its history share them."""

from __future__ import annotations

from uuid import UUID, uuid5

from servicekit.identity import COORDINATOR, NETWORK_ADMIN, Principal

DEMO = UUID("5eed0000-0000-4000-8000-000000000000")


def demo_id(name: str) -> UUID:
    """The fixed id of a demo record, e.g. demo_id("member:history-01"); other services' seeds use the same."""
    return uuid5(DEMO, name)


SEED_ADMIN = Principal(member_id=demo_id("member:network-admin"), roles=frozenset({NETWORK_ADMIN}))


def coordinator_of(organisation: str) -> Principal:
    """The seed acting as a coordinator of a demo organisation (by slug, e.g. "org:riverside")."""
    return Principal(member_id=demo_id(f"member:{organisation}-seed"), organisation_id=demo_id(organisation),
                     roles=frozenset({COORDINATOR}))
