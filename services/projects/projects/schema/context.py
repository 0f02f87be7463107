"""Per-request context: the caller, transactions, and DataLoaders (one batched query per kind of thing)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from typing import Any, TypeVar
from uuid import UUID

from servicekit.graphql import RequestContext
from strawberry.dataloader import DataLoader

from projects import domain
from projects.domain.people import MemberSeen
from projects.repository import (
    CycleRepository,
    DiagramRepository,
    MeasureRepository,
    MemberVisibilityRepository,
    Page,
    ProjectRepository,
    SettingsRepository,
)
from projects.spc import RuleSetName

K = TypeVar("K")
V = TypeVar("V")


class Context(RequestContext):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.projects: DataLoader[UUID, domain.Project | None] = DataLoader(self._projects)
        self.member_seen: DataLoader[UUID, MemberSeen | None] = DataLoader(self._member_seen)
        self.diagrams: DataLoader[UUID, list[domain.DiagramItem]] = self._lists(
            lambda s, ids: DiagramRepository(s).of_projects(ids)
        )
        self.cycles: DataLoader[UUID, list[domain.PdsaCycle]] = self._lists(
            lambda s, ids: CycleRepository(s).of_projects(ids)
        )
        self.measures: DataLoader[UUID, list[domain.Measure]] = self._lists(
            lambda s, ids: MeasureRepository(s).of_projects(ids)
        )
        self.points: DataLoader[UUID, list[domain.DataPoint]] = self._lists(
            lambda s, ids: MeasureRepository(s).points_of(ids)
        )
        self.revisions: DataLoader[UUID, list[domain.Revision]] = self._lists(
            lambda s, ids: MeasureRepository(s).revisions_of(ids)
        )
        self.rule_sets: DataLoader[UUID, RuleSetName] = self._lists(
            lambda s, ids: SettingsRepository(s).default_rule_sets(ids)
        )
        self.member_projects: DataLoader[tuple[UUID, Page], list[domain.Project]] = DataLoader(
            lambda keys: self._paged(keys, ProjectRepository.pages_by_member)
        )
        self.organisation_projects: DataLoader[tuple[UUID, Page], list[domain.Project]] = (
            DataLoader(lambda keys: self._paged(keys, ProjectRepository.pages_by_organisation))
        )

    async def _projects(self, ids: list[UUID]) -> list[domain.Project | None]:
        """Projects by id, None for any the caller may not see (also in `_entities`)."""
        async with self.reading() as session:
            found = await ProjectRepository(session).visible_many(ids, self.principal)
        return [found.get(project_id) for project_id in ids]

    async def _member_seen(self, ids: list[UUID]) -> list[MemberSeen | None]:
        async with self.reading() as session:
            found = await MemberVisibilityRepository(session).many(ids)
        return [found.get(member_id) for member_id in ids]

    def _lists(
        self, fetch: Callable[[Any, Sequence[UUID]], Awaitable[dict[UUID, Any]]]
    ) -> DataLoader[UUID, Any]:
        async def load(ids: list[UUID]) -> list[Any]:
            async with self.reading() as session:
                found = await fetch(session, ids)
            return [found[i] for i in ids]

        return DataLoader(load)

    async def _paged(
        self,
        keys: list[tuple[UUID, Page]],
        fetch: Callable[..., Awaitable[dict[UUID, list[domain.Project]]]],
    ) -> list[list[domain.Project]]:
        """One query per distinct page (a gateway asks every entity for the same page)."""
        by_page: dict[Page, list[UUID]] = {}
        for owner, page in keys:
            by_page.setdefault(page, []).append(owner)
        results: dict[tuple[UUID, Page], list[domain.Project]] = {}
        async with self.reading() as session:
            repository = ProjectRepository(session)
            for page, owners in by_page.items():
                found = await fetch(repository, self.principal, owners, page)
                results.update({(owner, page): found.get(owner, []) for owner in owners})
        return [results[key] for key in keys]

    def forget(self, project_id: UUID, *, measure_id: UUID | None = None) -> None:
        """Drop cached loads a mutation made stale (a document may run several mutations in turn)."""
        for loader in (self.projects, self.diagrams, self.cycles, self.measures):
            with suppress(KeyError):  # not loaded yet in this request
                loader.clear(project_id)
        if measure_id is not None:
            with suppress(KeyError):
                self.points.clear(measure_id)
