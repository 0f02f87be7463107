"""Levels are computed and announced once; pairing rules; the monthly pulse and its group threshold."""

from membership.catalogue import LEVEL_ONE_MODULES, LEVEL_TWO_MODULES, module_id
from servicekit.testing import GraphQLClient
from sqlalchemy.ext.asyncio import AsyncEngine

from ..conftest import Network, scalar

COMPLETE = """mutation($i: RecordTrainingCompletionInput!) {
  recordTrainingCompletion(input: $i) { levelsAchieved member { learningLevel } } }"""
PAIR = "mutation($i: PairPeersInput!) { pairPeers(input: $i) { pairing { id crossesOrganisations } } }"
PULSE = "mutation($i: SubmitPulseInput!) { submitPulse(input: $i) { month } }"
RESULTS = "query($o: ID!, $m: [String!]!) { pulseResults(organisationId: $o, months: $m) { month responses averages } }"


class TestLearning:
    async def test_levels_follow_required_modules_and_are_announced_once(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        person = await network.person(await network.organisation())
        results = []
        for slug in LEVEL_TWO_MODULES + LEVEL_ONE_MODULES + LEVEL_ONE_MODULES[:1]:
            data = await api.data(COMPLETE, {"i": {"moduleId": str(module_id(slug))}}, token=person.token)
            results.append(data["recordTrainingCompletion"]["levelsAchieved"])

        # Level 2 modules first reach nothing; the last level 1 module reaches both; a repeat, nothing.
        assert results == [[], [], [], [], [], ["EXPLORER", "PRACTITIONER"], []]
        assert await scalar(engine, "SELECT count(*) FROM outbox_messages "
                            "WHERE key = :k AND type LIKE '%level_achieved%'", k=person.id) == 2
        me = await api.data("{ me { learningLevel training { moduleId } } }", token=person.token)
        assert me["me"]["learningLevel"] == "PRACTITIONER"
        assert len(me["me"]["training"]) == 6

    async def test_an_organisations_required_module_is_needed_by_its_members(
        self, api: GraphQLClient, network: Network
    ) -> None:
        org = await network.organisation()
        coordinator = await network.person(org, role="COORDINATOR")
        person = await network.person(org, by=coordinator.token)
        module = await api.data(
            "mutation($i: DefineTrainingModuleInput!) { defineTrainingModule(input: $i) { module { id level } } }",
            {"i": {"organisationId": org, "title": "Our local induction", "level": "EXPLORER", "required": True}},
            token=coordinator.token,
        )
        reached = [
            (await api.data(COMPLETE, {"i": {"moduleId": str(module_id(slug))}}, token=person.token))
            ["recordTrainingCompletion"]["levelsAchieved"] for slug in LEVEL_ONE_MODULES
        ]
        assert reached == [[], [], []]
        last = await api.data(COMPLETE, {"i": {"moduleId": module["defineTrainingModule"]["module"]["id"]}},
                              token=person.token)
        assert last["recordTrainingCompletion"]["levelsAchieved"] == ["EXPLORER"]


class TestPeers:
    async def test_pairs_across_organisations_but_only_active_members(
        self, api: GraphQLClient, network: Network
    ) -> None:
        a, b = await network.organisation(), await network.organisation("VOLUNTARY_COMMUNITY_GROUP")
        coordinator = await network.person(a, role="COORDINATOR")
        staff = await network.person(a, by=coordinator.token)
        carer = await network.person(b, member_type="CARER")
        paused = await network.person(a, by=coordinator.token)
        await api.data("mutation($i: ChangeMemberStatusInput!) { changeMemberStatus(input: $i) { member { status } } }",
                       {"i": {"memberId": paused.id, "status": "PAUSED"}}, token=paused.token)

        pairing = await api.data(PAIR, {"i": {"firstMemberId": staff.id, "secondMemberId": carer.id, "kind": "COACH"}},
                                 token=coordinator.token)
        assert pairing["pairPeers"]["pairing"]["crossesOrganisations"] is True
        again = {"i": {"firstMemberId": carer.id, "secondMemberId": staff.id, "kind": "BUDDY"}}
        assert await api.error_code(PAIR, again, token=coordinator.token) == "pairing_not_possible"
        inactive = {"i": {"firstMemberId": staff.id, "secondMemberId": paused.id, "kind": "BUDDY"}}
        assert await api.error_code(PAIR, inactive, token=coordinator.token) == "pairing_not_possible"
        assert await api.error_code(PAIR, inactive, token=staff.token) == "forbidden"


class TestPulse:
    async def test_once_a_month_and_results_only_for_five_or_more(self, api: GraphQLClient, network: Network) -> None:
        org = await network.organisation()
        coordinator = await network.person(org, role="COORDINATOR")
        people = [await network.person(org, by=coordinator.token) for _ in range(5)]
        submitted = await api.data(PULSE, {"i": {"answers": [1, 2, 3, 4, 5]}}, token=people[0].token)
        month = submitted["submitPulse"]["month"]
        assert await api.error_code(PULSE, {"i": {"answers": [1, 2, 3, 4, 5]}}, token=people[0].token) == (
            "pulse_already_submitted")
        for person in people[1:4]:
            await api.data(PULSE, {"i": {"answers": [5, 4, 3, 2, 1]}}, token=person.token)

        assert await api.data(RESULTS, {"o": org, "m": [month]}, token=coordinator.token) == {"pulseResults": []}
        await api.data(PULSE, {"i": {"answers": [3, 3, 3, 3, 3]}}, token=people[4].token)
        assert await api.data(RESULTS, {"o": org, "m": [month]}, token=coordinator.token) == {
            "pulseResults": [{"month": month, "responses": 5, "averages": [3.8, 3.4, 3.0, 2.6, 2.2]}]}
        assert await api.error_code(RESULTS, {"o": org, "m": [month]}, token=people[1].token) == "forbidden"
