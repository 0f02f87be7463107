"""Rules as data: the checked-in rules file, and validation against the trigger catalogue."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import pytest
from recognition.domain.errors import InvalidRule, NotPlainText
from recognition.domain.rules import BadgeText, Recipient, build_rule, rules_from_document
from recognition.service.rules import load_rules_file
from recognition.settings import RULES_FILE

BADGE = BadgeText("Badge", "What it means.", "What earns it.")


class TestRulesFile:
    def test_the_network_rules_celebrate_evidence_of_improvement_not_only_activity(self) -> None:
        rules = {rule.slug: rule for rule in load_rules_file(Path(RULES_FILE))}

        signal = rules["improvement-shown-project"]
        assert (signal.trigger, dict(signal.conditions)) == (
            "projects.measure_signal_detected",
            {"measure_kind": ("outcome",), "nature": ("improvement",), "rule_set": ("mdc",)},
        )
        assert dict(rules["spreading-project"].conditions) == {"to_stage": ("spreading",)}
        assert dict(rules["co-production-partner"].conditions) == {
            "role": ("service_user_partner",)
        }
        assert dict(rules["level-2-practitioner"].conditions) == {"level": ("2",)}
        assert [
            (rules[slug].threshold, rules[slug].member_field)
            for slug in ("first-test-of-change", "three-tests-of-change", "ten-tests-of-change")
        ] == [(1, "completed_by"), (3, "completed_by"), (10, "completed_by")]
        assert all(rule.organisation_id is None for rule in rules.values())

    def test_a_mistake_in_the_file_names_the_rule(self) -> None:
        document = {
            "rule": [
                {
                    "id": "typo",
                    "trigger": "projects.stage_advanced",
                    "recipient": "project",
                    "when": {"to_stage": "spreadin"},
                    "badge": {"name": "n", "description": "d", "criteria": "c"},
                }
            ]
        }

        with pytest.raises(
            InvalidRule, match="rule 'typo': 'spreadin' is not a possible value of 'to_stage'"
        ):
            rules_from_document(document)

    def test_ids_are_stable_slugs_used_once(self) -> None:
        entry = {
            "id": "twice",
            "trigger": "membership.level_achieved",
            "recipient": "member",
            "badge": {"name": "n", "description": "d", "criteria": "c"},
        }

        with pytest.raises(InvalidRule, match="appears twice"):
            rules_from_document({"rule": [entry, entry]})
        with pytest.raises(InvalidRule, match="lower-case letters"):
            rules_from_document({"rule": [{**entry, "id": "Not A Slug"}]})


class TestBuildRule:
    def test_conditions_are_normalised_to_sorted_text(self) -> None:
        rule = build_rule(
            rule_id=uuid4(),
            trigger="projects.pdsa_cycle_completed",
            recipient="member",
            badge=BADGE,
            conditions={"decision": ["adopt", "adapt"]},
        )

        assert dict(rule.conditions) == {"decision": ("adapt", "adopt")}
        assert rule.member_field == "completed_by"
        assert rule.matches({"decision": "adapt"})
        assert not rule.matches({"decision": "abandon"})

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"trigger": "projects.nope"}, "trigger"),
            ({"recipient": "everyone"}, "recipient"),
            ({"recipient": "team", "trigger": "membership.level_achieved"}, "recipient"),
            ({"recipient": "member", "trigger": "projects.measurement_recorded"}, "recipient"),
            ({"member_field": "organisation_id"}, "memberField"),
            ({"conditions": {"shoe_size": 9}}, "conditions"),
            ({"conditions": {"decision": []}}, "conditions"),
            ({"threshold": 0}, "threshold"),
        ],
    )
    def test_rules_that_could_never_fire_are_refused_with_the_field_at_fault(
        self, changes: dict[str, object], field: str
    ) -> None:
        arguments: dict[str, object] = {
            "rule_id": uuid4(),
            "trigger": "projects.pdsa_cycle_completed",
            "recipient": "member",
            "badge": BADGE,
            **changes,
        }
        with pytest.raises(InvalidRule) as raised:
            build_rule(**arguments)  # type: ignore[arg-type]
        assert raised.value.details["field"] == field

    def test_badge_texts_must_be_plain(self) -> None:
        with pytest.raises(NotPlainText):
            build_rule(
                rule_id=uuid4(),
                trigger="membership.level_achieved",
                recipient="member",
                badge=BadgeText("<img src=x>", "d", "c"),
            )

    def test_any_value_fields_accept_any_text(self) -> None:
        rule = build_rule(
            rule_id=uuid4(),
            trigger="projects.measure_signal_detected",
            recipient="project",
            badge=BADGE,
            conditions={"rule": "shift"},
        )
        assert rule.recipient is Recipient.PROJECT
        assert rule.matches({"rule": "shift"})
