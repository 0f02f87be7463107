"""Organisation rules added through the API (no deploy), and erasure of a member."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from servicekit.testing import GraphQLClient, Tokens
from sqlalchemy.ext.asyncio import AsyncEngine

from ..scenario import MEMBER_ORGS, World, two_organisations
from ..support import Consumer, People, Publisher, play, rows

pytestmark = pytest.mark.asyncio(loop_scope="session")

ADD = """
mutation Add($input: AddRecognitionRuleInput!) {
  addRecognitionRule(input: $input) {
    rule {
      id key trigger threshold recipient conditions { field values } badge { name }
      organisationId retiredAt
    }
  }
}
"""
RETIRE = """mutation($input: RetireRecognitionRuleInput!) {
  retireRecognitionRule(input: $input) { rule { retiredAt } }
}"""
DATA_COLLECTORS = {
    "trigger": "projects.measurement_recorded",
    "recipient": "TEAM",
    "threshold": 2,
    "badgeName": "Data collectors",
    "badgeDescription": "Your team keeps its measures up to date.",
    "badgeCriteria": "Record two data points for a project's measures.",
}


@pytest.fixture(scope="module")
async def people(publisher: Publisher, consumer: Consumer, tokens: Tokens) -> People:
    world = two_organisations(World("rules-and-erasure"))
    world.team("p-b-org", "org-b", "b-private", "member")
    await play(publisher, consumer, world.steps)
    return People(world, tokens, MEMBER_ORGS)


class TestOrganisationRules:
    async def test_a_coordinator_adds_a_rule_that_applies_only_to_their_organisation(
        self,
        api: GraphQLClient,
        people: People,
        publisher: Publisher,
        consumer: Consumer,
        engine: AsyncEngine,
    ) -> None:
        added = await api.data(ADD, {"input": DATA_COLLECTORS}, token=people.coordinator("a-coord"))
        rule = added["addRecognitionRule"]["rule"]
        w = people.world
        w.clock = datetime.now(UTC)  # a new rule applies to events from now on
        await play(
            publisher,
            consumer,
            [
                w.measurement("p-a-net", "org-a", "m1", "pt1"),
                w.measurement("p-a-net", "org-a", "m1", "pt2"),
                w.measurement("p-b-org", "org-b", "m2", "pt3"),
                w.measurement("p-b-org", "org-b", "m2", "pt4"),
            ],
        )

        assert rule == {
            "id": rule["id"],
            "key": None,
            "trigger": "projects.measurement_recorded",
            "threshold": 2,
            "recipient": "TEAM",
            "conditions": [],
            "badge": {"name": "Data collectors"},
            "organisationId": str(people.id("org-a")),
            "retiredAt": None,
        }
        awarded = await rows(
            engine, "SELECT recipient_id, evidence FROM awards WHERE rule_id = :r", r=rule["id"]
        )
        assert awarded == [
            (people.id("a-nurse"), [w.id("event:measurement:pt1"), w.id("event:measurement:pt2")])
        ]
        seen_by_a = await api.data("{ recognitionRules { id } }", token=people.token("a-hero"))
        seen_by_b = await api.data("{ recognitionRules { id } }", token=people.token("b-carer"))
        assert {"id": rule["id"]} in seen_by_a["recognitionRules"]
        assert {"id": rule["id"]} not in seen_by_b["recognitionRules"]
        assert len(seen_by_b["recognitionRules"]) == 12  # the network's rules from rules.toml

    async def test_only_the_rules_organisation_may_retire_it(
        self, api: GraphQLClient, people: People
    ) -> None:
        added = await api.data(
            ADD,
            {"input": {**DATA_COLLECTORS, "badgeName": "Short-lived"}},
            token=people.coordinator("a-coord"),
        )
        rule_id = added["addRecognitionRule"]["rule"]["id"]

        refused = await api.error_code(
            RETIRE, {"input": {"ruleId": rule_id}}, token=people.coordinator("b-coord")
        )
        retired = await api.data(
            RETIRE, {"input": {"ruleId": rule_id}}, token=people.coordinator("a-coord")
        )
        again = await api.error_code(
            RETIRE, {"input": {"ruleId": rule_id}}, token=people.coordinator("a-coord")
        )

        assert refused == "rule_not_found"
        assert retired["retireRecognitionRule"]["rule"]["retiredAt"] is not None
        assert again == "rule_already_retired"

    @pytest.mark.parametrize(
        ("changes", "code"),
        [
            ({"trigger": "projects.coffee_drunk"}, "invalid_rule"),
            ({"conditions": [{"field": "colour", "values": ["red"]}]}, "invalid_rule"),
            (
                {
                    "trigger": "projects.stage_advanced",
                    "conditions": [{"field": "to_stage", "values": ["flying"]}],
                },
                "invalid_rule",
            ),
            ({"trigger": "membership.level_achieved", "recipient": "TEAM"}, "invalid_rule"),
            ({"threshold": 0}, "invalid_rule"),
            ({"badgeName": "<script>alert(1)</script>"}, "not_plain_text"),
            ({"networkWide": True}, "forbidden"),
        ],
    )
    async def test_bad_rules_are_refused_and_nothing_is_added(
        self,
        api: GraphQLClient,
        people: People,
        engine: AsyncEngine,
        changes: dict[str, object],
        code: str,
    ) -> None:
        before = await rows(engine, "SELECT count(*) FROM recognition_rules")

        error = await api.error_code(
            ADD, {"input": {**DATA_COLLECTORS, **changes}}, token=people.coordinator("a-coord")
        )

        assert error == code
        assert await rows(engine, "SELECT count(*) FROM recognition_rules") == before

    async def test_heroes_cannot_add_rules(self, api: GraphQLClient, people: People) -> None:
        assert await api.error_code(
            ADD, {"input": DATA_COLLECTORS}, token=people.token("a-hero")
        ) == ("coordinators_only")

    async def test_the_trigger_catalogue_explains_each_event(self, api: GraphQLClient) -> None:
        data = await api.data("{ recognitionTriggers { name meaning fields { field values } } }")
        signal = next(
            t
            for t in data["recognitionTriggers"]
            if t["name"] == "projects.measure_signal_detected"
        )

        assert {"field": "rule_set", "values": ["mdc", "ihi_run_chart", "shewhart"]} in signal[
            "fields"
        ]
        assert "not just everyday ups and downs" in signal["meaning"]


class TestErasure:
    async def test_erasure_removes_kudos_messages_anonymises_awards_and_celebrations(
        self,
        api: GraphQLClient,
        people: People,
        publisher: Publisher,
        consumer: Consumer,
        engine: AsyncEngine,
    ) -> None:
        give = "mutation($i: GiveKudosInput!) { giveKudos(input: $i) { kudos { message } } }"
        gone, carer = people.id("b-private"), people.id("b-carer")
        await api.data(
            give,
            {"i": {"toMemberId": str(carer), "message": "From the one who leaves"}},
            token=people.token("b-private"),
        )
        await api.data(
            give,
            {"i": {"toMemberId": str(gone), "message": "To the one who leaves"}},
            token=people.token("b-carer"),
        )
        await play(publisher, consumer, [people.world.level("b-private", "org-b", 1)])
        assert await rows(
            engine, "SELECT count(*) FROM celebrations WHERE member_id = :m", m=gone
        ) == [(2,)]

        await play(publisher, consumer, [people.world.erased("b-private", "org-b")])

        assert await rows(
            engine,
            "SELECT message, giver_id, to_member_id FROM kudos "
            "WHERE message_removed_at IS NOT NULL ORDER BY given_at",
        ) == [(None, None, carer), (None, carer, None)]
        assert await rows(
            engine,
            "SELECT count(*) FROM celebrations WHERE member_id = :m OR from_member_id = :m",
            m=gone,
        ) == [(0,)]
        assert await rows(
            engine, "SELECT count(*) FROM awards WHERE recipient_id = :m", m=gone
        ) == [(0,)]
        [(anonymised,)] = await rows(
            engine,
            "SELECT count(*) FROM awards a JOIN recognition_rules r ON r.id = "
            "a.rule_id WHERE r.slug = 'level-1-explorer' AND a.anonymised_at = "
            ":at",
            at=people.world.clock,
        )
        assert anonymised == 1
        badges = await api.data(
            "query($m: ID!) { badges(memberId: $m) { id } }",
            {"m": str(gone)},
            token=people.coordinator("b-coord"),
        )
        assert badges == {"badges": []}

    async def test_erasing_a_coordinator_removes_their_notes_on_decisions(
        self, api: GraphQLClient, people: People, publisher: Publisher, consumer: Consumer, engine: AsyncEngine
    ) -> None:
        nominated = await api.data(
            "mutation($i: NominateInput!) { nominate(input: $i) { nomination { id } } }",
            {"i": {"memberId": str(people.id("b-carer")), "awardName": "Kindness award",
                   "reason": "Always there for others"}},
            token=people.token("a-hero"),
        )
        nomination = nominated["nominate"]["nomination"]["id"]
        await api.data(
            "mutation($i: DecideNominationInput!) { decideNomination(input: $i) { nomination { status } } }",
            {"i": {"nominationId": nomination, "decision": "GRANT", "note": "Seen it myself, says Coordinator B"}},
            token=people.coordinator("b-coord"),
        )

        await play(publisher, consumer, [people.world.erased("b-coord", "org-b")])

        assert await rows(engine, "SELECT decided_by, decision_note, status FROM nominations WHERE id = :n",
                          n=nomination) == [(None, None, "granted")]
