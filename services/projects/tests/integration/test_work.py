"""Driver diagrams, PDSA cycles and measures over HTTP, with their events and the chart."""

from datetime import date, timedelta

import pytest
from servicekit.testing import GraphQLClient
from sqlalchemy.ext.asyncio import AsyncEngine

from ..conftest import Network, Person, outbox_of, propose, rows, scalar

pytestmark = pytest.mark.asyncio(loop_scope="session")

ADD_DRIVER = "mutation($i: AddDriverInput!) { addDriver(input: $i) { driver { id level } } }"
ADD_IDEA = (
    "mutation($i: AddChangeIdeaInput!) { addChangeIdea(input: $i) { changeIdea { id title } } }"
)
START = "mutation($i: StartPdsaCycleInput!) { startPdsaCycle(input: $i) { cycle { id number status } } }"
STUDY = "mutation($i: StudyPdsaCycleInput!) { studyPdsaCycle(input: $i) { cycle { status } } }"
COMPLETE = """mutation($i: CompletePdsaCycleInput!) { completePdsaCycle(input: $i) {
  cycle { status decision } nextCycle { id number previousCycleId status } } }"""
DEFINE = "mutation($i: DefineMeasureInput!) { defineMeasure(input: $i) { measure { id effectiveRuleSet } } }"
RECORD = """mutation($i: RecordMeasurementInput!) { recordMeasurement(input: $i) {
  point { id value } newSignals { rule nature firstPointOn lastPointOn } } }"""


async def diagram(api: GraphQLClient, lead: Person, project_id: str) -> str:
    """A primary driver, a secondary under it and a change idea under that; returns the idea's id."""
    primary = (
        await api.data(
            ADD_DRIVER,
            {"i": {"projectId": project_id, "text": "Safe mobility at night"}},
            token=lead.token,
        )
    )["addDriver"]["driver"]
    secondary = (
        await api.data(
            ADD_DRIVER,
            {
                "i": {
                    "projectId": project_id,
                    "text": "Getting to the toilet safely",
                    "parentDriverId": primary["id"],
                }
            },
            token=lead.token,
        )
    )["addDriver"]["driver"]
    idea = await api.data(
        ADD_IDEA,
        {
            "i": {
                "projectId": project_id,
                "driverId": secondary["id"],
                "title": "Two-hourly rounding",
            }
        },
        token=lead.token,
    )
    return str(idea["addChangeIdea"]["changeIdea"]["id"])


class TestDriverDiagram:
    async def test_the_whole_tree_comes_back_in_one_query(
        self, api: GraphQLClient, network: Network
    ) -> None:
        lead = network.hero()
        project_id = await propose(
            api, lead, aim={"what": "Fewer falls", "howMuch": "a third", "byWhen": "2027-01-01"}
        )
        await diagram(api, lead, project_id)

        data = await api.data(
            """query($id: ID!) { project(id: $id) { driverDiagram { aim primaryDrivers {
            text level changeIdeas { title } secondaryDrivers { text level secondaryDrivers { text }
            changeIdeas { title pdsaCycles { id } } } } } } }""",
            {"id": project_id},
            token=lead.token,
        )

        assert data["project"]["driverDiagram"] == {
            "aim": "Fewer falls by a third by 1 January 2027.",
            "primaryDrivers": [
                {
                    "text": "Safe mobility at night",
                    "level": "PRIMARY_DRIVER",
                    "changeIdeas": [],
                    "secondaryDrivers": [
                        {
                            "text": "Getting to the toilet safely",
                            "level": "SECONDARY_DRIVER",
                            "secondaryDrivers": [],
                            "changeIdeas": [{"title": "Two-hourly rounding", "pdsaCycles": []}],
                        }
                    ],
                }
            ],
        }

    async def test_a_driver_three_levels_deep_is_refused(
        self, api: GraphQLClient, network: Network
    ) -> None:
        lead = network.hero()
        project_id = await propose(api, lead)
        primary = await api.data(
            ADD_DRIVER, {"i": {"projectId": project_id, "text": "A"}}, token=lead.token
        )
        secondary = await api.data(
            ADD_DRIVER,
            {
                "i": {
                    "projectId": project_id,
                    "text": "B",
                    "parentDriverId": primary["addDriver"]["driver"]["id"],
                }
            },
            token=lead.token,
        )
        code = await api.error_code(
            ADD_DRIVER,
            {
                "i": {
                    "projectId": project_id,
                    "text": "C",
                    "parentDriverId": secondary["addDriver"]["driver"]["id"],
                }
            },
            token=lead.token,
        )
        assert code == "invalid_input"


class TestPdsa:
    async def test_plan_study_adapt_starts_a_linked_cycle(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        lead = network.hero()
        project_id = await propose(api, lead)
        idea = await diagram(api, lead, project_id)

        cycle = (
            await api.data(
                START,
                {
                    "i": {
                        "changeIdeaId": idea,
                        "plan": "Round every two hours on nights",
                        "prediction": "Fewer unwitnessed falls",
                    }
                },
                token=lead.token,
            )
        )["startPdsaCycle"]["cycle"]
        assert (cycle["number"], cycle["status"]) == (1, "TESTING")
        too_soon = await api.error_code(
            COMPLETE, {"i": {"cycleId": cycle["id"], "decision": "ADOPT"}}, token=lead.token
        )
        assert too_soon == "pdsa_cycle_not_studied"
        assert (
            await scalar(engine, "SELECT status FROM pdsa_cycles WHERE id = :id", id=cycle["id"])
            == "testing"
        )

        await api.data(
            STUDY,
            {"i": {"cycleId": cycle["id"], "whatHappened": "Two falls, not five"}},
            token=lead.token,
        )
        done = await api.data(
            COMPLETE,
            {
                "i": {
                    "cycleId": cycle["id"],
                    "decision": "ADAPT",
                    "notes": "Try hourly",
                    "nextCycle": {"plan": "Round hourly", "prediction": "Fewer still"},
                }
            },
            token=lead.token,
        )

        following = done["completePdsaCycle"]["nextCycle"]
        assert done["completePdsaCycle"]["cycle"] == {"status": "COMPLETED", "decision": "ADAPT"}
        assert (following["number"], following["previousCycleId"], following["status"]) == (
            2,
            cycle["id"],
            "TESTING",
        )
        events = [(t.split(".")[-2], p) for t, p in await outbox_of(engine, project_id)]
        completed = [p for name, p in events if name == "pdsa_cycle_completed"]
        assert completed == [
            {
                "project_id": project_id,
                "organisation_id": str(network.riverside),
                "cycle_id": cycle["id"],
                "change_idea_id": idea,
                "decision": "adapt",
                "completed_by": lead.id,
                "completed_at": completed[0]["completed_at"],
            }
        ]
        started = [p["cycle_id"] for name, p in events if name == "pdsa_cycle_started"]
        assert started == [cycle["id"], following["id"]]

    async def test_only_adapt_starts_a_next_cycle_and_nothing_changes(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        lead = network.hero()
        idea = await diagram(api, lead, await propose(api, lead))
        cycle = (
            await api.data(
                START,
                {"i": {"changeIdeaId": idea, "plan": "p", "prediction": "q"}},
                token=lead.token,
            )
        )["startPdsaCycle"]["cycle"]
        await api.data(
            STUDY, {"i": {"cycleId": cycle["id"], "whatHappened": "w"}}, token=lead.token
        )

        code = await api.error_code(
            COMPLETE,
            {
                "i": {
                    "cycleId": cycle["id"],
                    "decision": "ADOPT",
                    "nextCycle": {"plan": "p2", "prediction": "q2"},
                }
            },
            token=lead.token,
        )

        assert code == "next_cycle_needs_adapt"
        assert (
            await scalar(
                engine, "SELECT count(*) FROM pdsa_cycles WHERE change_idea_id = :i", i=idea
            )
            == 1
        )
        assert (
            await scalar(engine, "SELECT status FROM pdsa_cycles WHERE id = :id", id=cycle["id"])
            == "studied"
        )


FALLS = [20, 21, 19, 20, 40, 20, 21, 19, 20, 21, 14, 13, 14, 13, 14, 13, 14]


async def measured(
    api: GraphQLClient, network: Network, **fields: object
) -> tuple[Person, str, str]:
    lead = network.hero()
    project_id = await propose(api, lead)
    measure = {
        "projectId": project_id,
        "name": "Falls per week",
        "kind": "OUTCOME",
        "unit": "falls",
        "improvementDirection": "DOWN",
        **fields,
    }
    data = await api.data(DEFINE, {"i": measure}, token=lead.token)
    return lead, project_id, str(data["defineMeasure"]["measure"]["id"])


class TestMeasures:
    async def test_recording_a_series_announces_each_new_signal_once(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        lead, project_id, measure_id = await measured(api, network, target=18)
        start = date(2026, 1, 5)
        announced = []
        for week, value in enumerate(FALLS):
            data = await api.data(
                RECORD,
                {
                    "i": {
                        "measureId": measure_id,
                        "on": str(start + timedelta(weeks=week)),
                        "value": value,
                    }
                },
                token=lead.token,
            )
            announced += [
                (week, s["rule"], s["nature"]) for s in data["recordMeasurement"]["newSignals"]
            ]

        chart = (
            await api.data(
                """query($id: ID!) { project(id: $id) { measures { chart {
            ruleSet centreLine assurance limitsProvisional notes
            segments { pointCount centre meanMovingRange upperLimit lowerLimit provisional }
            signals { rule nature firstPointOn lastPointOn }
            points { value specialCause } } } } }""",
                {"id": project_id},
                token=lead.token,
            )
        )["project"]["measures"][0]["chart"]

        assert (
            chart["ruleSet"],
            chart["centreLine"],
            chart["assurance"],
            chart["limitsProvisional"],
        ) == ("MDC", "MEAN", "HIT_AND_MISS", False)
        [segment] = chart["segments"]
        assert segment["pointCount"] == 17
        assert segment["centre"] == pytest.approx(316 / 17)
        assert segment["meanMovingRange"] == pytest.approx(62 / 16)
        assert segment["upperLimit"] == pytest.approx(316 / 17 + 2.66 * 62 / 16)
        assert [
            (s["rule"], s["nature"], s["firstPointOn"], s["lastPointOn"]) for s in chart["signals"]
        ] == [
            ("SHIFT", "CONCERN", "2026-01-05", "2026-03-09"),
            ("POINT_BEYOND_LIMITS", "CONCERN", "2026-02-02", "2026-02-02"),
            ("SHIFT", "IMPROVEMENT", "2026-03-16", "2026-04-27"),
        ]
        assert [p["specialCause"] for p in chart["points"]][9:11] == ["CONCERN", "IMPROVEMENT"]
        # Each signal was announced once, when it first appeared, however the limits moved after.
        events = [
            p
            for t, p in await outbox_of(engine, project_id)
            if t.endswith("measure_signal_detected.v1")
        ]
        keys = [(p["rule"], p["nature"], p["first_point_on"]) for p in events]
        assert len(keys) == len(set(keys))
        assert ("shift", "improvement", "2026-03-16") in keys
        assert [(rule.lower(), nature.lower()) for _, rule, nature in announced] == [
            (k[0], k[1]) for k in keys
        ]
        assert (events[0]["measure_kind"], events[0]["rule_set"]) == ("outcome", "mdc")

    async def test_a_chart_by_another_rule_set_on_request(
        self, api: GraphQLClient, network: Network
    ) -> None:
        lead, project_id, measure_id = await measured(api, network)
        for week, value in enumerate(FALLS):
            await api.data(
                RECORD,
                {
                    "i": {
                        "measureId": measure_id,
                        "on": str(date(2026, 1, 5) + timedelta(weeks=week)),
                        "value": value,
                    }
                },
                token=lead.token,
            )
        data = await api.data(
            """query($id: ID!) { project(id: $id) { measures {
            chart(ruleSet: IHI_RUN_CHART) { centreLine segments { centre } signals { rule nature } } } } }""",
            {"id": project_id},
            token=lead.token,
        )
        assert data["project"]["measures"][0]["chart"] == {
            "centreLine": "MEDIAN",
            "segments": [{"centre": 19}],
            "signals": [
                {"rule": "SHIFT", "nature": "CONCERN"},
                {"rule": "TOO_FEW_RUNS", "nature": "NEITHER"},
                {"rule": "SHIFT", "nature": "IMPROVEMENT"},
            ],
        }

    async def test_a_correction_keeps_history_and_queues_its_event(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        lead, project_id, measure_id = await measured(api, network)
        point = (
            await api.data(
                RECORD,
                {"i": {"measureId": measure_id, "on": "2026-01-05", "value": 7}},
                token=lead.token,
            )
        )["recordMeasurement"]["point"]

        data = await api.data(
            """mutation($i: CorrectMeasurementInput!) { correctMeasurement(input: $i) {
            point { value corrections history { number previousValue value reason } } } }""",
            {"i": {"pointId": point["id"], "value": 5, "reason": "Two were on another ward"}},
            token=lead.token,
        )

        assert data["correctMeasurement"]["point"] == {
            "value": 5,
            "corrections": 1,
            "history": [
                {"number": 1, "previousValue": 7, "value": 5, "reason": "Two were on another ward"}
            ],
        }
        [corrected] = [
            p
            for t, p in await outbox_of(engine, project_id)
            if t.endswith("measurement_corrected.v1")
        ]
        assert (corrected["point_id"], corrected["revision"]) == (point["id"], 1)

    @pytest.mark.parametrize(
        ("change", "code"),
        [
            ({"on": "2999-01-01"}, "date_in_future"),
            ({"value": "lots"}, "BAD_USER_INPUT"),
            ({"measureId": "00000000-0000-4000-8000-000000000000"}, "measure_not_found"),
            ({"annotation": "x" * 501}, "invalid_input"),
        ],
    )
    async def test_bad_data_is_refused_and_nothing_is_stored(
        self,
        api: GraphQLClient,
        network: Network,
        engine: AsyncEngine,
        change: dict[str, object],
        code: str,
    ) -> None:
        lead, _, measure_id = await measured(api, network)
        value = {"measureId": measure_id, "on": "2026-01-05", "value": 3, **change}
        assert await api.error_code(RECORD, {"i": value}, token=lead.token) == code
        assert (
            await scalar(
                engine, "SELECT count(*) FROM measurements WHERE measure_id = :m", m=measure_id
            )
            == 0
        )

    async def test_a_second_value_for_the_same_date_is_a_conflict(
        self, api: GraphQLClient, network: Network
    ) -> None:
        lead, _, measure_id = await measured(api, network)
        value = {"measureId": measure_id, "on": "2026-01-05", "value": 3}
        await api.data(RECORD, {"i": value}, token=lead.token)
        assert (
            await api.error_code(RECORD, {"i": value}, token=lead.token)
            == "measurement_already_recorded"
        )

    async def test_a_target_with_direction_neither_is_refused(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        lead = network.hero()
        project_id = await propose(api, lead)
        measure = {
            "projectId": project_id,
            "name": "Calls",
            "kind": "BALANCING",
            "unit": "calls",
            "improvementDirection": "NEITHER",
            "target": 10,
        }
        assert (
            await api.error_code(DEFINE, {"i": measure}, token=lead.token)
            == "target_needs_direction"
        )
        assert (
            await rows(engine, "SELECT id FROM measures WHERE project_id = :p", p=project_id) == []
        )

    async def test_an_unknown_rule_set_is_refused(
        self, api: GraphQLClient, network: Network
    ) -> None:
        lead = network.hero()
        project_id = await propose(api, lead)
        measure = {
            "projectId": project_id,
            "name": "Falls",
            "kind": "OUTCOME",
            "unit": "falls",
            "improvementDirection": "DOWN",
            "ruleSet": "ASTROLOGY",
        }
        assert await api.error_code(DEFINE, {"i": measure}, token=lead.token) == "BAD_USER_INPUT"

    async def test_the_organisation_default_rule_set_applies_unless_a_measure_chooses(
        self, api: GraphQLClient, network: Network
    ) -> None:
        coordinator = network.coordinator(network.riverside)
        setting = (
            "mutation($i: SetDefaultRuleSetInput!) { setDefaultRuleSet(input: $i) { ruleSet } }"
        )
        refused = await api.error_code(
            setting,
            {"i": {"organisationId": str(network.riverside), "ruleSet": "SHEWHART"}},
            token=network.hero().token,
        )
        await api.data(
            setting,
            {"i": {"organisationId": str(network.riverside), "ruleSet": "SHEWHART"}},
            token=coordinator.token,
        )
        _, plain, _ = await measured(api, network)
        _, chosen, _ = await measured(api, network, ruleSet="IHI_RUN_CHART")

        assert refused == "forbidden"
        query = "query($id: ID!) { project(id: $id) { measures { ruleSet effectiveRuleSet chart { ruleSet } } } }"
        for project_id, expected in (
            (
                plain,
                [
                    {
                        "ruleSet": None,
                        "effectiveRuleSet": "SHEWHART",
                        "chart": {"ruleSet": "SHEWHART"},
                    }
                ],
            ),
            (
                chosen,
                [
                    {
                        "ruleSet": "IHI_RUN_CHART",
                        "effectiveRuleSet": "IHI_RUN_CHART",
                        "chart": {"ruleSet": "IHI_RUN_CHART"},
                    }
                ],
            ),
        ):
            data = await api.data(query, {"id": project_id}, token=coordinator.token)
            assert data["project"]["measures"] == expected


class TestEditingTheDiagram:
    REMOVE = "mutation($i: RemoveDiagramItemInput!) { removeDiagramItem(input: $i) { project { driverDiagram { primaryDrivers { text } } } } }"

    async def test_rewording_and_removing_a_part_without_cycles(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        lead = network.hero()
        project_id = await propose(api, lead)
        driver = await api.data(
            ADD_DRIVER, {"i": {"projectId": project_id, "text": "Old wording"}}, token=lead.token
        )
        driver_id = driver["addDriver"]["driver"]["id"]
        await api.data(
            ADD_IDEA,
            {"i": {"projectId": project_id, "driverId": driver_id, "title": "An idea"}},
            token=lead.token,
        )

        reworded = await api.data(
            """mutation($i: UpdateDiagramItemInput!) { updateDiagramItem(input: $i) {
                 project { driverDiagram { primaryDrivers { text } } } } }""",
            {"i": {"projectId": project_id, "itemId": driver_id, "text": "New wording"}},
            token=lead.token,
        )
        removed = await api.data(
            self.REMOVE, {"i": {"projectId": project_id, "itemId": driver_id}}, token=lead.token
        )

        assert reworded["updateDiagramItem"]["project"]["driverDiagram"] == {
            "primaryDrivers": [{"text": "New wording"}]
        }
        assert removed["removeDiagramItem"]["project"]["driverDiagram"] == {"primaryDrivers": []}
        [event] = [
            p
            for t, p in await outbox_of(engine, project_id)
            if t.endswith("diagram_item_removed.v1")
        ]
        assert (event["item_id"], event["kind"], event["items_removed"]) == (
            driver_id,
            "primary_driver",
            2,
        )

    async def test_a_part_with_pdsa_cycles_is_kept(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        lead = network.hero()
        project_id = await propose(api, lead)
        idea = await diagram(api, lead, project_id)
        await api.data(
            START, {"i": {"changeIdeaId": idea, "plan": "p", "prediction": "q"}}, token=lead.token
        )

        code = await api.error_code(
            self.REMOVE, {"i": {"projectId": project_id, "itemId": idea}}, token=lead.token
        )

        assert code == "diagram_item_in_use"
        assert (
            await scalar(
                engine, "SELECT count(*) FROM diagram_items WHERE project_id = :p", p=project_id
            )
            == 3
        )


class TestRebasingAndFlags:
    async def test_rebasing_a_measure_splits_its_chart(
        self, api: GraphQLClient, network: Network
    ) -> None:
        lead, project_id, measure_id = await measured(api, network)
        for week, value in enumerate([10, 12, 10, 12, 20, 22, 20, 22]):
            await api.data(
                RECORD,
                {
                    "i": {
                        "measureId": measure_id,
                        "on": str(date(2026, 1, 5) + timedelta(weeks=week)),
                        "value": value,
                    }
                },
                token=lead.token,
            )

        data = await api.data(
            """mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) {
            measure { rebaseOn chart { segments { pointCount centre upperLimit } } } } }""",
            {"i": {"measureId": measure_id, "rebaseOn": ["2026-02-02"]}},
            token=lead.token,
        )

        measure = data["updateMeasure"]["measure"]
        assert measure["rebaseOn"] == ["2026-02-02"]
        assert [(s["pointCount"], s["centre"]) for s in measure["chart"]["segments"]] == [
            (4, 11),
            (4, 21),
        ]
        assert measure["chart"]["segments"][1]["upperLimit"] == pytest.approx(26.32)

    async def test_a_person_marks_an_astronomical_point_for_the_run_chart(
        self, api: GraphQLClient, network: Network
    ) -> None:
        lead, _, measure_id = await measured(api, network, ruleSet="IHI_RUN_CHART")
        points = []
        for week, value in enumerate([5, 6, 5, 60, 6]):
            data = await api.data(
                RECORD,
                {
                    "i": {
                        "measureId": measure_id,
                        "on": str(date(2026, 1, 5) + timedelta(weeks=week)),
                        "value": value,
                    }
                },
                token=lead.token,
            )
            points.append(data["recordMeasurement"]["point"]["id"])

        data = await api.data(
            """mutation($i: FlagAstronomicalPointInput!) { flagAstronomicalPoint(input: $i) {
            point { astronomical } newSignals { rule nature pointIds } } }""",
            {"i": {"pointId": points[3], "flagged": True}},
            token=lead.token,
        )

        assert data["flagAstronomicalPoint"] == {
            "point": {"astronomical": True},
            "newSignals": [
                {"rule": "ASTRONOMICAL_POINT", "nature": "CONCERN", "pointIds": [points[3]]}
            ],
        }
