"""After eraseMember, no table of the membership database holds the member's name or email."""

from datetime import UTC, datetime

from membership.catalogue import module_id
from servicekit.testing import GraphQLClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from ..conftest import Network, Person, scalar

ERASE = "mutation($i: EraseMemberInput!) { eraseMember(input: $i) { memberId status } }"


async def tables_mentioning(engine: AsyncEngine, *needles: str) -> list[str]:
    """Every table (public schema) with a row whose text form contains any of the needles."""
    found = []
    async with engine.connect() as connection:
        tables = (await connection.execute(text(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE'"
        ))).scalars().all()
        for table in tables:
            for needle in needles:
                # `table` comes from information_schema (quoted); the needle is a bound parameter.
                query = text(f'SELECT 1 FROM "{table}" t WHERE t::text ILIKE :n LIMIT 1')  # noqa: S608
                hit = await connection.execute(query, {"n": f"%{needle}%"})
                if hit.first():
                    found.append(f"{table}: {needle}")
    return found


async def full_life(api: GraphQLClient, network: Network) -> tuple[Person, Person, Person]:
    org = await network.organisation()
    coordinator = await network.person(org, role="COORDINATOR")
    user = await network.person(org, member_type="CARER", visibility="NETWORK",
                                consents=("CONTACT", "NAME_ACROSS_NETWORK", "STORY_PUBLISHED"), by=coordinator.token)
    buddy = await network.person(org, by=coordinator.token)
    await api.data("mutation($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) { member { id } } }",
                   {"i": {"interests": [f"{user.name} likes gardens"], "skills": [user.email[:40]],
                          "accessPreferences": {"easyRead": True, "interpreterLanguage": "Welsh"}}}, token=user.token)
    await api.data("mutation($i: LogInvolvementInput!) { logInvolvement(input: $i) { entry { id } } }",
                   {"i": {"date": datetime.now(UTC).date().isoformat(), "minutes": 45,
                          "activity": f"Panel with {user.name}"}}, token=user.token)
    await api.data("mutation($i: RecordTrainingCompletionInput!) { recordTrainingCompletion(input: $i) "
                   "{ levelsAchieved } }",
                   {"i": {"moduleId": str(module_id("what-is-qi"))}}, token=user.token)
    pairing = await api.data("mutation($i: PairPeersInput!) { pairPeers(input: $i) { pairing { id } } }",
                             {"i": {"firstMemberId": user.id, "secondMemberId": buddy.id, "kind": "CO_COACH"}},
                             token=coordinator.token)
    await api.data("mutation($i: RecordCheckInInput!) { recordCheckIn(input: $i) { checkIn { id } } }",
                   {"i": {"pairingId": pairing["pairPeers"]["pairing"]["id"], "note": f"Coffee with {user.name}"}},
                   token=buddy.token)
    await api.data("mutation($i: SubmitPulseInput!) { submitPulse(input: $i) { month } }",
                   {"i": {"answers": [4, 4, 4, 4, 4]}}, token=user.token)
    return coordinator, user, buddy


class TestErasure:
    async def test_no_table_keeps_the_name_or_email_afterwards(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        _, user, _ = await full_life(api, network)
        assert await tables_mentioning(engine, user.name, user.email)  # the scan does find live data

        data = await api.data(ERASE, {"i": {"memberId": user.id}}, token=user.token)

        assert data == {"eraseMember": {"memberId": user.id, "status": "ERASED"}}
        assert await tables_mentioning(engine, user.name, user.email, "Welsh") == []

    async def test_counts_survive_and_the_member_is_gone_from_view(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        coordinator, user, buddy = await full_life(api, network)

        await api.data(ERASE, {"i": {"memberId": user.id}}, token=coordinator.token)

        minutes = await scalar(engine, "SELECT sum(minutes) FROM involvement_entries WHERE member_id = :i", i=user.id)
        assert minutes == 45
        assert await scalar(engine, "SELECT count(*) FROM training_completions WHERE member_id = :i", i=user.id) == 1
        assert await scalar(engine, "SELECT count(*) FROM consent_records WHERE member_id = :i", i=user.id) == 0
        view = await api.data("query($id: ID!) { member(id: $id) { displayName } }", {"id": user.id}, token=buddy.token)
        assert view == {"member": None}

    async def test_others_may_not_erase_and_erasing_twice_is_refused(
        self, api: GraphQLClient, network: Network
    ) -> None:
        org = await network.organisation()
        person = await network.person(org)
        colleague = await network.person(org)

        assert await api.error_code(ERASE, {"i": {"memberId": person.id}}, token=colleague.token) == "forbidden"
        await api.data(ERASE, {"i": {"memberId": person.id}}, token=person.token)
        # The erased member's own token counts no more; their coordinator is told it is already done.
        assert await api.error_code(ERASE, {"i": {"memberId": person.id}}, token=person.token) == "member_not_active"
        coordinator = await network.person(org, role="COORDINATOR")
        assert await api.error_code(ERASE, {"i": {"memberId": person.id}}, token=coordinator.token) == \
            "invalid_status_change"
