"""A member's standing (status and network role) as membership says it, and what their token may do.

A token is honoured only while membership says its member is active, and only for the roles
membership grants that member. Membership reads its own members table; every other service
keeps a `member_standing` table from membership's events (invited, joined, status and role
changes, erasure), so an erased, paused or demoted member loses access everywhere within a
second of the change, with no call to membership per request. A refused caller may still ask
for the fields listed as `allowed_when_refused` (membership's `me`); everything else, every
write included, is refused with a code.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Column, DateTime, MetaData, Table, Text, select
from sqlalchemy.dialects.postgresql import UUID as PgUUID  # noqa: N811 - a column type, not a constant
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from servicekit.errors import DomainError, NotAllowed, Unauthenticated
from servicekit.identity import Principal

ACTIVE = "active"
ERASED = "erased"
INVITED = "invited"
# What each network role lets a token claim; every active member is a hero.
GRANTED: dict[str, frozenset[str]] = {
    "hero": frozenset({"hero"}),
    "coordinator": frozenset({"hero", "coordinator"}),
    "sponsor": frozenset({"hero", "sponsor"}),
    "network_admin": frozenset({"hero", "network_admin"}),
}
MEMBERSHIP_TOPIC = "membership.events.v1"
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Standing:
    organisation_id: UUID | None
    status: str
    network_role: str


# (session, member id, lock): the member's standing, read in that session; with `lock`, the row is
# held (FOR SHARE) until the session's transaction ends, so a change cannot slip in before the write.
Lookup = Callable[[AsyncSession, UUID, bool], Awaitable["Standing | None"]]


class MemberNotActive(NotAllowed):
    code = "member_not_active"


class NotAMember(Unauthenticated):
    code = "not_a_member"


class MembershipPending(DomainError):
    """This service has not yet heard from membership about the member (they have just joined)."""

    code = "membership_pending"


def honour(principal: Principal, standing: Standing | None, *, authoritative: bool
           ) -> tuple[Principal, DomainError | None]:
    """The caller as far as membership vouches for them, and why the rest is refused (or None)."""
    if principal.is_anonymous:
        return principal, None
    refused = replace(principal, roles=frozenset())
    if standing is None:
        if authoritative:
            return refused, NotAMember("This sign-in does not belong to a member of the network.")
        return refused, MembershipPending(
            "We are still setting up your membership on this part of the network. Please try again in "
            "a moment.", retryable=True)
    if standing.status == INVITED and not authoritative:
        # Only someone who has joined holds a sign-in: membership's word that they joined is on its way.
        return refused, MembershipPending(
            "We are still setting up your membership on this part of the network. Please try again in "
            "a moment.", retryable=True)
    if standing.status != ACTIVE:
        message = ("This membership has been erased." if standing.status == ERASED
                   else f"Your membership is {standing.status}, so you cannot do this now.")
        return refused, MemberNotActive(message, status=standing.status)
    roles = principal.roles & GRANTED.get(standing.network_role, frozenset({"hero"}))
    return replace(principal, roles=roles, organisation_id=standing.organisation_id or principal.organisation_id), None


class StandingCheck:
    """Checks callers' standing on every request (one primary-key read), and again inside every
    write's transaction, holding the row so that an erasure or suspension applied meanwhile
    cannot let a write through."""

    def __init__(self, lookup: Lookup, sessions: async_sessionmaker[AsyncSession], *, authoritative: bool) -> None:
        self.lookup = lookup
        self.sessions = sessions
        self.authoritative = authoritative

    async def resolve(self, principal: Principal) -> tuple[Principal, DomainError | None]:
        if principal.member_id is None:
            return principal, None
        async with self.sessions() as session:
            standing = await self.lookup(session, principal.member_id, False)
        return honour(principal, standing, authoritative=self.authoritative)

    async def confirm(self, session: AsyncSession, principal: Principal) -> None:
        """Inside a write's transaction: raise if membership no longer vouches for the caller."""
        if principal.member_id is None:
            return
        standing = await self.lookup(session, principal.member_id, True)
        _, refused = honour(principal, standing, authoritative=self.authoritative)
        if refused is not None:
            raise refused


# --- the table every service but membership keeps ------------------------------------------------

def standing_table(metadata: MetaData) -> Table:
    return Table(
        "member_standing",
        metadata,
        Column("member_id", PgUUID(as_uuid=True), primary_key=True),
        Column("organisation_id", PgUUID(as_uuid=True), nullable=True),
        Column("status", Text, nullable=False),
        Column("network_role", Text, nullable=False),
        Column("status_at", DateTime(timezone=True), nullable=False),
        Column("role_at", DateTime(timezone=True), nullable=False),
    )


def create_standing_table() -> None:
    """Create `member_standing`; call from a service migration's `upgrade()`."""
    from alembic import op

    standing_table(MetaData()).create(op.get_bind())


def drop_standing_table() -> None:
    from alembic import op

    op.drop_table("member_standing")


_TABLE = standing_table(MetaData())


async def table_lookup(session: AsyncSession, member_id: UUID, lock: bool) -> Standing | None:
    """A member's standing from this service's `member_standing` table."""
    query = select(_TABLE.c.organisation_id, _TABLE.c.status, _TABLE.c.network_role).where(
        _TABLE.c.member_id == member_id)
    row = (await session.execute(query.with_for_update(read=True) if lock else query)).first()
    return None if row is None else Standing(row.organisation_id, row.status, row.network_role)


# Membership event types that change a member's standing, and what each says.
STANDING_EVENTS = frozenset({
    "membership.member_invited", "membership.member_joined", "membership.member_status_changed",
    "membership.member_role_changed", "membership.member_erased",
})


async def record_standing(session: AsyncSession, event_type: str, payload: dict[str, Any]) -> None:
    """Apply one membership event to `member_standing` (in the consumer's transaction). Each part
    (status, role) keeps its newest value, so replays and redeliveries change nothing."""
    member_id = UUID(str(payload["member_id"]))
    organisation_id = UUID(str(payload["organisation_id"])) if payload.get("organisation_id") else None
    status: str | None = None
    role: str | None = payload.get("network_role")
    if event_type == "membership.member_invited":
        status, at = "invited", payload["invited_at"]
    elif event_type == "membership.member_joined":
        status, at = ACTIVE, payload["joined_at"]
    elif event_type == "membership.member_status_changed":
        status, at = str(payload["status"]), payload["changed_at"]
    elif event_type == "membership.member_role_changed":
        at = payload["changed_at"]
    elif event_type == "membership.member_erased":
        status, at = ERASED, payload["erased_at"]
    else:
        return
    when = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
    # A part this event does not speak of starts at the beginning of time, so any later word wins.
    values = {"member_id": member_id, "organisation_id": organisation_id, "status": status or "invited",
              "network_role": role or "hero", "status_at": when if status else NEVER,
              "role_at": when if role else NEVER}
    statement = insert(_TABLE).values(**values)
    updates: dict[str, Any] = {"organisation_id": statement.excluded.organisation_id}
    if status is not None:
        # Newer wins; at the very same moment (a seed's invite and join), joining beats the invite.
        newer = (statement.excluded.status_at > _TABLE.c.status_at) | (
            (statement.excluded.status_at == _TABLE.c.status_at) & (_TABLE.c.status == "invited")
            & (statement.excluded.status != "invited"))
        final = _TABLE.c.status == ERASED  # erasure is final, whatever arrives after it
        updates["status"] = _case(newer & ~final, statement.excluded.status, _TABLE.c.status)
        updates["status_at"] = _case(newer & ~final, statement.excluded.status_at, _TABLE.c.status_at)
    if role is not None:
        newer_role = statement.excluded.role_at > _TABLE.c.role_at
        updates["network_role"] = _case(newer_role, statement.excluded.network_role, _TABLE.c.network_role)
        updates["role_at"] = _case(newer_role, statement.excluded.role_at, _TABLE.c.role_at)
    await session.execute(statement.on_conflict_do_update(index_elements=[_TABLE.c.member_id], set_=updates))


def _case(condition: Any, then: Any, otherwise: Any) -> Any:
    from sqlalchemy import case

    return case((condition, then), else_=otherwise)
