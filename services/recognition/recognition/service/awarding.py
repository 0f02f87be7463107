"""Applying consumed events: projections, rule progress, awards, celebrations, erasure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from servicekit import outbox
from sqlalchemy.ext.asyncio import AsyncSession

from recognition.domain.engine import (
    Award,
    Fact,
    ProjectCredit,
    RuleBook,
    apply_facts,
    fold,
    project_credits,
)
from recognition.domain.projections import MEMBER_EVENTS, WorkingSet
from recognition.domain.rules import Recipient
from recognition.domain.visibility import CelebrationKind
from recognition.events import BadgeAwarded
from recognition.repository.awards import AwardRepository
from recognition.repository.celebrations import CelebrationRepository
from recognition.repository.people import KudosRepository, NominationRepository
from recognition.repository.projections import ProjectionRepository
from recognition.repository.rules import RuleRepository
from recognition.service.celebrating import Celebration, celebration_id_for, post_celebrations


@dataclass(frozen=True, slots=True)
class BatchResult:
    events: int
    awards: int
    erased: int


async def apply_events(session: AsyncSession, facts: list[Fact]) -> BatchResult:
    """Apply consumed events in order; queues BadgeAwarded and CelebrationPosted for new awards.

    The caller owns the transaction (the consumer's, with the inbox claims), so a
    batch has all its effects or none.
    """
    projections = ProjectionRepository(session)
    rules = RuleBook(await RuleRepository(session).all())
    working = WorkingSet(
        members=await projections.members(_member_ids(facts)),
        projects=await projections.projects(_project_ids(facts)),
    )
    found = apply_facts(facts, rules, working)
    await projections.save_members(
        working.members[member_id] for member_id in working.changed_members
    )
    await projections.save_projects(
        working.projects[project_id] for project_id in working.changed_projects
    )

    awards = AwardRepository(session)
    thresholds = {rule_id: rule.threshold for rule_id, rule in rules.by_id.items()}
    locked = await awards.lock_progress((item.key for item in found), thresholds)
    outcome = fold(locked, found)
    await awards.save_progress(outcome.progress)
    erased = await projections.erased(
        _member_recipients(outcome.new_awards + outcome.corrected_awards)
    )
    await awards.save_awards(outcome.new_awards + outcome.corrected_awards, erased)
    await CelebrationRepository(session).correct_award_celebrations(
        (
            award.id,
            celebration_id_for(award.id),
            award.awarded_at,
            None if award.recipient is Recipient.PROJECT else award.project_id,
        )
        for award in outcome.corrected_awards
    )
    await _celebrate(
        session, [award for award in outcome.new_awards if award.recipient_id not in erased], rules
    )
    held = {key for key, item in locked.items() if item.complete}
    credited = await awards.credit_projects(project_credits(found, held))
    await _celebrate_again(session, credited, rules)
    for member_id, at in sorted(working.erased.items()):
        await erase_member(session, member_id, at)
    return BatchResult(
        events=len(facts), awards=len(outcome.new_awards), erased=len(working.erased)
    )


async def erase_member(session: AsyncSession, member_id: UUID, at: datetime) -> None:
    """Membership erased a member: anonymise their awards; remove what they wrote or names them."""
    await AwardRepository(session).anonymise_member(member_id, at)
    await CelebrationRepository(session).remove_member(member_id)
    await KudosRepository(session).remove_for_member(member_id, at)
    await NominationRepository(session).scrub_member(member_id)


async def _celebrate(session: AsyncSession, awards: list[Award], rules: RuleBook) -> None:
    if not awards:
        return
    projections = ProjectionRepository(session)
    members = await projections.members(_member_recipients(awards))
    projects = await projections.projects(
        {award.recipient_id for award in awards if award.recipient is Recipient.PROJECT}
    )
    posts = []
    for award in awards:
        badge = rules.by_id[award.rule_id].badge
        is_project = award.recipient is Recipient.PROJECT
        posts.append(
            Celebration(
                source_id=award.id,
                kind=CelebrationKind.BADGE,
                title=badge.name,
                description=badge.description,
                posted_at=award.awarded_at,
                member=members.get(award.recipient_id),
                member_id=None if is_project else award.recipient_id,
                project=projects.get(award.recipient_id),
                project_id=award.recipient_id if is_project else None,
                context_project_id=None if is_project else award.project_id,
            )
        )
        await outbox.add(session, _awarded(award), key=award.recipient_id)
    await post_celebrations(session, posts)


async def _celebrate_again(
    session: AsyncSession, credited: list[tuple[ProjectCredit, UUID | None]], rules: RuleBook
) -> None:
    """A team badge already held, earned again on another project: that project's team is
    celebrated too (the badge itself is not given twice; it counts the projects)."""
    again = [credit for credit, award_project in credited if credit.project_id != award_project]
    if not again:
        return
    projections = ProjectionRepository(session)
    erased = await projections.erased({credit.member_id for credit in again})
    members = await projections.members({credit.member_id for credit in again})
    posts = []
    for credit in again:
        if credit.member_id in erased:
            continue
        badge = rules.by_id[credit.rule_id].badge
        posts.append(
            Celebration(
                source_id=credit.award_id,
                id_key=credit.celebration_id,
                kind=CelebrationKind.BADGE,
                title=badge.name,
                description=f"Again, on another project: {badge.description}",
                posted_at=credit.evidence.occurred_at,
                member=members.get(credit.member_id),
                member_id=credit.member_id,
                context_project_id=credit.project_id,
            )
        )
    await post_celebrations(session, posts)


def _awarded(award: Award) -> BadgeAwarded:
    is_project = award.recipient is Recipient.PROJECT
    return BadgeAwarded(
        award_id=award.id,
        rule_id=award.rule_id,
        recipient=award.recipient.value,
        member_id=None if is_project else award.recipient_id,
        project_id=award.project_id,
        evidence=list(award.evidence),
        awarded_at=award.awarded_at,
    )


def _member_ids(facts: Iterable[Fact]) -> set[UUID]:
    return {UUID(str(fact.attributes["member_id"])) for fact in facts if fact.name in MEMBER_EVENTS}


def _project_ids(facts: Iterable[Fact]) -> set[UUID]:
    return {project_id for fact in facts if (project_id := fact.project_id) is not None}


def _member_recipients(awards: Iterable[Award]) -> set[UUID]:
    return {award.recipient_id for award in awards if award.recipient is not Recipient.PROJECT}
