"""The awarding engine: qualifications, thresholds, and awards independent of arrival order."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid5

from recognition.domain.engine import (
    Evidence,
    Fact,
    Progress,
    Qualification,
    RuleBook,
    apply_facts,
    award_id,
    fold,
    project_credits,
)
from recognition.domain.projections import WorkingSet
from recognition.domain.rules import BadgeText, Recipient, Rule, build_rule, rule_id_for_slug

NS = UUID("6f1c0d8e-2b7a-4c3d-9e5f-1a2b3c4d5e6f")
T0 = datetime(2026, 1, 1, tzinfo=UTC)
BADGE = BadgeText("Badge", "What it means.", "What earns it.")


def uid(label: str) -> UUID:
    return uuid5(NS, label)


def fact(label: str, name: str, minute: int, **attributes: object) -> Fact:
    return Fact(uid(f"event:{label}"), name, T0 + timedelta(minutes=minute), attributes)


def cycle(label: str, minute: int, by: str, project: str = "p1", org: str = "org-a") -> Fact:
    return fact(
        label,
        "projects.pdsa_cycle_completed",
        minute,
        project_id=uid(project),
        organisation_id=uid(org),
        completed_by=uid(by),
        decision="adopt",
    )


def pdsa_rule(slug: str, threshold: int, organisation: str | None = None) -> Rule:
    return build_rule(
        rule_id=rule_id_for_slug(slug),
        slug=slug,
        trigger="projects.pdsa_cycle_completed",
        recipient="member",
        member_field="completed_by",
        threshold=threshold,
        badge=BADGE,
        organisation_id=uid(organisation) if organisation else None,
    )


def awards_after(
    facts: list[Fact], rules: RuleBook
) -> dict[UUID, tuple[datetime, tuple[UUID, ...]]]:
    """Feed facts one at a time, as separate batches like a consumer would; the final awards."""
    progress: dict[tuple[UUID, Recipient, UUID], Progress] = {}
    awards: dict[UUID, tuple[datetime, tuple[UUID, ...]]] = {}
    working = WorkingSet()
    for item in facts:
        found = apply_facts([item], rules, working)
        for qualification in found:
            progress.setdefault(
                qualification.key,
                Progress(qualification.key, rules.by_id[qualification.rule_id].threshold),
            )
        outcome = fold(progress, found)
        for award in outcome.new_awards:
            assert award.id not in awards, "a badge is awarded once"
            awards[award.id] = (award.awarded_at, award.evidence)
        for award in outcome.corrected_awards:
            awards[award.id] = (award.awarded_at, award.evidence)
    return awards


class TestThresholds:
    def test_a_count_rule_fires_once_when_the_count_is_reached(self) -> None:
        rules = RuleBook([pdsa_rule("one", 1), pdsa_rule("three", 3)])
        facts = [cycle(f"c{n}", n, by="nurse") for n in range(1, 6)]

        awards = awards_after(facts, rules)

        one = award_id((rule_id_for_slug("one"), Recipient.MEMBER, uid("nurse")))
        three = award_id((rule_id_for_slug("three"), Recipient.MEMBER, uid("nurse")))
        assert awards == {
            one: (T0 + timedelta(minutes=1), (uid("event:c1"),)),
            three: (T0 + timedelta(minutes=3), (uid("event:c1"), uid("event:c2"), uid("event:c3"))),
        }

    def test_the_same_event_twice_counts_once(self) -> None:
        rules = RuleBook([pdsa_rule("two", 2)])
        assert awards_after([cycle("c1", 1, by="nurse"), cycle("c1", 1, by="nurse")], rules) == {}


class TestOrderIndependence:
    def test_every_arrival_order_ends_with_the_same_awards(self) -> None:
        rules = RuleBook([pdsa_rule("one", 1), pdsa_rule("three", 3)])
        facts = [
            cycle("c1", 1, "nurse", "p1"),
            cycle("c2", 2, "nurse", "p2"),
            cycle("c3", 3, "nurse", "p1"),
            cycle("c4", 4, "nurse", "p2"),
        ]

        outcomes = [awards_after(list(order), rules) for order in itertools.permutations(facts)]

        one = award_id((rule_id_for_slug("one"), Recipient.MEMBER, uid("nurse")))
        three = award_id((rule_id_for_slug("three"), Recipient.MEMBER, uid("nurse")))
        expected = {
            one: (T0 + timedelta(minutes=1), (uid("event:c1"),)),
            three: (T0 + timedelta(minutes=3), (uid("event:c1"), uid("event:c2"), uid("event:c3"))),
        }
        assert all(outcome == expected for outcome in outcomes)

    def test_a_late_earlier_event_corrects_the_evidence_and_date(self) -> None:
        key = (rule_id_for_slug("one"), Recipient.MEMBER, uid("nurse"))
        progress = Progress(key, 1)
        progress.record(Evidence(T0 + timedelta(minutes=5), uid("late"), uid("p2")))

        changed = progress.record(Evidence(T0 + timedelta(minutes=1), uid("early"), uid("p1")))

        assert changed is True
        assert [item.event_id for item in progress.evidence] == [uid("early")]
        assert (
            progress.record(Evidence(T0 + timedelta(minutes=9), uid("later"), uid("p1"))) is False
        )


class TestRecipients:
    def test_team_rules_award_everyone_on_the_team_when_the_event_happens(self) -> None:
        rule = build_rule(
            rule_id=uid("spread"),
            trigger="projects.stage_advanced",
            recipient="team",
            badge=BADGE,
            conditions={"to_stage": "spreading"},
        )
        project = {"project_id": uid("p1"), "organisation_id": uid("org-a")}
        facts = [
            fact(
                "t1",
                "projects.team_member_added",
                1,
                **project,
                member_id=uid("nurse"),
                role="lead",
            ),
            fact(
                "t2",
                "projects.team_member_added",
                2,
                **project,
                member_id=uid("patient"),
                role="service_user_partner",
            ),
            fact(
                "t3",
                "projects.team_member_left",
                3,
                **project,
                member_id=uid("patient"),
                role="service_user_partner",
            ),
            fact(
                "s1",
                "projects.stage_advanced",
                4,
                **project,
                from_stage="implementing",
                to_stage="spreading",
            ),
            fact(
                "t4",
                "projects.team_member_added",
                5,
                **project,
                member_id=uid("coach"),
                role="coach",
            ),
        ]

        found = apply_facts(facts, RuleBook([rule]), WorkingSet())

        assert [(q.recipient, q.recipient_id) for q in found] == [(Recipient.TEAM, uid("nurse"))]

    def test_an_organisation_rule_applies_to_its_own_events_only(self) -> None:
        rules = RuleBook([pdsa_rule("a-only", 1, organisation="org-a")])
        found = apply_facts(
            [cycle("c1", 1, "nurse", org="org-a"), cycle("c2", 2, "carer", org="org-b")],
            rules,
            WorkingSet(),
        )

        assert [q.recipient_id for q in found] == [uid("nurse")]

    def test_a_rule_judges_only_events_from_while_it_was_active(self) -> None:
        active = replace(
            pdsa_rule("one", 1),
            active_from=T0 + timedelta(minutes=2),
            retired_at=T0 + timedelta(minutes=4),
        )
        found = apply_facts(
            [cycle(f"c{n}", n, "nurse") for n in (1, 2, 3, 4)], RuleBook([active]), WorkingSet()
        )

        assert [q.evidence.event_id for q in found] == [uid("event:c2"), uid("event:c3")]


class TestProjectCredits:
    def qualified(self, label: str, minute: int, project: str, member: str = "m1") -> Qualification:
        rule = rule_id_for_slug("team-improvement")
        return Qualification(rule, Recipient.TEAM, uid(member),
                             Evidence(T0 + timedelta(minutes=minute), uid(f"event:{label}"), uid(project)))

    def test_each_project_is_credited_once_by_its_earliest_event_and_only_for_held_badges(self) -> None:
        found = [self.qualified("b-late", 9, "p2"), self.qualified("a", 1, "p1"), self.qualified("b", 5, "p2"),
                 self.qualified("other", 3, "p3", member="m2")]
        held = {found[0].key}  # m1 holds the badge; m2 does not (yet)

        credits = project_credits(found, held)

        assert sorted((c.project_id, c.evidence.event_id) for c in credits) == sorted(
            [(uid("p1"), uid("event:a")), (uid("p2"), uid("event:b"))])
        assert {c.award_id for c in credits} == {award_id(found[0].key)}

    def test_badges_for_a_member_or_a_project_are_not_credited_per_project(self) -> None:
        member_rule = Qualification(rule_id_for_slug("x"), Recipient.MEMBER, uid("m1"),
                                    Evidence(T0, uid("event:x"), uid("p1")))
        assert project_credits([member_rule], {member_rule.key}) == []
