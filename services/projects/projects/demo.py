"""The demo network as projects' seeds name it: fixed ids (uuid5 of one namespace, as every
service's seed makes them) and the demo members' identities."""

from __future__ import annotations

from uuid import UUID, uuid5

from servicekit.identity import COORDINATOR, HERO, Principal

DEMO = UUID("5eed0000-0000-4000-8000-000000000000")


def demo_id(name: str) -> UUID:
    return uuid5(DEMO, name)


RIVERSIDE, VOICE = demo_id("org:riverside"), demo_id("org:northvale-voice")


def person(slug: str, organisation: UUID, role: str = HERO) -> Principal:
    return Principal(
        member_id=demo_id(f"member:{slug}"), organisation_id=organisation, roles=frozenset({role})
    )


RIVERSIDE_COORDINATOR = person("riverside-coordinator", RIVERSIDE, COORDINATOR)
NURSE = person("riverside-nurse", RIVERSIDE)
PATIENT = person("riverside-patient", RIVERSIDE)
VOICE_COORDINATOR = person("voice-coordinator", VOICE, COORDINATOR)
CARER = person("voice-carer", VOICE)


def member(who: Principal) -> UUID:
    return who.require_member()
