"""Training modules, completions, and the levels they add up to."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from servicekit import outbox
from servicekit.errors import InvalidInput, NotAllowed
from servicekit.identity import Principal
from sqlalchemy.ext.asyncio import AsyncSession

from membership import domain
from membership.domain import policy
from membership.domain.learning import DESCRIPTION_MAX, TITLE_MAX
from membership.domain.members import InvalidStatusChange
from membership.events import LevelAchieved, TrainingCompleted
from membership.repository import LearningRepository, MemberRepository, OrganisationRepository
from membership.service.common import utcnow


async def define_training_module(
    session: AsyncSession,
    principal: Principal,
    *,
    organisation_id: UUID,
    title: str,
    description: str,
    level: domain.LearningLevel,
    required: bool,
) -> domain.TrainingModule:
    """An organisation's own module, alongside the network catalogue (its coordinators only)."""
    if not principal.is_coordinator_of(organisation_id):
        raise NotAllowed("Only a coordinator of that organisation can add training modules to it.")
    await OrganisationRepository(session).get(organisation_id)
    module = domain.TrainingModule(
        id=uuid4(),
        title=domain.clean_text(title, field="title", label="module title", max_length=TITLE_MAX),
        description=domain.clean_text(description, field="description", label="description",
                                      max_length=DESCRIPTION_MAX, required=False),
        level=level, required=required, organisation_id=organisation_id,
    )
    await LearningRepository(session).add_module(module)
    return module


async def record_training_completion(
    session: AsyncSession, principal: Principal, *, member_id: UUID | None, module_id: UUID, completed_on: date
) -> list[domain.LearningLevel]:
    """Record a completed module; returns levels reached by it (each announced exactly once)."""
    stored = await MemberRepository(session).get(member_id or principal.require_member(), for_update=True)
    member = stored.member
    policy.require_self_or_coordinator(principal, member, "record this member's training")
    if member.status is domain.MemberStatus.ERASED:
        raise InvalidStatusChange("Training cannot be recorded for an erased member.")
    now = utcnow()
    if completed_on > now.date():
        raise InvalidInput("A completion can only be recorded for today or earlier.", field="completedOn")
    learning = LearningRepository(session)
    module = await learning.get_module(module_id)
    if not module.applies_to(member.organisation_id):
        raise NotAllowed("That module belongs to another organisation.", field="moduleId")
    if not await learning.record_completion(member.id, module.id, completed_on, now):
        return []
    await outbox.add(
        session,
        TrainingCompleted(member_id=member.id, organisation_id=member.organisation_id, module_id=module.id,
                          level=int(module.level), completed_at=now),
        key=member.id,
    )
    reached = domain.levels_newly_achieved(
        modules=await learning.modules_for(member.organisation_id),
        completed=set(await learning.completions(member.id)),
        achieved=set(await learning.achieved(member.id)),
        organisation_id=member.organisation_id,
    )
    for level in reached:
        # The member row is locked above and member_levels has (member, level) as its key,
        # so a level is stored, and announced, once.
        await learning.add_level(member.id, level, now)
        await outbox.add(
            session,
            LevelAchieved(member_id=member.id, organisation_id=member.organisation_id, level=int(level),
                          achieved_at=now),
            key=member.id,
        )
    return reached
