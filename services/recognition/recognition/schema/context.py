"""Request context of the recognition subgraph: the caller, batched loaders, app-wide services."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from servicekit.graphql import RequestContext
from servicekit.identity import Principal, TokenVerifier
from strawberry.dataloader import DataLoader

from recognition.domain.kudos import Kudos
from recognition.domain.projections import MemberView, ProjectView
from recognition.domain.visibility import CelebrationView, member_visible, project_visible
from recognition.live import CelebrationHub
from recognition.openbadges import BadgeSigner
from recognition.repository.awards import AwardRecord, AwardRepository
from recognition.repository.celebrations import CelebrationRepository
from recognition.repository.people import KudosRepository, Position
from recognition.repository.projections import ProjectionRepository
from recognition.settings import Settings

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

PageKey = tuple[UUID, int, Position | None]  # (whose list, how many, after which position)


@dataclass
class AppServices:
    """Built once per API process (in the lifespan) and reached from every request."""

    settings: Settings
    signer: BadgeSigner | None
    hub: CelebrationHub
    verifier: TokenVerifier | None


class Context(RequestContext):
    """The caller, plus a DataLoader per kind of thing: each is fetched in one query per request."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.members: DataLoader[UUID, MemberView | None] = DataLoader(self._members)
        self.projects: DataLoader[UUID, ProjectView | None] = DataLoader(self._projects)
        self.badges: DataLoader[UUID, list[AwardRecord]] = DataLoader(self._badges)
        self.kudos_received: DataLoader[PageKey, list[Kudos]] = DataLoader(self._kudos_received)
        self.project_celebrations: DataLoader[PageKey, list[CelebrationView]] = DataLoader(
            self._project_celebrations
        )
        self.celebrations: DataLoader[UUID, CelebrationView | None] = DataLoader(self._celebrations)
        self.kudos: DataLoader[UUID, Kudos | None] = DataLoader(self._kudos)

    @property
    def services(self) -> AppServices:
        if self.request is None:
            raise RuntimeError("the recognition context was used outside a request")
        services: AppServices = self.request.app.state.recognition
        return services

    @property
    def viewer(self) -> Principal:
        return self.principal

    async def can_see_member(self, member_id: UUID) -> bool:
        return member_visible(await self.members.load(member_id), self.viewer)

    async def can_see_project(self, project_id: UUID) -> bool:
        return project_visible(await self.projects.load(project_id), self.viewer)

    async def _members(self, ids: list[UUID]) -> list[MemberView | None]:
        async with self.reading() as session:
            found = await ProjectionRepository(session).members(set(ids))
        return [found.get(member_id) for member_id in ids]

    async def _projects(self, ids: list[UUID]) -> list[ProjectView | None]:
        async with self.reading() as session:
            found = await ProjectionRepository(session).projects(set(ids))
        return [found.get(project_id) for project_id in ids]

    async def _celebrations(self, ids: list[UUID]) -> list[CelebrationView | None]:
        async with self.reading() as session:
            found = await CelebrationRepository(session).views(set(ids))
        return [found.get(celebration_id) for celebration_id in ids]

    async def _kudos(self, ids: list[UUID]) -> list[Kudos | None]:
        async with self.reading() as session:
            found = await KudosRepository(session).found(set(ids))
        return [found.get(kudos_id) for kudos_id in ids]

    async def _badges(self, ids: list[UUID]) -> list[list[AwardRecord]]:
        async with self.reading() as session:
            found = await AwardRepository(session).for_members(set(ids))
        return [found.get(member_id, []) for member_id in ids]

    async def _kudos_received(self, keys: list[PageKey]) -> list[list[Kudos]]:
        viewer = self.viewer.member_id

        async def fetch(
            ids: set[UUID], limit: int, after: Position | None
        ) -> dict[UUID, list[Kudos]]:
            async with self.reading() as session:
                return await KudosRepository(session).received(
                    ids, viewer_id=viewer, limit=limit, after=after
                )

        return await _pages(keys, fetch)

    async def _project_celebrations(self, keys: list[PageKey]) -> list[list[CelebrationView]]:
        async def fetch(
            ids: set[UUID], limit: int, after: Position | None
        ) -> dict[UUID, list[CelebrationView]]:
            async with self.reading() as session:
                return await CelebrationRepository(session).for_projects(
                    ids, limit=limit, after=after
                )

        return await _pages(keys, fetch)


async def _pages(
    keys: Sequence[PageKey],
    fetch: Callable[[set[UUID], int, Position | None], Awaitable[dict[UUID, list[V]]]],
) -> list[list[V]]:
    """Answer paged loads with one query per distinct (page size, position): usually exactly one."""
    groups: dict[tuple[int, Position | None], set[UUID]] = defaultdict(set)
    for owner, limit, after in keys:
        groups[(limit, after)].add(owner)
    answers: dict[PageKey, list[V]] = {}
    for (limit, after), owners in groups.items():
        found = await fetch(owners, limit, after)
        for owner in owners:
            answers[(owner, limit, after)] = found.get(owner, [])
    return [answers[key] for key in keys]
