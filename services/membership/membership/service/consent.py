"""Recording and withdrawing consent. Other services learn only where the member may now be shown."""

from __future__ import annotations

from uuid import UUID

from servicekit.errors import InvalidInput
from servicekit.identity import Principal
from sqlalchemy.ext.asyncio import AsyncSession

from membership import domain
from membership.domain import policy
from membership.domain.consent import require_consent_applies
from membership.repository import ConsentRepository, MemberRepository
from membership.service.common import save_member, utcnow


async def _record(
    session: AsyncSession, principal: Principal, *, member_id: UUID | None,
    purposes: list[domain.ConsentPurpose], given: bool,
) -> domain.ConsentState:
    if not purposes:
        raise InvalidInput("Please choose at least one thing to consent to or withdraw.", field="purposes")
    stored = await MemberRepository(session).get(member_id or principal.require_member(), for_update=True)
    policy.require_self_or_coordinator(principal, stored.member, "record this member's consent")
    require_consent_applies(stored.member)
    now = utcnow()
    consents = ConsentRepository(session)
    await consents.add(stored.member.id, [domain.ConsentRecord(p, given, now) for p in dict.fromkeys(purposes)])
    await save_member(session, stored.member, previous=stored.visibility, now=now)
    return await consents.state(stored.member.id)


async def record_consent(
    session: AsyncSession, principal: Principal, *, member_id: UUID | None, purposes: list[domain.ConsentPurpose]
) -> domain.ConsentState:
    """Record consent given now (the member, or a coordinator recording what the member said)."""
    return await _record(session, principal, member_id=member_id, purposes=purposes, given=True)


async def withdraw_consent(
    session: AsyncSession, principal: Principal, *, member_id: UUID | None, purposes: list[domain.ConsentPurpose]
) -> domain.ConsentState:
    """Withdraw consent; it takes effect in this transaction and wins over any older consent."""
    return await _record(session, principal, member_id=member_id, purposes=purposes, given=False)
