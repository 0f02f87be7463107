"""GraphQL types of the recognition subgraph, and its extensions of Member and Project."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from uuid import UUID

import strawberry
from servicekit.identity import Principal
from servicekit.pagination import Connection, PageInfo, build_connection, page_size

from recognition.domain import kudos as kudos_domain
from recognition.domain import nominations as nominations_domain
from recognition.domain.rules import Recipient
from recognition.domain.visibility import CelebrationView, celebration_seen, member_visible, project_visible
from recognition.repository.awards import AwardRecord
from recognition.schema.common import (
    PAGE,
    After,
    CelebrationKind,
    First,
    NominationStatus,
    RecognitionInfo,
    decode_position,
    parse_id,
    position_cursor,
    to_id,
)
from recognition.service.credentials import issue_credential


async def member_badges(info: RecognitionInfo, member_id: UUID) -> list[Badge]:
    """A member's badges, when the caller may see the member (batched across members)."""
    if not await info.context.can_see_member(member_id):
        return []
    return [Badge(record=record) for record in await info.context.badges.load(member_id)]


def _empty() -> Connection[object]:
    return Connection(edges=[], page_info=PageInfo(has_next_page=False, end_cursor=None))


@strawberry.federation.type(
    keys=["id"],
    description="A hero of the network. Recognition adds the badges they hold and the thank-yous "
    "they received.",
)
class Member:
    id: strawberry.ID = strawberry.field(description="Stable identifier of the member.")
    # Membership's word, at query time, that the caller may see this member: what recognition
    # holds about people is shown only then, so consent withdrawal holds at once (DESIGN section 6).
    shown_to_you: bool = strawberry.federation.field(external=True, default=False)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, shownToYou: bool = False, **_: object) -> Member:  # noqa: N803
        return cls(id=id, shown_to_you=shownToYou)

    @strawberry.federation.field(
        requires=["shownToYou"],
        description="Badges this member holds, oldest first. Empty when you may not see them."
    )
    async def badges(self, info: RecognitionInfo) -> list[Badge]:
        if not self.shown_to_you:
            return []
        return await member_badges(info, parse_id(self.id, field="id"))

    @strawberry.federation.field(
        requires=["shownToYou"],
        description="Thank-yous (kudos) this member received, newest first. You see the public "
        "ones of members you may see; the member also sees the private ones.",
        directives=[PAGE],
    )
    async def kudos_received(
        self, info: RecognitionInfo, first: First = None, after: After = None
    ) -> Connection[Kudos]:
        member_id, limit, position = (
            parse_id(self.id, field="id"),
            page_size(first),
            decode_position(after),
        )
        if not self.shown_to_you or not await info.context.can_see_member(member_id):
            return _empty()  # type: ignore[return-value]
        found = await info.context.kudos_received.load((member_id, limit + 1, position))
        return build_connection(
            found,
            limit=limit,
            cursor_of=lambda item: position_cursor(item.given_at, item.id),
            to_node=Kudos.from_domain,
        )


@strawberry.federation.type(
    keys=["id"],
    description="An improvement project. Recognition adds the celebrations of the project.",
)
class Project:
    id: strawberry.ID = strawberry.field(description="Stable identifier of the project.")

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Project:
        return cls(id=id)

    @strawberry.field(
        description="Celebrations of this project (badges it earned, thank-yous to its team, "
        "awards "
        "it was granted), newest first. Empty when you may not see the project.",
        directives=[PAGE],
    )
    async def celebrations(
        self, info: RecognitionInfo, first: First = None, after: After = None
    ) -> Connection[Celebration]:
        project_id, limit, position = (
            parse_id(self.id, field="id"),
            page_size(first),
            decode_position(after),
        )
        if not await info.context.can_see_project(project_id):
            return _empty()  # type: ignore[return-value]
        found = await info.context.project_celebrations.load((project_id, limit + 1, position))
        viewer = info.context.viewer
        return build_connection(
            found,
            limit=limit,
            cursor_of=lambda item: position_cursor(item.posted_at, item.id),
            to_node=lambda view: Celebration.from_view(view, viewer),
        )


@strawberry.type(
    description="A signed Open Badges 3.0 certificate of a badge, to keep in a digital wallet."
)
class OpenBadgeCredential:
    jwt: str = strawberry.field(
        description="The certificate as a signed VC-JWT (RS256), ready to share."
    )
    credential_json: str = strawberry.field(
        description="The OpenBadgeCredential the JWT carries, as JSON text."
    )


@strawberry.type(
    description="A badge a member or a project earned, with the events that earned it."
)
class Badge:
    record: strawberry.Private[AwardRecord]

    @strawberry.field(description="Stable identifier of this award of the badge.")
    def id(self) -> strawberry.ID:
        return to_id(self.record.id)

    @strawberry.field(description="The badge's name.")
    def name(self) -> str:
        return self.record.badge.name

    @strawberry.field(description="What the badge means, in plain English.")
    def description(self) -> str:
        return self.record.badge.description

    @strawberry.field(description="What earns the badge, in plain English.")
    def criteria(self) -> str:
        return self.record.badge.criteria

    @strawberry.field(description="When it was earned: the time of the last event that earned it.")
    def awarded_at(self) -> datetime:
        return self.record.awarded_at

    @strawberry.field(description="The recognition rule that gave it.")
    def rule_id(self) -> strawberry.ID:
        return to_id(self.record.rule_id)

    @strawberry.field(description="Ids of the recorded events that earned it (the evidence).")
    def evidence(self) -> list[strawberry.ID]:
        return [to_id(event_id) for event_id in self.record.evidence]

    @strawberry.field(
        description="For a team badge: on how many projects it was earned. It is held once, and each "
        "project's team is celebrated when it earns it. 0 for other badges."
    )
    def project_count(self) -> int:
        return self.record.project_count

    @strawberry.field(description="The member who holds it; null for a project's badge.")
    def member(self) -> Member | None:
        if self.record.recipient is Recipient.PROJECT or self.record.recipient_id is None:
            return None
        return Member(id=to_id(self.record.recipient_id))

    @strawberry.field(description="The project it was earned with, when you may see that project.")
    async def project(self, info: RecognitionInfo) -> Project | None:
        project_id = self.record.project_id
        if project_id is None or not await info.context.can_see_project(project_id):
            return None
        return Project(id=to_id(project_id))

    @strawberry.field(
        description="The badge as a signed Open Badges 3.0 certificate. Only its holder gets it; "
        "null for anyone else and for project badges."
    )
    def open_badge_credential(self, info: RecognitionInfo) -> OpenBadgeCredential | None:
        signed = issue_credential(
            self.record, info.context.viewer, info.context.services.signer, datetime.now(UTC)
        )
        if signed is None:
            return None
        return OpenBadgeCredential(
            jwt=signed.jwt, credential_json=json.dumps(signed.credential, sort_keys=True)
        )


@strawberry.federation.type(
    keys=["id"],
    description="Something worth celebrating: a badge earned, a public thank-you, or a granted "
    "nomination. Shown only where the member or project may be shown.",
)
class Celebration:
    id: strawberry.ID = strawberry.field(description="Stable identifier of the celebration.")
    kind: CelebrationKind = strawberry.field(description="What is being celebrated.")
    title: str = strawberry.field(description="The badge or award name, or 'Thank you'.")
    description: str | None = strawberry.field(description="What a badge means, in plain English.")
    posted_at: datetime = strawberry.field(description="When it happened.")
    member: Member | None = strawberry.field(
        description="The member celebrated, if it is about a member."
    )
    project: Project | None = strawberry.field(
        description="The project celebrated, if it is about a project."
    )
    from_member: Member | None = strawberry.field(
        description="Who said thank you, when you may see them."
    )
    related_project: Project | None = strawberry.field(
        description="The project a member's badge was earned with, when you may see that project."
    )
    # Text by or about people is shown only while membership says, now, that the caller may see
    # everyone it names: consent withdrawal and visibility changes hold at once (DESIGN section 6).
    people_ids: list[strawberry.ID] = strawberry.federation.field(
        inaccessible=True, description="The members it names (the giver too, for a thank-you)."
    )
    everyone_shown: bool = strawberry.federation.field(  # @inaccessible where membership defines it
        external=True, default=False,
        description="Membership's word: may the caller see every member it names, right now?",
    )
    text: strawberry.Private[str | None] = None

    @strawberry.federation.field(
        requires=["everyoneShown"],
        description="The thank-you message, for a thank-you; shown only while you may see everyone "
        "it names.",
    )
    def message(self) -> str | None:
        return self.text if self.everyone_shown else None

    @classmethod
    def from_view(cls, view: CelebrationView, viewer: Principal) -> Celebration:
        shows_giver = view.from_member_id is not None and member_visible(view.from_member, viewer)
        shows_context = view.context_project_id is not None and project_visible(
            view.context_project, viewer
        )
        return cls(
            id=to_id(view.id),
            kind=CelebrationKind(view.kind.value),
            title=view.title,
            description=view.description,
            posted_at=view.posted_at,
            member=Member(id=to_id(view.member_id)) if view.member_id else None,
            project=Project(id=to_id(view.project_id)) if view.project_id else None,
            from_member=Member(id=to_id(view.from_member_id))
            if shows_giver and view.from_member_id
            else None,
            related_project=Project(id=to_id(view.context_project_id))
            if shows_context and view.context_project_id
            else None,
            people_ids=[to_id(person) for person in (view.member_id, view.from_member_id) if person],
            text=view.message,
        )

    @classmethod
    async def resolve_reference(
        cls, info: RecognitionInfo, id: strawberry.ID, everyoneShown: bool = False, **_: object  # noqa: N803
    ) -> Celebration | None:
        """For the gateway: the celebration again, with membership's word on who it names."""
        view = await info.context.celebrations.load(parse_id(id, field="id"))
        if view is None or not celebration_seen(view, info.context.viewer):
            return None
        found = cls.from_view(view, info.context.viewer)
        found.everyone_shown = everyoneShown
        return found


@strawberry.federation.type(
    keys=["id"], description="A thank-you from one member to another member or to a project team."
)
class Kudos:
    kudos: strawberry.Private[kudos_domain.Kudos]
    id: strawberry.ID = strawberry.field(description="Stable identifier of the thank-you.")
    given_at: datetime = strawberry.field(description="When it was sent.")
    is_public: bool = strawberry.field(description="True when it is also celebrated in the feed.")
    to_member: Member | None = strawberry.field(
        description="The member thanked, if a member was thanked."
    )
    to_project: Project | None = strawberry.field(
        description="The project team thanked, if a team was thanked."
    )
    # As for celebrations: the words are shown only while membership says, now, that the caller
    # may see both the giver and the member thanked.
    people_ids: list[strawberry.ID] = strawberry.federation.field(
        inaccessible=True, description="The members it names: the giver and the member thanked."
    )
    everyone_shown: bool = strawberry.federation.field(  # @inaccessible where membership defines it
        external=True, default=False,
        description="Membership's word: may the caller see every member it names, right now?",
    )

    @strawberry.federation.field(
        requires=["everyoneShown"],
        description="What they said (plain text). Null once removed, and while you may not see "
        "everyone it names.",
    )
    def message(self) -> str | None:
        return self.kudos.message if self.everyone_shown else None

    @classmethod
    def from_domain(cls, kudos: kudos_domain.Kudos) -> Kudos:
        return cls(
            kudos=kudos,
            id=to_id(kudos.id),
            given_at=kudos.given_at,
            is_public=kudos.is_public,
            to_member=Member(id=to_id(kudos.to_member_id)) if kudos.to_member_id else None,
            to_project=Project(id=to_id(kudos.to_project_id)) if kudos.to_project_id else None,
            people_ids=[to_id(person) for person in (kudos.giver_id, kudos.to_member_id) if person],
        )

    @classmethod
    async def resolve_reference(
        cls, info: RecognitionInfo, id: strawberry.ID, everyoneShown: bool = False, **_: object  # noqa: N803
    ) -> Kudos | None:
        """For the gateway: the thank-you again, when the caller may read it, with membership's word."""
        kudos = await info.context.kudos.load(parse_id(id, field="id"))
        viewer = info.context.viewer.member_id
        if kudos is None or not (kudos.is_public or viewer in (kudos.giver_id, kudos.to_member_id)):
            return None
        found = cls.from_domain(kudos)
        found.everyone_shown = everyoneShown
        return found

    @strawberry.field(description="Who said thank you, when you may see them.")
    async def from_member(self, info: RecognitionInfo) -> Member | None:
        giver = self.kudos.giver_id
        if giver is None or not await info.context.can_see_member(giver):
            return None
        return Member(id=to_id(giver))


@strawberry.type(
    description="A nomination of a member or project for a named award, decided by coordinators of "
    "the nominee's organisation."
)
class Nomination:
    nomination: strawberry.Private[nominations_domain.Nomination]
    id: strawberry.ID = strawberry.field(description="Stable identifier of the nomination.")
    award_name: str = strawberry.field(description="The award they are nominated for.")
    status: NominationStatus = strawberry.field(description="Waiting, granted or declined.")
    submitted_at: datetime = strawberry.field(description="When it was submitted.")
    decided_at: datetime | None = strawberry.field(description="When it was decided, once decided.")
    member: Member | None = strawberry.field(description="The member nominated, if a member.")
    project: Project | None = strawberry.field(description="The project nominated, if a project.")

    @classmethod
    def from_domain(cls, nomination: nominations_domain.Nomination) -> Nomination:
        return cls(
            nomination=nomination,
            id=to_id(nomination.id),
            award_name=nomination.award_name,
            status=NominationStatus(nomination.status.value),
            submitted_at=nomination.submitted_at,
            decided_at=nomination.decided_at,
            member=Member(id=to_id(nomination.member_id)) if nomination.member_id else None,
            project=Project(id=to_id(nomination.project_id)) if nomination.project_id else None,
        )

    @strawberry.field(
        description="Why they were nominated. Only for the nominator, the nominee and the "
        "deciding coordinators."
    )
    def reason(self, info: RecognitionInfo) -> str | None:
        return self.nomination.reason if self.nomination.visible_to(info.context.viewer) else None

    @strawberry.field(
        description="The coordinators' note on their decision. Same audience as the reason."
    )
    def decision_note(self, info: RecognitionInfo) -> str | None:
        return (
            self.nomination.decision_note
            if self.nomination.visible_to(info.context.viewer)
            else None
        )

    @strawberry.field(description="Who nominated them. Same audience as the reason.")
    def nominated_by(self, info: RecognitionInfo) -> Member | None:
        nominator = self.nomination.nominator_id
        if nominator is None or not self.nomination.visible_to(info.context.viewer):
            return None
        return Member(id=to_id(nominator))
