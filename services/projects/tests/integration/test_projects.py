"""Proposing and changing projects over HTTP: data returned, rows written and events queued together."""

from uuid import uuid4

import pytest
from servicekit.testing import GraphQLClient
from sqlalchemy.ext.asyncio import AsyncEngine

from ..conftest import PROPOSE, Network, add_member, outbox_of, propose, scalar

pytestmark = pytest.mark.asyncio(loop_scope="session")

PROJECT = """
query($id: ID!) { project(id: $id) {
  title summary themes visibility stage bigI hasLead canChange allowedNextStages
  aim { what howMuch byWhen statement isComplete }
  team { member { id } role }
} }
"""


class TestPropose:
    async def test_the_proposer_leads_a_new_idea_and_its_events_are_queued(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        lead = await network.hero()
        project_id = await propose(
            api,
            lead,
            title="  Fewer falls  on Ward 7 ",
            themes=["Falls", "Older people"],
            visibility="NETWORK",
            aim={
                "what": "Fewer falls on Ward 7",
                "howMuch": "a third fewer",
                "byWhen": "2027-03-31",
            },
        )

        project = (await api.data(PROJECT, {"id": project_id}, token=lead.token))["project"]
        assert project == {
            "title": "Fewer falls on Ward 7",
            "summary": "Older patients fall at night.",
            "themes": ["falls", "older people"],
            "visibility": "NETWORK",
            "stage": "IDEA",
            "bigI": False,
            "hasLead": True,
            "canChange": True,
            "allowedNextStages": ["SCOPING", "ABANDONED"],
            "aim": {
                "what": "Fewer falls on Ward 7",
                "howMuch": "a third fewer",
                "byWhen": "2027-03-31",
                "statement": "Fewer falls on Ward 7 by a third fewer by 31 March 2027.",
                "isComplete": True,
            },
            "team": [{"member": {"id": lead.id}, "role": "LEAD"}],
        }
        [(proposed, payload), (joined, member)] = await outbox_of(engine, project_id)
        assert proposed == "network.heroes.projects.project_proposed.v1"
        assert payload == {
            "project_id": project_id,
            "organisation_id": str(network.riverside),
            "proposed_by": lead.id,
            "visibility": "network",
            "stage": "idea",
            "proposed_at": payload["proposed_at"],
        }
        assert joined == "network.heroes.projects.team_member_added.v1"
        assert (member["member_id"], member["role"]) == (lead.id, "lead")

    @pytest.mark.parametrize(
        ("fields", "code", "field"),
        [
            ({"title": "   "}, "invalid_input", "title"),
            ({"title": "x" * 121}, "invalid_input", "title"),
            ({"summary": "x" * 2001}, "invalid_input", "summary"),
            ({"themes": [f"t{n}" for n in range(11)]}, "invalid_input", "themes"),
            ({"partnerOrganisationIds": ["not-an-id"]}, "invalid_input", "partnerOrganisationIds"),
        ],
    )
    async def test_bad_input_is_refused_plainly_and_nothing_is_stored(
        self,
        api: GraphQLClient,
        network: Network,
        engine: AsyncEngine,
        fields: dict[str, object],
        code: str,
        field: str,
    ) -> None:
        before = await scalar(engine, "SELECT count(*) FROM projects")
        body = await api(
            PROPOSE, {"input": {"title": "A title", **fields}}, token=(await network.hero()).token
        )

        [error] = body["errors"]
        assert (error["extensions"]["code"], error["extensions"]["field"]) == (code, field)
        assert body["data"] is None
        assert await scalar(engine, "SELECT count(*) FROM projects") == before

    async def test_anonymous_callers_cannot_propose(self, api: GraphQLClient) -> None:
        assert await api.error_code(PROPOSE, {"input": {"title": "A title"}}) == "unauthenticated"


UPDATE = "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { title visibility themes } } }"


class TestUpdate:
    async def test_changing_visibility_and_details_queues_one_event_each(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        lead = await network.hero()
        project_id = await propose(api, lead)

        data = await api.data(
            UPDATE,
            {"i": {"projectId": project_id, "visibility": "TEAM", "themes": ["Falls"]}},
            token=lead.token,
        )

        assert data == {
            "updateProject": {
                "project": {
                    "title": "Fewer falls on Ward 7",
                    "visibility": "TEAM",
                    "themes": ["falls"],
                }
            }
        }
        events = await outbox_of(engine, project_id)
        assert [
            (t.split(".")[-2], p.get("visibility"), p.get("fields")) for t, p in events[2:]
        ] == [
            ("project_visibility_changed", "team", None),
            ("project_details_changed", None, ["themes"]),
        ]

    async def test_a_hero_of_the_same_organisation_not_on_the_team_may_not_change_it(
        self, api: GraphQLClient, network: Network
    ) -> None:
        project_id = await propose(api, await network.hero())
        code = await api.error_code(
            UPDATE,
            {"i": {"projectId": project_id, "title": "Mine now"}},
            token=(await network.hero()).token,
        )
        assert code == "forbidden"

    async def test_an_unknown_project_is_not_found(
        self, api: GraphQLClient, network: Network
    ) -> None:
        code = await api.error_code(
            UPDATE, {"i": {"projectId": str(uuid4()), "title": "x"}}, token=(await network.hero()).token
        )
        assert code == "project_not_found"


ADVANCE = "mutation($i: AdvanceStageInput!) { advanceStage(input: $i) { project { stage } } }"


class TestStages:
    async def test_stages_move_forward_and_closing_queues_project_closed(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        lead = await network.hero()
        project_id = await propose(
            api, lead, aim={"what": "Fewer falls", "howMuch": "a third", "byWhen": "2027-01-01"}
        )
        for stage in ("SCOPING", "TESTING", "IMPLEMENTING", "SUSTAINING", "CLOSED"):
            data = await api.data(
                ADVANCE, {"i": {"projectId": project_id, "toStage": stage}}, token=lead.token
            )
            assert data == {"advanceStage": {"project": {"stage": stage}}}

        events = await outbox_of(engine, project_id)
        moves = [
            (p["from_stage"], p["to_stage"]) for t, p in events if t.endswith("stage_advanced.v1")
        ]
        assert moves == [
            ("idea", "scoping"),
            ("scoping", "testing"),
            ("testing", "implementing"),
            ("implementing", "sustaining"),
            ("sustaining", "closed"),
        ]
        assert events[-1][0] == "network.heroes.projects.project_closed.v1"
        assert events[-1][1]["outcome"] == "closed"

    async def test_an_illegal_jump_is_refused_and_changes_nothing(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        lead = await network.hero()
        project_id = await propose(api, lead)

        code = await api.error_code(
            ADVANCE, {"i": {"projectId": project_id, "toStage": "SPREADING"}}, token=lead.token
        )

        assert code == "stage_change_not_allowed"
        assert (
            await scalar(engine, "SELECT stage FROM projects WHERE id = :id", id=project_id)
            == "idea"
        )
        assert len(await outbox_of(engine, project_id)) == 2

    async def test_testing_needs_a_complete_aim(self, api: GraphQLClient, network: Network) -> None:
        lead = await network.hero()
        project_id = await propose(api, lead)
        await api.data(
            ADVANCE, {"i": {"projectId": project_id, "toStage": "SCOPING"}}, token=lead.token
        )
        code = await api.error_code(
            ADVANCE, {"i": {"projectId": project_id, "toStage": "TESTING"}}, token=lead.token
        )
        assert code == "aim_needed"


class TestTeam:
    async def test_a_service_user_partner_makes_it_big_i_until_they_leave(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        lead, partner = await network.hero(), await network.hero(network.voice)
        project_id = await propose(api, lead)
        await add_member(api, lead, project_id, partner, "SERVICE_USER_PARTNER")
        assert (await api.data(PROJECT, {"id": project_id}, token=lead.token))["project"][
            "bigI"
        ] is True

        await api.data(
            "mutation($i: LeaveProjectInput!) { leaveProject(input: $i) { project { id } } }",
            {"i": {"projectId": project_id}},
            token=partner.token,
        )

        project = (await api.data(PROJECT, {"id": project_id}, token=lead.token))["project"]
        assert project["bigI"] is False
        assert project["team"] == [{"member": {"id": lead.id}, "role": "LEAD"}]
        left = [
            p for t, p in await outbox_of(engine, project_id) if t.endswith("team_member_left.v1")
        ]
        assert [(p["member_id"], p["role"]) for p in left] == [(partner.id, "service_user_partner")]

    async def test_the_only_lead_cannot_leave(self, api: GraphQLClient, network: Network) -> None:
        lead = await network.hero()
        project_id = await propose(api, lead)
        code = await api.error_code(
            "mutation($i: LeaveProjectInput!) { leaveProject(input: $i) { project { id } } }",
            {"i": {"projectId": project_id}},
            token=lead.token,
        )
        assert code == "project_needs_a_lead"

    async def test_the_lead_hands_over_then_leaves(
        self, api: GraphQLClient, network: Network
    ) -> None:
        lead, successor = await network.hero(), await network.hero()
        project_id = await propose(api, lead)
        await add_member(api, lead, project_id, successor, "MEMBER")
        await api.data(
            "mutation($i: ChangeTeamRoleInput!) { changeTeamRole(input: $i) { teamMember { role } } }",
            {"i": {"projectId": project_id, "memberId": successor.id, "role": "LEAD"}},
            token=lead.token,
        )
        await api.data(
            "mutation($i: RemoveTeamMemberInput!) { removeTeamMember(input: $i) { project { id } } }",
            {"i": {"projectId": project_id, "memberId": lead.id}},
            token=successor.token,
        )

        team = (await api.data(PROJECT, {"id": project_id}, token=successor.token))["project"][
            "team"
        ]
        assert team == [{"member": {"id": successor.id}, "role": "LEAD"}]
