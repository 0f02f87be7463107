"""A member's standing as membership's events set it, whatever order and timing they come in."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from servicekit.db import transaction
from servicekit.standing import record_standing

from .conftest import Kit

pytestmark = pytest.mark.asyncio(loop_scope="session")
MOMENT = datetime(2025, 12, 3, 10, tzinfo=UTC)


async def standing_after(kit: Kit, *events: tuple[str, Mapping[str, object]]) -> str:
    member = uuid4()
    for event_type, payload in events:
        async with transaction(kit.sessions) as session:
            await record_standing(session, event_type, {"member_id": str(member), "organisation_id": str(uuid4()),
                                                         "network_role": "hero", **payload})
    return str(await kit.scalar("SELECT status FROM member_standing WHERE member_id = :m", m=member))


async def test_a_join_at_the_same_moment_as_the_invite_makes_the_member_active(kit: Kit) -> None:
    invited = ("membership.member_invited", {"invited_at": MOMENT.isoformat()})
    joined = ("membership.member_joined", {"joined_at": MOMENT.isoformat()})

    assert await standing_after(kit, invited, joined) == "active"
    assert await standing_after(kit, joined, invited) == "active"


async def test_an_older_word_never_undoes_a_newer_one(kit: Kit) -> None:
    joined = ("membership.member_joined", {"joined_at": MOMENT.isoformat()})
    paused = ("membership.member_status_changed", {"status": "paused",
                                                   "changed_at": (MOMENT + timedelta(days=1)).isoformat()})
    late_invite = ("membership.member_invited", {"invited_at": (MOMENT - timedelta(days=1)).isoformat()})

    assert await standing_after(kit, joined, paused, late_invite) == "paused"
    assert await standing_after(kit, paused, joined) == "paused"
