"""Use cases for measures: define, record and correct data, and announce new SPC signals once each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from uuid import UUID

from servicekit import outbox
from servicekit.errors import NotAllowed
from servicekit.identity import Principal
from sqlalchemy.ext.asyncio import AsyncSession

from projects import domain
from projects.events import (
    DefaultRuleSetChanged,
    MeasureDefined,
    MeasurementCorrected,
    MeasurementRecorded,
    MeasureSignalDetected,
)
from projects.repository import MeasureRepository, SettingsRepository
from projects.service.common import changeable_project, today, utcnow
from projects.spc import Direction, RuleSetName, Signal

NO_TARGET = object()  # update_measure: "leave the target as it is"


async def define_measure(
    session: AsyncSession,
    principal: Principal,
    project_id: UUID,
    *,
    name: str,
    definition: str,
    kind: domain.MeasureKind,
    unit: str,
    direction: Direction,
    target: float | None = None,
    rule_set: RuleSetName | None = None,
    rebase_on: Sequence[date] = (),
) -> domain.Measure:
    project = await changeable_project(session, principal, project_id)
    measure = domain.Measure.define(
        project_id=project.id,
        name=name,
        definition=definition,
        kind=kind,
        unit=unit,
        direction=direction,
        target=target,
        rule_set=rule_set,
        rebase_on=rebase_on,
        defined_by=principal.require_member(),
        now=utcnow(),
    )
    await MeasureRepository(session).save(measure)
    await outbox.add(
        session,
        MeasureDefined(
            project_id=project.id,
            organisation_id=project.organisation_id,
            measure_id=measure.id,
            kind=measure.kind,
            improvement_direction=measure.direction,
            defined_at=measure.defined_at,
        ),
        key=project.id,
    )
    return measure


async def _measure_to_change(
    session: AsyncSession, principal: Principal, measure_id: UUID, *, via_point: bool = False
) -> tuple[domain.Project, domain.Measure]:
    measures = MeasureRepository(session)
    hidden_as = (domain.MeasurementNotFound("We could not find that data point.", field="pointId") if via_point
                 else domain.MeasureNotFound("We could not find that measure.", field="measureId"))
    project = await changeable_project(
        session, principal, (await measures.get(measure_id)).project_id, hidden_as=hidden_as
    )
    # Locked: recordings of one measure take turns, so each signal is announced once.
    return project, await measures.get(measure_id, for_update=True)


async def update_measure(
    session: AsyncSession,
    principal: Principal,
    measure_id: UUID,
    *,
    target: object = NO_TARGET,
    **changes: object,
) -> tuple[domain.Measure, list[Signal]]:
    """Rename, re-target, choose a rule set or rebase; new signals that appear are announced."""
    project, measure = await _measure_to_change(session, principal, measure_id)
    revised = measure.revise(**changes)  # type: ignore[arg-type]
    if target is not NO_TARGET:
        revised = revised.with_target(target)  # type: ignore[arg-type]
    await MeasureRepository(session).save(revised)
    return revised, await announce_signals(session, project, revised)


async def record_measurement(
    session: AsyncSession,
    principal: Principal,
    measure_id: UUID,
    *,
    on: date,
    value: float,
    annotation: str | None = None,
) -> tuple[domain.DataPoint, list[Signal]]:
    """Add a data point; queues MeasurementRecorded and a MeasureSignalDetected per new signal."""
    project, measure = await _measure_to_change(session, principal, measure_id)
    measures = MeasureRepository(session)
    point = domain.DataPoint.record(
        measure_id=measure.id,
        on=on,
        value=value,
        annotation=annotation,
        by=principal.require_member(),
        now=utcnow(),
        today=today(),
    )
    if await measures.point_on(measure.id, point.on) is not None:
        raise domain.MeasurementAlreadyRecorded(
            "There is already a value for that date. Correct it instead of adding another.",
            field="on",
        )
    await measures.add_point(point)
    await outbox.add(
        session,
        MeasurementRecorded(
            project_id=project.id,
            organisation_id=project.organisation_id,
            measure_id=measure.id,
            point_id=point.id,
            recorded_at=point.recorded_at,
        ),
        key=project.id,
    )
    return point, await announce_signals(session, project, measure)


async def correct_measurement(
    session: AsyncSession,
    principal: Principal,
    point_id: UUID,
    *,
    value: float,
    reason: str,
    annotation: str | None = None,
) -> tuple[domain.DataPoint, list[Signal]]:
    """Correct a data point, keeping the old value in its history; announces signals that now appear."""
    measures = MeasureRepository(session)
    found = await measures.get_point(point_id)
    project, measure = await _measure_to_change(session, principal, found.measure_id, via_point=True)
    now = utcnow()
    point, revision = (await measures.get_point(point_id)).correct(
        value=value, annotation=annotation, reason=reason, by=principal.require_member(), now=now
    )
    await measures.save_point(point)
    await measures.add_revision(revision)
    await outbox.add(
        session,
        MeasurementCorrected(
            project_id=project.id,
            organisation_id=project.organisation_id,
            measure_id=measure.id,
            point_id=point.id,
            revision=revision.number,
            corrected_at=now,
        ),
        key=project.id,
    )
    return point, await announce_signals(session, project, measure)


async def flag_astronomical_point(
    session: AsyncSession, principal: Principal, point_id: UUID, *, flagged: bool
) -> tuple[domain.DataPoint, list[Signal]]:
    """A person marks (or unmarks) a point as astronomical: obviously unlike all the others."""
    measures = MeasureRepository(session)
    found = await measures.get_point(point_id)
    project, measure = await _measure_to_change(session, principal, found.measure_id, via_point=True)
    point = replace(await measures.get_point(point_id), astronomical=flagged)
    await measures.save_point(point)
    return point, await announce_signals(session, project, measure)


async def effective_rule_set(
    session: AsyncSession, project: domain.Project, measure: domain.Measure
) -> RuleSetName:
    if measure.rule_set is not None:
        return measure.rule_set
    return (await SettingsRepository(session).default_rule_sets([project.organisation_id]))[
        project.organisation_id
    ]


async def announce_signals(
    session: AsyncSession, project: domain.Project, measure: domain.Measure
) -> list[Signal]:
    """Queue MeasureSignalDetected for each signal of the measure's rule set not announced before."""
    measures = MeasureRepository(session)
    rule_set = await effective_rule_set(session, project, measure)
    points = (await measures.points_of([measure.id]))[measure.id]
    chart = domain.chart_of(measure, points, rule_set)
    fresh = domain.signals_to_announce(chart.signals, await measures.announced(measure.id))
    now = utcnow()
    await measures.remember_announced(measure.id, fresh, now)
    for signal in fresh:
        await outbox.add(
            session,
            MeasureSignalDetected(
                project_id=project.id,
                organisation_id=project.organisation_id,
                measure_id=measure.id,
                measure_kind=measure.kind,
                rule_set=signal.rule_set,
                rule=signal.rule,
                nature=signal.nature,
                first_point_on=signal.first_point_on,
                last_point_on=signal.last_point_on,
                detected_at=now,
            ),
            key=project.id,
        )
    return fresh


async def set_default_rule_set(
    session: AsyncSession, principal: Principal, organisation_id: UUID, *, rule_set: RuleSetName
) -> RuleSetName:
    """An organisation's coordinators choose the rule set its measures use by default."""
    member = principal.require_member()
    if not principal.is_coordinator_of(organisation_id):
        raise NotAllowed("Only the organisation's coordinators can choose its default rule set.")
    now = utcnow()
    await SettingsRepository(session).set_default_rule_set(organisation_id, rule_set, member, now)
    await outbox.add(
        session,
        DefaultRuleSetChanged(organisation_id=organisation_id, rule_set=rule_set, changed_at=now),
        key=organisation_id,
    )
    return rule_set
