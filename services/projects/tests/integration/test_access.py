"""Who sees which project, through every path: project, projects, _entities, Member and Organisation."""

from dataclasses import dataclass

import pytest
from servicekit.testing import GraphQLClient
from sqlalchemy.ext.asyncio import AsyncEngine

from ..conftest import Network, Person, add_member, announce, propose

pytestmark = pytest.mark.asyncio(loop_scope="session")

ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Project { id title } } }"
MEMBER_PROJECTS = """
query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Member { id projects(first: 10) { edges { node { id } } pageInfo { hasNextPage } } }
} }
"""
ORGANISATION_PROJECTS = """
query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Organisation { id defaultRuleSet projects(first: 50) { edges { node { id } } } }
} }
"""


@dataclass
class Scene:
    """Riverside owns three projects, one per visibility, led by `lead`; Voice is a partner of none."""

    lead: Person
    team: str
    organisation: str
    network: str


@pytest.fixture
async def scene(api: GraphQLClient, network: Network) -> Scene:
    lead = await network.hero()
    return Scene(
        lead=lead,
        team=await propose(api, lead, title="Team only", visibility="TEAM"),
        organisation=await propose(api, lead, title="Riverside only", visibility="ORGANISATION"),
        network=await propose(api, lead, title="Everyone", visibility="NETWORK"),
    )


async def callers(network: Network, scene: Scene) -> dict[str, Person]:
    return {
        "lead": scene.lead,
        "riverside hero": await network.hero(network.riverside),
        "riverside coordinator": await network.coordinator(network.riverside),
        "voice hero": await network.hero(network.voice),
        "voice coordinator": await network.coordinator(network.voice),
        "anonymous": network.anonymous(),
    }


# Which of (team, organisation, network) each caller sees.
EXPECTED = {
    "lead": (True, True, True),
    "riverside hero": (False, True, True),
    "riverside coordinator": (True, True, True),
    "voice hero": (False, False, True),
    "voice coordinator": (False, False, True),
    "anonymous": (False, False, True),
}


class TestVisibility:
    async def test_project_by_id(self, api: GraphQLClient, network: Network, scene: Scene) -> None:
        for name, caller in (await callers(network, scene)).items():
            seen = []
            for project_id in (scene.team, scene.organisation, scene.network):
                data = await api.data(
                    "query($id: ID!) { project(id: $id) { id } }",
                    {"id": project_id},
                    token=caller.token,
                )
                seen.append(data["project"] is not None)
            assert tuple(seen) == EXPECTED[name], name

    async def test_entities_resolve_only_visible_projects(
        self, api: GraphQLClient, network: Network, scene: Scene
    ) -> None:
        representations = [
            {"__typename": "Project", "id": pid}
            for pid in (scene.team, scene.organisation, scene.network)
        ]
        for name, caller in (await callers(network, scene)).items():
            data = await api.data(
                ENTITIES, {"r": representations}, token=caller.token, as_gateway=True
            )
            assert tuple(entity is not None for entity in data["_entities"]) == EXPECTED[name], name
        anonymous = await api.data(ENTITIES, {"r": representations}, as_gateway=True)
        assert anonymous == {"_entities": [None, None, {"id": scene.network, "title": "Everyone"}]}

    async def test_entities_are_only_for_the_gateway(
        self, api: GraphQLClient, scene: Scene
    ) -> None:
        code = await api.error_code(
            ENTITIES, {"r": [{"__typename": "Project", "id": scene.network}]}
        )
        assert code == "forbidden"

    async def test_organisation_projects_list_only_what_the_caller_may_see(
        self, api: GraphQLClient, network: Network, scene: Scene
    ) -> None:
        mine = {scene.team, scene.organisation, scene.network}
        for name, caller in (await callers(network, scene)).items():
            data = await api.data(
                ORGANISATION_PROJECTS,
                {"r": [{"__typename": "Organisation", "id": str(network.riverside)}]},
                token=caller.token,
                as_gateway=True,
            )
            [riverside] = data["_entities"]
            listed = {edge["node"]["id"] for edge in riverside["projects"]["edges"]} & mine
            expected = {
                pid
                for pid, sees in zip(
                    (scene.team, scene.organisation, scene.network), EXPECTED[name], strict=True
                )
                if sees
            }
            assert listed == expected, name
            assert riverside["defaultRuleSet"] == "MDC"

    async def test_member_projects_for_many_members_in_one_call(
        self, api: GraphQLClient, network: Network, scene: Scene, engine: AsyncEngine
    ) -> None:
        partner = await network.hero(network.voice)
        await announce(engine, scene.lead, partner)
        await add_member(api, scene.lead, scene.network, partner, "SERVICE_USER_PARTNER")
        representations = [
            {"__typename": "Member", "id": scene.lead.id},
            {"__typename": "Member", "id": partner.id},
        ]

        as_voice = await api.data(
            MEMBER_PROJECTS,
            {"r": representations},
            token=(await network.hero(network.voice)).token,
            as_gateway=True,
        )
        as_lead = await api.data(
            MEMBER_PROJECTS, {"r": representations}, token=scene.lead.token, as_gateway=True
        )

        assert as_voice == {
            "_entities": [
                {
                    "id": scene.lead.id,
                    "projects": {
                        "edges": [{"node": {"id": scene.network}}],
                        "pageInfo": {"hasNextPage": False},
                    },
                },
                {
                    "id": partner.id,
                    "projects": {
                        "edges": [{"node": {"id": scene.network}}],
                        "pageInfo": {"hasNextPage": False},
                    },
                },
            ]
        }
        newest_first = [scene.network, scene.organisation, scene.team]
        assert [
            e["node"]["id"] for e in as_lead["_entities"][0]["projects"]["edges"]
        ] == newest_first

    async def test_partner_organisations_see_organisation_projects(
        self, api: GraphQLClient, network: Network
    ) -> None:
        lead = await network.hero()
        project_id = await propose(
            api, lead, visibility="ORGANISATION", partnerOrganisationIds=[str(network.voice)]
        )
        data = await api.data(
            "query($id: ID!) { project(id: $id) { partnerOrganisations { id } } }",
            {"id": project_id},
            token=(await network.hero(network.voice)).token,
        )
        assert data == {"project": {"partnerOrganisations": [{"id": str(network.voice)}]}}

    async def test_the_projects_list_pages_through_what_the_caller_may_see(
        self, api: GraphQLClient, network: Network, scene: Scene
    ) -> None:
        query = """query($after: String, $org: ID) { projects(first: 1, after: $after, filter: {organisationId: $org}) {
                     edges { node { id } } pageInfo { hasNextPage endCursor } } }"""
        for caller, expected in (
            (scene.lead, [scene.network, scene.organisation, scene.team]),
            (network.anonymous(), [scene.network]),
        ):
            seen, after = [], None
            while True:
                page = (
                    await api.data(
                        query, {"after": after, "org": str(network.riverside)}, token=caller.token
                    )
                )["projects"]
                seen += [edge["node"]["id"] for edge in page["edges"]]
                if not page["pageInfo"]["hasNextPage"]:
                    break
                after = page["pageInfo"]["endCursor"]
            assert seen == expected


class TestChanging:
    UPDATE = "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { title } } }"

    async def test_own_coordinators_may_change_a_project_they_are_not_on(
        self, api: GraphQLClient, network: Network, scene: Scene
    ) -> None:
        data = await api.data(
            self.UPDATE,
            {"i": {"projectId": scene.team, "title": "Renamed"}},
            token=(await network.coordinator(network.riverside)).token,
        )
        assert data == {"updateProject": {"project": {"title": "Renamed"}}}

    async def test_another_organisations_coordinator_may_not(
        self, api: GraphQLClient, network: Network, scene: Scene
    ) -> None:
        voice = (await network.coordinator(network.voice)).token
        assert (
            await api.error_code(
                self.UPDATE, {"i": {"projectId": scene.network, "title": "x"}}, token=voice
            )
            == "forbidden"
        )
        # A project they cannot see is "not found", so its existence does not leak.
        assert (
            await api.error_code(
                self.UPDATE, {"i": {"projectId": scene.team, "title": "x"}}, token=voice
            )
            == "project_not_found"
        )

    async def test_leaving_a_team_only_project_leaves_it_out_of_sight(
        self, api: GraphQLClient, network: Network, scene: Scene
    ) -> None:
        member = await network.hero()
        await add_member(api, scene.lead, scene.team, member, "MEMBER")
        data = await api.data(
            "mutation($i: LeaveProjectInput!) { leaveProject(input: $i) { project { id } } }",
            {"i": {"projectId": scene.team}},
            token=member.token,
        )
        assert data == {"leaveProject": {"project": None}}


class TestMembersShownAsConsentAllows:
    """A project never shows a member further than membership says they may be shown."""

    TEAM = """query($id: ID!) { project(id: $id) { team { role member { id } } proposedBy { id } } }"""
    MEMBER_PROJECTS = """query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Member { projects { edges { node { id } } } } } }"""

    async def test_a_service_user_without_consent_is_null_to_others_but_known_to_the_team(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        lead, partner, teammate = await network.hero(), await network.hero(network.voice), await network.hero()
        await announce(engine, lead)
        await announce(engine, partner, visibility="hidden")
        project_id = await propose(api, lead, visibility="NETWORK")
        await add_member(api, lead, project_id, partner, "SERVICE_USER_PARTNER")
        await add_member(api, lead, project_id, teammate, "MEMBER")

        outsider = await api.data(self.TEAM, {"id": project_id}, token=(await network.hero(network.voice)).token)
        anonymous = await api.data(self.TEAM, {"id": project_id})
        on_team = await api.data(self.TEAM, {"id": project_id}, token=teammate.token)
        their_projects = await api.data(self.MEMBER_PROJECTS, {"r": [{"__typename": "Member", "id": partner.id}]},
                                        as_gateway=True)

        roles = {"LEAD": {"id": lead.id}, "SERVICE_USER_PARTNER": None}
        for seen in (outsider, anonymous):
            assert {m["role"]: m["member"] for m in seen["project"]["team"] if m["role"] != "MEMBER"} == roles
        assert {m["role"]: m["member"] for m in on_team["project"]["team"]}["SERVICE_USER_PARTNER"] == {
            "id": partner.id}
        assert their_projects == {"_entities": [{"projects": {"edges": []}}]}

    async def test_an_organisation_only_member_is_shown_in_their_organisation_only(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        lead = await network.hero()
        await announce(engine, lead, visibility="organisation")
        project_id = await propose(api, lead, visibility="NETWORK")

        colleague = await api.data(self.TEAM, {"id": project_id}, token=(await network.hero()).token)
        outsider = await api.data(self.TEAM, {"id": project_id}, token=(await network.hero(network.voice)).token)

        assert colleague["project"]["proposedBy"] == {"id": lead.id}
        assert outsider["project"]["proposedBy"] is None
        assert outsider["project"]["team"] == [{"role": "LEAD", "member": None}]


class TestHiddenItemsRevealNothing:
    async def test_ids_of_items_in_a_hidden_project_answer_as_missing_ones(
        self, api: GraphQLClient, network: Network
    ) -> None:
        from uuid import uuid4

        lead = await network.hero()
        project_id = await propose(api, lead, visibility="TEAM")
        driver = (await api.data("mutation($i: AddDriverInput!) { addDriver(input: $i) { driver { id } } }",
                                 {"i": {"projectId": project_id, "text": "Night care"}}, token=lead.token))
        driver_id = driver["addDriver"]["driver"]["id"]
        idea = await api.data(
            "mutation($i: AddChangeIdeaInput!) { addChangeIdea(input: $i) { changeIdea { id } } }",
            {"i": {"projectId": project_id, "driverId": driver_id, "title": "Rounds"}}, token=lead.token)
        cycle = await api.data(
            "mutation($i: StartPdsaCycleInput!) { startPdsaCycle(input: $i) { cycle { id } } }",
            {"i": {"changeIdeaId": idea["addChangeIdea"]["changeIdea"]["id"], "plan": "p", "prediction": "q"}},
            token=lead.token)
        measure = await api.data(
            "mutation($i: DefineMeasureInput!) { defineMeasure(input: $i) { measure { id } } }",
            {"i": {"projectId": project_id, "name": "Falls", "kind": "OUTCOME", "unit": "falls",
                   "improvementDirection": "DOWN"}}, token=lead.token)
        outsider = await network.hero(network.voice)
        start = "mutation($i: StartPdsaCycleInput!) { startPdsaCycle(input: $i) { cycle { id } } }"
        study = "mutation($i: StudyPdsaCycleInput!) { studyPdsaCycle(input: $i) { cycle { id } } }"
        record = "mutation($i: RecordMeasurementInput!) { recordMeasurement(input: $i) { point { id } } }"

        for query, real, field in (
            (start, {"changeIdeaId": driver_id, "plan": "p", "prediction": "q"}, "changeIdeaId"),
            (study, {"cycleId": cycle["startPdsaCycle"]["cycle"]["id"], "whatHappened": "x"}, "cycleId"),
            (record, {"measureId": measure["defineMeasure"]["measure"]["id"], "on": "2026-01-05", "value": 1},
             "measureId"),
        ):
            hidden = await api(query, {"i": real}, token=outsider.token)
            missing = await api(query, {"i": {**real, field: str(uuid4())}}, token=outsider.token)
            assert hidden["errors"][0]["extensions"] == missing["errors"][0]["extensions"], query
            assert hidden["errors"][0]["message"] == missing["errors"][0]["message"]
