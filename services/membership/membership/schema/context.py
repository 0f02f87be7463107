"""Per-request context: the caller plus DataLoaders (one batched query per kind of record)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from servicekit.graphql import RequestContext
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from membership import domain
from membership.repository import LearningRepository, MemberRepository, OrganisationRepository
from membership.repository.members import StoredMember


class Context(RequestContext):
    def __init__(self, *, batching: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        size = None if batching else 1  # batches of one: a query per id
        self.organisations: DataLoader[UUID, domain.Organisation | None] = DataLoader(
            self._organisations, max_batch_size=size
        )
        self.members: DataLoader[UUID, StoredMember | None] = DataLoader(self._members, max_batch_size=size)
        self.levels: DataLoader[UUID, int | None] = DataLoader(self._levels, max_batch_size=size)

    async def _organisations(self, ids: list[UUID]) -> list[domain.Organisation | None]:
        async with self.reading() as session:
            found = await OrganisationRepository(session).list_many(ids)
        return [found.get(i) for i in ids]

    async def _members(self, ids: list[UUID]) -> list[StoredMember | None]:
        async with self.reading() as session:
            found = await MemberRepository(session).list_many(ids)
        return [found.get(i) for i in ids]

    async def _levels(self, ids: list[UUID]) -> list[int | None]:
        async with self.reading() as session:
            found = await LearningRepository(session).achieved_many(ids)
        return [found.get(i) for i in ids]


MemberInfo = Info[Context, None]
