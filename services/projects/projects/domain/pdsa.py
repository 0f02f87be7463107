"""PDSA cycles: Plan (with a prediction), Do, Study, Act, one small test of a change idea at a time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID, uuid4

from projects.domain import common as c
from projects.domain.common import CycleStatus, Decision


def _pdsa_text(value: str, *, field: str, label: str, required: bool = True) -> str:
    return c.clean_text(
        value,
        field=field,
        label=label,
        max_length=c.PDSA_TEXT_MAX,
        required=required,
        multiline=True,
    )


@dataclass(frozen=True, slots=True)
class PdsaCycle:
    id: UUID
    project_id: UUID
    change_idea_id: UUID
    number: int
    previous_cycle_id: UUID | None
    status: CycleStatus
    plan: str
    prediction: str
    started_by: UUID | None
    led_by: UUID | None
    started_at: datetime
    do_notes: str = ""
    what_happened: str = ""
    studied_by: UUID | None = None
    studied_at: datetime | None = None
    decision: Decision | None = None
    act_notes: str = ""
    completed_by: UUID | None = None
    completed_at: datetime | None = None

    @classmethod
    def start(
        cls,
        *,
        project_id: UUID,
        change_idea_id: UUID,
        number: int,
        plan: str,
        prediction: str,
        started_by: UUID,
        led_by: UUID | None,
        now: datetime,
        previous_cycle_id: UUID | None = None,
    ) -> PdsaCycle:
        """Plan a test with a written prediction; the cycle is then being tried out (the "do")."""
        return cls(
            id=uuid4(),
            project_id=project_id,
            change_idea_id=change_idea_id,
            number=number,
            previous_cycle_id=previous_cycle_id,
            status=CycleStatus.TESTING,
            plan=_pdsa_text(plan, field="plan", label="plan"),
            prediction=_pdsa_text(prediction, field="prediction", label="prediction"),
            started_by=started_by,
            led_by=led_by or started_by,
            started_at=now,
        )

    def study(self, *, what_happened: str, do_notes: str, by: UUID, now: datetime) -> PdsaCycle:
        """Write down what happened, compared with the prediction."""
        if self.status is not CycleStatus.TESTING:
            raise c.CycleWrongStep("This cycle has already been studied.")
        return replace(
            self,
            status=CycleStatus.STUDIED,
            what_happened=_pdsa_text(
                what_happened, field="whatHappened", label="note of what happened"
            ),
            do_notes=_pdsa_text(
                do_notes, field="doNotes", label="note of what was done", required=False
            ),
            studied_by=by,
            studied_at=now,
        )

    def complete(self, *, decision: Decision, notes: str, by: UUID, now: datetime) -> PdsaCycle:
        """Act: adopt, adapt or abandon the change. Only a studied cycle can be acted on."""
        if self.status is CycleStatus.TESTING:
            raise c.CycleNotStudied(
                "Study the cycle first: write what happened before deciding what to do next."
            )
        if self.status is CycleStatus.COMPLETED:
            raise c.CycleWrongStep("This cycle is already complete.")
        return replace(
            self,
            status=CycleStatus.COMPLETED,
            decision=decision,
            act_notes=_pdsa_text(
                notes, field="notes", label="note of the decision", required=False
            ),
            completed_by=by,
            completed_at=now,
        )

    def credited_member(self, fallback: UUID) -> UUID:
        """The member credited with the cycle: whoever led it, or `fallback` if they were erased."""
        return self.led_by or fallback

    def next_cycle(
        self, *, plan: str, prediction: str, by: UUID, led_by: UUID | None, now: datetime
    ) -> PdsaCycle:
        """The next cycle on the same change idea, linked to this one; only after "adapt"."""
        if self.decision is not Decision.ADAPT:
            raise c.NextCycleNeedsAdapt(
                "Only a cycle whose decision is 'adapt' starts a linked next cycle.",
                field="nextCycle",
            )
        return PdsaCycle.start(
            project_id=self.project_id,
            change_idea_id=self.change_idea_id,
            number=self.number + 1,
            plan=plan,
            prediction=prediction,
            started_by=by,
            led_by=led_by,
            now=now,
            previous_cycle_id=self.id,
        )
