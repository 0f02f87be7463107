"""The awarding engine: events in, qualifications and awards out. Pure, so replays are exact.

An award depends only on the set of events seen, not on the order they arrived in
(Kafka keeps order per key, not across partitions or topics). For each rule and
recipient we keep the `threshold` earliest qualifying events (by event time, then
event id); once there are that many, the badge is awarded with those events as its
evidence, dated by the last of them. If an earlier qualifying event turns up later,
the evidence and date are corrected; the award itself is never made twice.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from recognition.domain.projections import PROJECTORS, WorkingSet
from recognition.domain.rules import Recipient, Rule

AWARDS_NAMESPACE = UUID("a7f3b0c2-1d4e-4f6a-8b9c-0d1e2f3a4b5c")


@dataclass(frozen=True, slots=True)
class Fact:
    """One consumed event, as rules see it: its type name, time and payload fields."""

    event_id: UUID
    name: str
    occurred_at: datetime
    attributes: Mapping[str, Any]

    @property
    def organisation_id(self) -> UUID | None:
        value = self.attributes.get("organisation_id")
        return UUID(str(value)) if value else None

    @property
    def project_id(self) -> UUID | None:
        value = self.attributes.get("project_id")
        return UUID(str(value)) if value else None


@dataclass(frozen=True, slots=True, order=True)
class Evidence:
    """A qualifying event; ordered by when it happened, then by id (a stable tie-break)."""

    occurred_at: datetime
    event_id: UUID
    project_id: UUID | None = field(default=None, compare=False)


ProgressKey = tuple[UUID, Recipient, UUID]  # rule id, recipient kind, recipient id


@dataclass(frozen=True, slots=True)
class Qualification:
    rule_id: UUID
    recipient: Recipient
    recipient_id: UUID
    evidence: Evidence

    @property
    def key(self) -> ProgressKey:
        return (self.rule_id, self.recipient, self.recipient_id)


class RuleBook:
    """The active rules, grouped by the event they fire on."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self._by_trigger: dict[str, list[Rule]] = defaultdict(list)
        self.by_id: dict[UUID, Rule] = {}
        for rule in rules:
            self._by_trigger[rule.trigger].append(rule)
            self.by_id[rule.id] = rule

    def for_trigger(self, name: str) -> Sequence[Rule]:
        return self._by_trigger.get(name, ())


def apply_facts(facts: Iterable[Fact], rules: RuleBook, working: WorkingSet) -> list[Qualification]:
    """Update the projections with each event in order and collect what each event qualifies for.

    Projections change first, so a rule for "each team member" on `team_member_added`
    includes the member who just joined.
    """
    found: list[Qualification] = []
    for fact in facts:
        projector = PROJECTORS.get(fact.name)
        if projector is not None:
            projector(working, fact.attributes)
        found.extend(qualifications(fact, rules, working))
    return found


def qualifications(fact: Fact, rules: RuleBook, working: WorkingSet) -> list[Qualification]:
    found: list[Qualification] = []
    for rule in rules.for_trigger(fact.name):
        if not rule.applies_to(organisation_id=fact.organisation_id, occurred_at=fact.occurred_at):
            continue
        if not rule.matches(fact.attributes):
            continue
        evidence = Evidence(fact.occurred_at, fact.event_id, fact.project_id)
        for recipient_id in _recipients(rule, fact, working):
            found.append(Qualification(rule.id, rule.recipient, recipient_id, evidence))
    return found


def _recipients(rule: Rule, fact: Fact, working: WorkingSet) -> list[UUID]:
    if rule.recipient is Recipient.MEMBER:
        value = fact.attributes.get(rule.member_field or "")
        return [UUID(str(value))] if value else []
    project_id = fact.project_id
    if project_id is None:
        return []
    if rule.recipient is Recipient.PROJECT:
        return [project_id]
    project = working.projects.get(project_id)
    return project.team_member_ids() if project is not None else []


@dataclass
class Progress:
    """The earliest qualifying events so far for one rule and recipient (at most `threshold`)."""

    key: ProgressKey
    threshold: int
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return len(self.evidence) >= self.threshold

    def record(self, item: Evidence) -> bool:
        """Add a qualifying event; True when the kept evidence changed."""
        if any(kept.event_id == item.event_id for kept in self.evidence):
            return False
        if self.complete and item > self.evidence[-1]:
            return False
        bisect.insort(self.evidence, item)
        del self.evidence[self.threshold :]
        return True


@dataclass(frozen=True, slots=True)
class Award:
    """A badge given once to one recipient, with the events that earned it."""

    id: UUID
    rule_id: UUID
    recipient: Recipient
    recipient_id: UUID
    awarded_at: datetime
    evidence: tuple[UUID, ...]
    project_id: UUID | None  # the project the deciding event was about, if any


def award_id(key: ProgressKey) -> UUID:
    rule_id, recipient, recipient_id = key
    return uuid5(AWARDS_NAMESPACE, f"{rule_id}:{recipient.value}:{recipient_id}")


def award_from(progress: Progress) -> Award:
    rule_id, recipient, recipient_id = progress.key
    last = progress.evidence[-1]
    return Award(
        id=award_id(progress.key),
        rule_id=rule_id,
        recipient=recipient,
        recipient_id=recipient_id,
        awarded_at=last.occurred_at,
        evidence=tuple(item.event_id for item in progress.evidence),
        project_id=recipient_id if recipient is Recipient.PROJECT else last.project_id,
    )


@dataclass
class Outcome:
    """What folding a batch of qualifications changed."""

    progress: list[Progress] = field(default_factory=list)
    new_awards: list[Award] = field(default_factory=list)
    corrected_awards: list[Award] = field(default_factory=list)


def fold(progress: Mapping[ProgressKey, Progress], found: Iterable[Qualification]) -> Outcome:
    """Record qualifications into progress; say which awards are new and which were corrected."""
    was_complete = {key for key, item in progress.items() if item.complete}
    changed: dict[ProgressKey, Progress] = {}
    for qualification in found:
        item = progress[qualification.key]
        if item.record(qualification.evidence):
            changed[item.key] = item
    outcome = Outcome(progress=[changed[key] for key in sorted(changed, key=_sort_key)])
    for item in outcome.progress:
        if not item.complete:
            continue
        target = outcome.corrected_awards if item.key in was_complete else outcome.new_awards
        target.append(award_from(item))
    return outcome


@dataclass(frozen=True, slots=True)
class ProjectCredit:
    """One project a team member's badge was earned on, by the first event that earned it there."""

    rule_id: UUID
    award_id: UUID
    member_id: UUID
    project_id: UUID
    evidence: Evidence

    @property
    def celebration_id(self) -> UUID:
        return uuid5(AWARDS_NAMESPACE, f"{self.award_id}:project:{self.project_id}")


def project_credits(found: Iterable[Qualification], complete: Collection[ProgressKey]) -> list[ProjectCredit]:
    """For team badges already held: the earliest qualifying event of each (award, project). A team
    badge is held once, but the team of every project that earns it is celebrated."""
    earliest: dict[tuple[UUID, UUID], ProjectCredit] = {}
    for item in found:
        project_id = item.evidence.project_id
        if item.recipient is not Recipient.TEAM or project_id is None or item.key not in complete:
            continue
        credit = ProjectCredit(item.rule_id, award_id(item.key), item.recipient_id, project_id, item.evidence)
        kept = earliest.get((credit.award_id, project_id))
        if kept is None or credit.evidence < kept.evidence:
            earliest[(credit.award_id, project_id)] = credit
    return [earliest[key] for key in sorted(earliest, key=lambda k: (str(k[0]), str(k[1])))]


def _sort_key(key: ProgressKey) -> tuple[str, str, str]:
    return (str(key[0]), key[1].value, str(key[2]))
