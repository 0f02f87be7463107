"""Peer support pairings and their check-ins."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from servicekit import outbox
from servicekit.errors import NotAllowed
from servicekit.identity import Principal
from sqlalchemy.ext.asyncio import AsyncSession

from membership import domain
from membership.domain import policy
from membership.domain.peers import PairingNotPossible
from membership.events import PairingEnded, PeersPaired
from membership.repository import MemberRepository, PairingRepository
from membership.service.common import utcnow


async def pair_peers(
    session: AsyncSession, principal: Principal, *, first_member_id: UUID, second_member_id: UUID,
    kind: domain.PairingKind, pairing_id: UUID | None = None,
) -> domain.Pairing:
    """Pair two active members (a coordinator of either member's organisation). `pairing_id` fixes
    the new pairing's id (the demo seed's fixed ids); otherwise a new one is made."""
    members = MemberRepository(session)
    first = (await members.get(first_member_id, for_update=True)).member
    second = (await members.get(second_member_id, for_update=True)).member
    if not (policy.manages(principal, first) or policy.manages(principal, second)):
        raise NotAllowed("Only a coordinator of one of the two members' organisations can pair them.")
    now = utcnow()
    pairing = domain.Pairing.pair(first, second, kind=kind, now=now, id=pairing_id)
    pairings = PairingRepository(session)
    if await pairings.active_between(first.id, second.id):
        raise PairingNotPossible("These two members are already paired.")
    await pairings.add(pairing)
    await outbox.add(
        session,
        PeersPaired(pairing_id=pairing.id, kind=kind.value, first_member_id=first.id, second_member_id=second.id,
                    crosses_organisations=pairing.crosses_organisations, paired_at=now),
        key=pairing.id,
    )
    return pairing


async def _pairing_for(session: AsyncSession, principal: Principal, pairing_id: UUID, action: str) -> domain.Pairing:
    pairing = await PairingRepository(session).get(pairing_id, for_update=True)
    if pairing.involves(principal.member_id):
        return pairing
    members = await MemberRepository(session).list_many([pairing.first_member_id, pairing.second_member_id])
    if any(policy.manages(principal, stored.member) for stored in members.values()):
        return pairing
    raise NotAllowed(f"Only the paired members or their coordinators can {action}.")


async def record_check_in(
    session: AsyncSession, principal: Principal, *, pairing_id: UUID, happened_on: date, note: str
) -> domain.CheckIn:
    recorder = principal.require_member()
    pairing = await _pairing_for(session, principal, pairing_id, "record a check-in")
    check_in = domain.CheckIn.record(pairing, recorded_by=recorder, happened_on=happened_on, note=note, now=utcnow())
    await PairingRepository(session).add_check_in(check_in)
    return check_in


async def end_pairing(session: AsyncSession, principal: Principal, *, pairing_id: UUID) -> domain.Pairing:
    principal.require_member()
    pairing = await _pairing_for(session, principal, pairing_id, "end this pairing")
    now = utcnow()
    ended = pairing.end(now=now)
    await PairingRepository(session).save_ended(ended)
    await outbox.add(session, PairingEnded(pairing_id=ended.id, ended_at=now), key=ended.id)
    return ended
