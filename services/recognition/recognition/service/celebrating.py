"""Posting celebrations: the row the feed shows and the event outside feeds receive."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid5

from servicekit import outbox
from sqlalchemy.ext.asyncio import AsyncSession

from recognition.domain.projections import MemberView, ProjectView
from recognition.domain.visibility import CelebrationKind, audience
from recognition.events import CelebrationPosted
from recognition.repository.celebrations import CelebrationRepository


def celebration_id_for(source_id: UUID) -> UUID:
    """One celebration per award, kudos or nomination, with an id that a replay reproduces."""
    return uuid5(source_id, "celebration")


async def post_celebrations(session: AsyncSession, posts: list[Celebration]) -> None:
    """Store celebrations and queue a CelebrationPosted event for each."""
    await CelebrationRepository(session).add(post.row() for post in posts)
    for post in posts:
        await outbox.add(session, post.event(), key=post.member_id or post.project_id or post.id)


class Celebration:
    """A celebration about to be posted, with the projections that say who may see it."""

    def __init__(
        self,
        *,
        source_id: UUID,
        kind: CelebrationKind,
        title: str,
        posted_at: datetime,
        member: MemberView | None = None,
        member_id: UUID | None = None,
        project: ProjectView | None = None,
        project_id: UUID | None = None,
        description: str | None = None,
        from_member_id: UUID | None = None,
        context_project_id: UUID | None = None,
        id_key: UUID | None = None,  # when one source has several celebrations (a badge earned again)
    ) -> None:
        self.id = celebration_id_for(id_key or source_id)
        self.source_id, self.kind, self.title, self.posted_at = source_id, kind, title, posted_at
        self.member, self.project, self.description = member, project, description
        self.member_id = member_id or (member.member_id if member else None)
        self.project_id = (
            None if self.member_id else (project_id or (project.project_id if project else None))
        )
        self.from_member_id, self.context_project_id = from_member_id, context_project_id

    def row(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "title": self.title,
            "description": self.description,
            "member_id": self.member_id,
            "project_id": self.project_id,
            "from_member_id": self.from_member_id,
            "context_project_id": self.context_project_id,
            "posted_at": self.posted_at,
            "award_id": self.source_id if self.kind is CelebrationKind.BADGE else None,
            "kudos_id": self.source_id if self.kind is CelebrationKind.KUDOS else None,
            "nomination_id": self.source_id if self.kind is CelebrationKind.NOMINATION else None,
        }

    def event(self) -> CelebrationPosted:
        subject_member = self.member if self.member_id else None
        subject_project = self.project if not self.member_id else None
        organisation = (
            subject_member.organisation_id
            if subject_member
            else subject_project.organisation_id
            if subject_project
            else None
        )
        return CelebrationPosted(
            celebration_id=self.id,
            kind=self.kind.value,
            member_id=self.member_id,
            project_id=self.project_id,
            organisation_id=organisation,
            shared_with=audience(subject_member, subject_project),
            award_id=self.source_id if self.kind is CelebrationKind.BADGE else None,
            kudos_id=self.source_id if self.kind is CelebrationKind.KUDOS else None,
            nomination_id=self.source_id if self.kind is CelebrationKind.NOMINATION else None,
            posted_at=self.posted_at,
        )
