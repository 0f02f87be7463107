"""Driver diagrams, PDSA cycles and measures with corrections."""

import math
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest
from projects import domain
from projects.domain import CycleStatus, Decision, DiagramItemKind, MeasureKind
from projects.spc import Direction, Nature, Rule, RuleSetName, Signal
from servicekit.errors import InvalidInput

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
PROJECT, MEMBER, OTHER = uuid4(), uuid4(), uuid4()


class TestDriverDiagram:
    def test_drivers_nest_primary_then_secondary_then_change_ideas(self) -> None:
        primary = domain.new_driver(
            project_id=PROJECT,
            parent=None,
            text="Safe mobility",
            created_by=MEMBER,
            position=0,
            now=NOW,
        )
        secondary = domain.new_driver(
            project_id=PROJECT,
            parent=primary,
            text="Night-time toileting",
            created_by=MEMBER,
            position=0,
            now=NOW,
        )
        idea = domain.new_change_idea(
            project_id=PROJECT,
            driver=secondary,
            title="Two-hourly rounding",
            description="",
            created_by=MEMBER,
            position=0,
            now=NOW,
        )

        assert [i.kind for i in (primary, secondary, idea)] == [
            DiagramItemKind.PRIMARY_DRIVER,
            DiagramItemKind.SECONDARY_DRIVER,
            DiagramItemKind.CHANGE_IDEA,
        ]
        assert (secondary.parent_id, idea.parent_id) == (primary.id, secondary.id)
        assert [i.id for i in domain.subtree([primary, secondary, idea], primary.id)] == [
            primary.id,
            secondary.id,
            idea.id,
        ]

    def test_a_driver_cannot_go_three_levels_deep(self) -> None:
        primary = domain.new_driver(
            project_id=PROJECT, parent=None, text="A", created_by=MEMBER, position=0, now=NOW
        )
        secondary = domain.new_driver(
            project_id=PROJECT, parent=primary, text="B", created_by=MEMBER, position=0, now=NOW
        )
        with pytest.raises(InvalidInput, match="under a primary driver"):
            domain.new_driver(
                project_id=PROJECT,
                parent=secondary,
                text="C",
                created_by=MEMBER,
                position=0,
                now=NOW,
            )

    def test_a_change_idea_cannot_sit_under_another_change_idea(self) -> None:
        primary = domain.new_driver(
            project_id=PROJECT, parent=None, text="A", created_by=MEMBER, position=0, now=NOW
        )
        idea = domain.new_change_idea(
            project_id=PROJECT,
            driver=primary,
            title="I",
            description="",
            created_by=MEMBER,
            position=0,
            now=NOW,
        )
        with pytest.raises(InvalidInput, match="under a driver"):
            domain.new_change_idea(
                project_id=PROJECT,
                driver=idea,
                title="J",
                description="",
                created_by=MEMBER,
                position=0,
                now=NOW,
            )

    def test_parts_with_pdsa_cycles_are_kept(self) -> None:
        primary = domain.new_driver(
            project_id=PROJECT, parent=None, text="A", created_by=MEMBER, position=0, now=NOW
        )
        idea = domain.new_change_idea(
            project_id=PROJECT,
            driver=primary,
            title="I",
            description="",
            created_by=MEMBER,
            position=0,
            now=NOW,
        )
        domain.check_removable([primary, idea], ideas_with_cycles=set())
        with pytest.raises(domain.DiagramItemInUse):
            domain.check_removable([primary, idea], ideas_with_cycles={idea.id})


def started(**overrides: object) -> domain.PdsaCycle:
    details: dict[str, object] = {
        "project_id": PROJECT,
        "change_idea_id": uuid4(),
        "number": 1,
        "plan": "Round every two hours on nights",
        "prediction": "Fewer unwitnessed falls",
        "started_by": MEMBER,
        "led_by": None,
        "now": NOW,
    }
    details.update(overrides)
    return domain.PdsaCycle.start(**details)  # type: ignore[arg-type]


class TestPdsa:
    def test_a_cycle_goes_plan_do_study_act(self) -> None:
        cycle = started().study(
            what_happened="Two falls instead of five", do_notes="", by=MEMBER, now=NOW
        )
        done = cycle.complete(decision=Decision.ADOPT, notes="Make it standard", by=OTHER, now=NOW)

        assert (cycle.status, done.status, done.decision) == (
            CycleStatus.STUDIED,
            CycleStatus.COMPLETED,
            Decision.ADOPT,
        )
        assert done.credited_member(fallback=OTHER) == MEMBER  # the starter led it

    def test_a_prediction_is_required(self) -> None:
        with pytest.raises(InvalidInput, match="prediction"):
            started(prediction="  ")

    def test_acting_before_studying_is_refused(self) -> None:
        with pytest.raises(domain.CycleNotStudied):
            started().complete(decision=Decision.ADOPT, notes="", by=MEMBER, now=NOW)

    def test_a_cycle_is_studied_once(self) -> None:
        studied = started().study(what_happened="x", do_notes="", by=MEMBER, now=NOW)
        with pytest.raises(domain.CycleWrongStep):
            studied.study(what_happened="y", do_notes="", by=MEMBER, now=NOW)

    def test_adapt_starts_the_next_cycle_linked_to_this_one(self) -> None:
        adapted = (
            started()
            .study(what_happened="x", do_notes="", by=MEMBER, now=NOW)
            .complete(decision=Decision.ADAPT, notes="Try hourly", by=MEMBER, now=NOW)
        )
        following = adapted.next_cycle(
            plan="Round hourly", prediction="Fewer still", by=OTHER, led_by=None, now=NOW
        )

        assert (following.number, following.previous_cycle_id, following.change_idea_id) == (
            2,
            adapted.id,
            adapted.change_idea_id,
        )
        assert (following.status, following.led_by) == (CycleStatus.TESTING, OTHER)

    @pytest.mark.parametrize("decision", [Decision.ADOPT, Decision.ABANDON])
    def test_only_adapt_starts_a_linked_cycle(self, decision: Decision) -> None:
        done = (
            started()
            .study(what_happened="x", do_notes="", by=MEMBER, now=NOW)
            .complete(decision=decision, notes="", by=MEMBER, now=NOW)
        )
        with pytest.raises(domain.NextCycleNeedsAdapt):
            done.next_cycle(plan="p", prediction="q", by=MEMBER, led_by=None, now=NOW)


def measure(**overrides: object) -> domain.Measure:
    details: dict[str, object] = {
        "project_id": PROJECT,
        "name": "Falls per 1,000 bed days",
        "definition": "",
        "kind": MeasureKind.OUTCOME,
        "unit": "falls",
        "direction": Direction.DOWN,
        "target": 4.0,
        "rule_set": None,
        "rebase_on": [],
        "defined_by": MEMBER,
        "now": NOW,
    }
    details.update(overrides)
    return domain.Measure.define(**details)  # type: ignore[arg-type]


class TestMeasures:
    def test_a_target_needs_a_direction(self) -> None:
        with pytest.raises(domain.TargetNeedsDirection):
            measure(direction=Direction.NEITHER, target=3.0)
        assert measure(direction=Direction.NEITHER, target=None).target is None

    def test_data_points_cannot_be_in_the_future(self) -> None:
        with pytest.raises(domain.DateInFuture):
            domain.DataPoint.record(
                measure_id=uuid4(),
                on=TODAY + timedelta(days=1),
                value=1,
                annotation=None,
                by=MEMBER,
                now=NOW,
                today=TODAY,
            )

    @pytest.mark.parametrize("value", [math.nan, math.inf, 2e12])
    def test_values_must_be_ordinary_numbers(self, value: float) -> None:
        with pytest.raises(domain.ValueOutOfRange):
            domain.DataPoint.record(
                measure_id=uuid4(),
                on=TODAY,
                value=value,
                annotation=None,
                by=MEMBER,
                now=NOW,
                today=TODAY,
            )

    def test_a_correction_keeps_the_old_value_in_history(self) -> None:
        point = domain.DataPoint.record(
            measure_id=uuid4(),
            on=TODAY,
            value=7,
            annotation="Storm week",
            by=MEMBER,
            now=NOW,
            today=TODAY,
        )
        corrected, revision = point.correct(
            value=5, annotation=None, reason="Two falls were on another ward", by=OTHER, now=NOW
        )

        assert (corrected.value, corrected.annotation, corrected.revision) == (5, "Storm week", 1)
        assert (revision.previous_value, revision.value, revision.number, revision.reason) == (
            7,
            5,
            1,
            "Two falls were on another ward",
        )

    def test_a_correction_needs_a_reason(self) -> None:
        point = domain.DataPoint.record(
            measure_id=uuid4(), on=TODAY, value=7, annotation=None, by=MEMBER, now=NOW, today=TODAY
        )
        with pytest.raises(InvalidInput, match="reason"):
            point.correct(value=5, annotation=None, reason=" ", by=OTHER, now=NOW)

    def test_only_signals_not_announced_before_are_announced(self) -> None:
        old = Signal(RuleSetName.MDC, Rule.SHIFT, Nature.IMPROVEMENT, ("a",), TODAY, TODAY)
        grown = Signal(
            RuleSetName.MDC, Rule.SHIFT, Nature.IMPROVEMENT, ("a", "b"), TODAY, TODAY + timedelta(1)
        )
        new = Signal(
            RuleSetName.MDC, Rule.POINT_BEYOND_LIMITS, Nature.CONCERN, ("c",), TODAY, TODAY
        )

        assert domain.signals_to_announce([grown, new, new], {old.identity}) == [new]
