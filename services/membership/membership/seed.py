"""Demo data for `make run`: fictional organisations, staff and service-user members, consents,
training records and a peer pairing, founded a year ago, then a year of history (seed_history.py).
Idempotent: fixed ids, and what exists is left alone.

Prints the demo member to sign in as (JSON on stdout) for `make run` to mint a token, and the
demo accounts that the development sign-in page offers.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from servicekit.clock import clock_at, utcnow
from servicekit.db import create_engine, session_factory, transaction
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from membership import domain, service
from membership.catalogue import LEVEL_ONE_MODULES, module_id
from membership.demo import DEMO, SEED_ADMIN, coordinator_of, demo_id
from membership.repository import MemberRepository, OrganisationRepository, PairingRepository
from membership.seed_history import founding_moment, history_anchor, seed_history
from membership.settings import get_settings

__all__ = ["DEMO", "MEMBERS", "ORGANISATIONS", "SEED_ADMIN", "coordinator_of", "demo_id", "seed"]

Kind, Type, Role = domain.OrganisationKind, domain.MemberType, domain.NetworkRole

ORGANISATIONS = (
    ("org:riverside", "Riverside University Hospitals NHS Trust (demo)", Kind.ACUTE_TRUST),
    ("org:northvale-voice", "Northvale Community Voice (demo)", Kind.VOLUNTARY_COMMUNITY_GROUP),
    ("org:northvale-council", "Northvale Borough Council (demo)", Kind.COUNCIL),
)
# slug, organisation, name, type, role, visibility, consents
MEMBERS = (
    ("member:riverside-coordinator", "org:riverside", "Asha Coordinator (demo)", Type.STAFF_NON_CLINICAL,
     Role.COORDINATOR, domain.ProfileVisibility.NETWORK, ()),
    ("member:riverside-nurse", "org:riverside", "Sam Nurse (demo)", Type.STAFF_CLINICAL, Role.HERO,
     domain.ProfileVisibility.NETWORK, ()),
    ("member:riverside-patient", "org:riverside", "Pat Patient (demo)", Type.SERVICE_USER, Role.HERO,
     domain.ProfileVisibility.NETWORK,
     (domain.ConsentPurpose.CONTACT, domain.ConsentPurpose.NAME_IN_ORGANISATION,
      domain.ConsentPurpose.NAME_ACROSS_NETWORK)),
    ("member:voice-coordinator", "org:northvale-voice", "Jo Organiser (demo)", Type.COMMUNITY_PARTNER,
     Role.COORDINATOR, domain.ProfileVisibility.NETWORK, ()),
    ("member:voice-carer", "org:northvale-voice", "Chris Carer (demo)", Type.CARER, Role.HERO,
     domain.ProfileVisibility.ORGANISATION, (domain.ConsentPurpose.NAME_IN_ORGANISATION,)),
    # Tokens are honoured only for real members: the network's administrator is one too.
    ("member:network-admin", "org:riverside", "Nia Network Admin (demo)", Type.STAFF_NON_CLINICAL,
     Role.NETWORK_ADMIN, domain.ProfileVisibility.ORGANISATION, ()),
)


async def seed_organisations(sessions: async_sessionmaker[AsyncSession]) -> int:
    created = 0
    for slug, name, kind in ORGANISATIONS:
        async with transaction(sessions) as session:
            if await OrganisationRepository(session).find(demo_id(slug)) is None:
                await service.register_organisation(session, SEED_ADMIN, name=name, kind=kind,
                                                    region="Riverside and Northvale", organisation_id=demo_id(slug))
                created += 1
    return created


async def seed_member(sessions: async_sessionmaker[AsyncSession], entry: tuple) -> bool:  # type: ignore[type-arg]
    slug, organisation, name, member_type, role, visibility, consents = entry
    member_id = demo_id(slug)
    async with transaction(sessions) as session:
        if await MemberRepository(session).find(member_id) is not None:
            return False
        coordinator = coordinator_of(organisation)
        _, code = await service.invite_member(
            session, SEED_ADMIN if role is Role.NETWORK_ADMIN else coordinator,
            organisation_id=demo_id(organisation), display_name=name,
            email=f"{slug.split(':')[1]}@demo.heroes.invalid", member_type=member_type, network_role=role,
            member_id=member_id,
        )
        await service.join_network(session, invite_code=code, display_name=None, profile_visibility=visibility)
        if consents:
            await service.record_consent(session, coordinator, member_id=member_id, purposes=list(consents))
        if member_type is Type.STAFF_CLINICAL:
            for module in LEVEL_ONE_MODULES:
                await service.record_training_completion(
                    session, coordinator, member_id=member_id, module_id=module_id(module),
                    completed_on=utcnow().date(),
                )
    return True


async def seed_pairing(sessions: async_sessionmaker[AsyncSession]) -> bool:
    nurse, patient = demo_id("member:riverside-nurse"), demo_id("member:riverside-patient")
    async with transaction(sessions) as session:
        if await PairingRepository(session).active_between(nurse, patient):
            return False
        await service.pair_peers(session, coordinator_of("org:riverside"), first_member_id=nurse,
                                 second_member_id=patient, kind=domain.PairingKind.BUDDY)
    return True


def demo_accounts() -> list[dict[str, str]]:
    """The demo members as the development sign-in page lists them."""
    organisations = {slug: name for slug, name, _ in ORGANISATIONS}
    return [{"member_id": str(demo_id(slug)), "name": name, "organisation": organisations[organisation],
             "role": role.value}
            for slug, organisation, name, _, role, _, _ in MEMBERS]


def founders() -> dict[str, list[str]]:
    """The demo accounts of each organisation (slugs): they answer the pulse in the history too."""
    by_organisation: dict[str, list[str]] = {}
    for slug, organisation, *_ in MEMBERS:
        by_organisation.setdefault(organisation, []).append(slug)
    return by_organisation


async def seed(database_url: str | None = None) -> dict[str, Any]:
    engine = create_engine(database_url or get_settings().dsn, pool_size=2)
    sessions = session_factory(engine)
    try:
        anchor = await history_anchor(sessions)
        # The organisations and demo accounts were there from the start of the year of history.
        with clock_at(founding_moment(anchor)):
            organisations = await seed_organisations(sessions)
            members = [await seed_member(sessions, entry) for entry in MEMBERS]
            paired = await seed_pairing(sessions)
        history = await seed_history(sessions, anchor=anchor, founders=founders())
    finally:
        await engine.dispose()
    print(f"seed: {organisations} organisation(s) and {sum(members)} member(s) added"
          f"{', and a peer pairing' if paired else ''}; {history.summary()}; the rest was already there",
          file=sys.stderr)
    return {
        "demo_member_id": str(demo_id("member:riverside-coordinator")),
        "demo_organisation_id": str(demo_id("org:riverside")),
        "demo_roles": "hero,coordinator",
        "demo_description": "Asha, coordinator at Riverside (demo)",
        "demo_accounts": demo_accounts(),
    }


def main() -> None:
    print(json.dumps(asyncio.run(seed())))


if __name__ == "__main__":
    main()
