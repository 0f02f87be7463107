"""Queries and the live subscription of the recognition subgraph."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncGenerator

import strawberry
from graphql import GraphQLError
from servicekit.errors import DomainError, NotAllowed
from servicekit.identity import COORDINATOR, Principal, bearer_token
from servicekit.pagination import Connection, build_connection, page_size

from recognition.domain import kudos as kudos_domain
from recognition.domain.triggers import TRIGGERS
from recognition.domain.visibility import FeedScope, celebration_visible
from recognition.repository.celebrations import CelebrationRepository
from recognition.repository.people import NominationRepository
from recognition.schema.common import (
    PAGE,
    After,
    CelebrationScope,
    First,
    RecognitionInfo,
    decode_position,
    domain_value,
    parse_id,
    position_cursor,
)
from recognition.schema.rules_types import CredentialCheck, RecognitionRule, RecognitionTrigger
from recognition.schema.types import Badge, Celebration, Nomination, member_badges
from recognition.service import rules
from recognition.service.credentials import verify_credential


@strawberry.type
class Query:
    @strawberry.field(description="The most characters a thank-you (kudos) message may have.")
    def kudos_message_limit(self) -> int:
        return kudos_domain.KUDOS_MESSAGE_MAX

    @strawberry.field(
        description="Celebrations, newest first: of your own organisation, or those shared with "
        "the whole network. Only what you may see; sign in first.",
        directives=[PAGE],
    )
    async def celebration_feed(
        self,
        info: RecognitionInfo,
        scope: CelebrationScope,
        first: First = None,
        after: After = None,
    ) -> Connection[Celebration]:
        viewer = info.context.viewer
        viewer.require_member()
        limit, position = page_size(first), decode_position(after)
        async with info.context.reading() as session:
            found = await CelebrationRepository(session).feed(
                viewer, FeedScope(domain_value(scope)), limit=limit + 1, after=position
            )
        return build_connection(
            found,
            limit=limit,
            cursor_of=lambda view: position_cursor(view.posted_at, view.id),
            to_node=lambda view: Celebration.from_view(view, viewer),
        )

    @strawberry.field(
        description="The badges a member holds, oldest first. Empty when you may not see them."
    )
    async def badges(self, info: RecognitionInfo, member_id: strawberry.ID) -> list[Badge]:
        return await member_badges(info, parse_id(member_id, field="memberId"))

    @strawberry.field(
        description="The rules that apply to your organisation: the network's and its own."
    )
    async def recognition_rules(self, info: RecognitionInfo) -> list[RecognitionRule]:
        async with info.context.reading() as session:
            found = await rules.rules_for(session, info.context.viewer)
        return [RecognitionRule.from_domain(rule) for rule in found]

    @strawberry.field(
        description="The events recognition rules can fire on, with the fields they may test."
    )
    def recognition_triggers(self) -> list[RecognitionTrigger]:
        return [RecognitionTrigger.from_domain(trigger) for trigger in TRIGGERS.values()]

    @strawberry.field(
        description="Nominations waiting for a decision in your organisation, oldest first. "
        "Coordinators only.",
        directives=[PAGE],
    )
    async def nominations_to_decide(
        self, info: RecognitionInfo, first: First = None, after: After = None
    ) -> Connection[Nomination]:
        viewer = info.context.viewer
        viewer.require_member()
        if COORDINATOR not in viewer.roles or viewer.organisation_id is None:
            raise NotAllowed("Only your organisation's coordinators can see nominations to decide.")
        limit, position = page_size(first), decode_position(after)
        async with info.context.reading() as session:
            found = await NominationRepository(session).pending(
                viewer.organisation_id, limit=limit + 1, after=position
            )
        return build_connection(
            found,
            limit=limit,
            cursor_of=lambda item: position_cursor(item.submitted_at, item.id),
            to_node=Nomination.from_domain,
        )

    @strawberry.field(
        description="Check an Open Badges certificate (a VC-JWT): is it genuine, unchanged, issued "
        "by this network, and is the badge still held? Anyone may ask."
    )
    async def verify_badge_credential(
        self, info: RecognitionInfo, credential: str
    ) -> CredentialCheck:
        async with info.context.reading() as session:
            result = await verify_credential(session, info.context.services.signer, credential)
        return CredentialCheck(
            is_valid=result.is_valid,
            reason=result.reason,
            credential_json=json.dumps(result.credential, sort_keys=True)
            if result.credential
            else None,
        )


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="New celebrations as they happen, in your organisation or shared with the "
        "whole network: only what you may see. Over graphql-transport-ws; sign in "
        "with the Authorization header or an `Authorization` connection parameter."
    )
    async def celebrations(
        self, info: RecognitionInfo, scope: CelebrationScope
    ) -> AsyncGenerator[Celebration, None]:
        try:
            viewer = _subscriber(info)
            viewer.require_member()
        except DomainError as error:
            # Refused before the stream starts: an `error` message. The subgraph's error-code
            # extension does not see subscription errors, so the code is set here.
            raise GraphQLError(error.message, extensions={"code": error.code}) from error
        return _stream(info, viewer, FeedScope(domain_value(scope)))


async def _stream(
    info: RecognitionInfo, viewer: Principal, scope: FeedScope
) -> AsyncGenerator[Celebration, None]:
    async with info.context.services.hub.subscribe() as queue:
        while True:
            # The stream ends when the subscriber's sign-in expires: a portal subscribes again
            # with a fresh token, so a caller who lost access stops hearing anything new.
            remaining = None if viewer.expires_at is None else viewer.expires_at - time.time()
            if remaining is not None and remaining <= 0:
                return
            try:
                view = await asyncio.wait_for(queue.get(), remaining)
            except TimeoutError:
                return
            if celebration_visible(view, viewer, scope):
                yield Celebration.from_view(view, viewer)


def _subscriber(info: RecognitionInfo) -> Principal:
    """The caller: from the upgrade request's header, else from the connection parameters.

    Browsers cannot set headers on a WebSocket, so portals send the token in the
    `connection_init` payload instead.
    """
    if not info.context.viewer.is_anonymous:
        return info.context.viewer
    params = info.context.connection_params or {}
    header = (
        params.get("Authorization") or params.get("authorization")
        if isinstance(params, dict)
        else None
    )
    verifier = info.context.services.verifier
    if not header or verifier is None:
        return info.context.viewer
    token = bearer_token(str(header))
    if token is None:
        return info.context.viewer
    return verifier.verify(token)
