"""Measures and their data points, with corrections kept as history."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from uuid import UUID, uuid4

from servicekit.errors import InvalidInput

from projects.domain import common as c
from projects.domain.common import MeasureKind
from projects.spc import Chart, Direction, Observation, RuleSetName, Signal, build_chart

EARLIEST = date(1900, 1, 1)


@dataclass(frozen=True, slots=True)
class Measure:
    id: UUID
    project_id: UUID
    name: str
    definition: str
    kind: MeasureKind
    unit: str
    direction: Direction
    target: float | None
    rule_set: RuleSetName | None  # None: the organisation's default
    rebase_on: tuple[date, ...]
    defined_by: UUID | None
    defined_at: datetime

    @classmethod
    def define(
        cls,
        *,
        project_id: UUID,
        name: str,
        definition: str,
        kind: MeasureKind,
        unit: str,
        direction: Direction,
        target: float | None,
        rule_set: RuleSetName | None,
        rebase_on: Sequence[date],
        defined_by: UUID,
        now: datetime,
    ) -> Measure:
        measure = cls(
            id=uuid4(),
            project_id=project_id,
            name=c.clean_text(
                name, field="name", label="measure name", max_length=c.MEASURE_NAME_MAX
            ),
            definition=c.clean_text(
                definition,
                field="definition",
                label="definition",
                max_length=c.DESCRIPTION_MAX,
                required=False,
                multiline=True,
            ),
            kind=kind,
            unit=c.clean_text(unit, field="unit", label="unit", max_length=c.UNIT_MAX),
            direction=direction,
            target=None,
            rule_set=rule_set,
            rebase_on=tidy_rebases(rebase_on),
            defined_by=defined_by,
            defined_at=now,
        )
        return measure.with_target(target)

    def with_target(self, target: float | None) -> Measure:
        if target is not None:
            check_value(target, field="target")
            if self.direction is Direction.NEITHER:
                raise c.TargetNeedsDirection(
                    "A target needs a direction: say whether higher or lower is better for this measure.",
                    field="target",
                )
        return replace(self, target=target)

    def revise(
        self,
        *,
        name: str | None = None,
        definition: str | None = None,
        unit: str | None = None,
        rule_set: RuleSetName | None = None,
        use_default_rule_set: bool = False,
        rebase_on: Sequence[date] | None = None,
    ) -> Measure:
        changes: dict[str, object] = {}
        if name is not None:
            changes["name"] = c.clean_text(
                name, field="name", label="measure name", max_length=c.MEASURE_NAME_MAX
            )
        if definition is not None:
            changes["definition"] = c.clean_text(
                definition,
                field="definition",
                label="definition",
                max_length=c.DESCRIPTION_MAX,
                required=False,
                multiline=True,
            )
        if unit is not None:
            changes["unit"] = c.clean_text(unit, field="unit", label="unit", max_length=c.UNIT_MAX)
        if rule_set is not None or use_default_rule_set:
            changes["rule_set"] = rule_set
        if rebase_on is not None:
            changes["rebase_on"] = tidy_rebases(rebase_on)
        return replace(self, **changes)  # type: ignore[arg-type]


def tidy_rebases(dates: Iterable[date]) -> tuple[date, ...]:
    tidied = tuple(sorted(set(dates)))
    if len(tidied) > c.REBASES_MAX:
        raise InvalidInput(
            f"A chart can be rebased at most {c.REBASES_MAX} times.", field="rebaseOn"
        )
    return tidied


def check_value(value: float, *, field: str = "value") -> float:
    if not math.isfinite(value) or abs(value) > c.VALUE_LIMIT:
        raise c.ValueOutOfRange(
            f"Please give a number between -{c.VALUE_LIMIT:,.0f} and {c.VALUE_LIMIT:,.0f}.",
            field=field,
        )
    return value


def check_date(on: date, today: date) -> date:
    if on > today:
        raise c.DateInFuture("A data point cannot be dated in the future.", field="on")
    if on < EARLIEST:
        raise InvalidInput("Please give a date from 1900 onwards.", field="on")
    return on


def _annotation(text: str | None) -> str | None:
    if text is None:
        return None
    return (
        c.clean_text(
            text, field="annotation", label="note", max_length=c.ANNOTATION_MAX, required=False
        )
        or None
    )


@dataclass(frozen=True, slots=True)
class Revision:
    """One correction of a data point: what it was, what it became, and why."""

    id: UUID
    point_id: UUID
    number: int
    previous_value: float
    previous_annotation: str | None
    value: float
    annotation: str | None
    reason: str
    revised_by: UUID | None
    revised_at: datetime


@dataclass(frozen=True, slots=True)
class DataPoint:
    id: UUID
    measure_id: UUID
    on: date
    value: float
    annotation: str | None
    astronomical: bool
    revision: int
    recorded_by: UUID | None
    recorded_at: datetime

    @classmethod
    def record(
        cls,
        *,
        measure_id: UUID,
        on: date,
        value: float,
        annotation: str | None,
        by: UUID,
        now: datetime,
        today: date,
    ) -> DataPoint:
        return cls(
            uuid4(),
            measure_id,
            check_date(on, today),
            check_value(value),
            _annotation(annotation),
            False,
            0,
            by,
            now,
        )

    def correct(
        self, *, value: float, annotation: str | None, reason: str, by: UUID, now: datetime
    ) -> tuple[DataPoint, Revision]:
        """The corrected point and the history entry that remembers the old value."""
        new_annotation = self.annotation if annotation is None else _annotation(annotation)
        revision = Revision(
            id=uuid4(),
            point_id=self.id,
            number=self.revision + 1,
            previous_value=self.value,
            previous_annotation=self.annotation,
            value=check_value(value),
            annotation=new_annotation,
            reason=c.clean_text(
                reason, field="reason", label="reason for the correction", max_length=c.REASON_MAX
            ),
            revised_by=by,
            revised_at=now,
        )
        return replace(
            self, value=value, annotation=new_annotation, revision=revision.number
        ), revision


def signals_to_announce(
    signals: Iterable[Signal], announced: set[tuple[str, str, date, str]]
) -> list[Signal]:
    """Signals not announced before, once each (a run that grows stays the same signal)."""
    fresh: dict[tuple[str, str, date, str], Signal] = {}
    for signal in signals:
        if signal.identity not in announced:
            fresh.setdefault(signal.identity, signal)
    return list(fresh.values())


def chart_of(measure: Measure, points: Sequence[DataPoint], rule_set: RuleSetName) -> Chart:
    """The measure's chart by `rule_set`, with its direction, target and rebasing."""
    return build_chart(
        [Observation(str(p.id), p.on, p.value, p.astronomical) for p in points],
        rule_set=rule_set,
        direction=measure.direction,
        target=measure.target,
        rebase_on=measure.rebase_on,
    )
