"""Measures over HTTP: recording data, corrections, signals announced once, the chart, rebasing."""

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



FALLS = [20, 21, 19, 20, 40, 20, 21, 19, 20, 21, 14, 13, 14, 13, 14, 13, 14]


async def measured(
    api: GraphQLClient, network: Network, **fields: object
) -> tuple[Person, str, str]:
    lead = await network.hero()
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
        lead = await network.hero()
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
        lead = await network.hero()
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
        coordinator = await network.coordinator(network.riverside)
        setting = (
            "mutation($i: SetDefaultRuleSetInput!) { setDefaultRuleSet(input: $i) { ruleSet } }"
        )
        refused = await api.error_code(
            setting,
            {"i": {"organisationId": str(network.riverside), "ruleSet": "SHEWHART"}},
            token=(await network.hero()).token,
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



class TestRebasingAndFlags:
    async def test_rebasing_a_measure_splits_its_chart(
        self, api: GraphQLClient, network: Network
    ) -> None:
        lead, _, measure_id = await measured(api, network)
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
