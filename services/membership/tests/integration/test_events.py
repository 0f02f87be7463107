"""Every mutation queues its event in the same transaction; events on Kafka are thin."""

import json
from datetime import UTC, datetime
from uuid import UUID

from membership.catalogue import LEVEL_ONE_MODULES, module_id
from servicekit.relay import Relay
from servicekit.testing import GraphQLClient, header, read_topic
from sqlalchemy.ext.asyncio import AsyncEngine

from ..conftest import Network, Person, scalar

TOPIC = "membership.events.v1"
PREFIX = "network.heroes.membership."


async def journey(api: GraphQLClient, network: Network) -> tuple[str, Person, Person, Person, str]:
    """Invite, join, consent, profile, involvement, training to level 1, pairing, pulse, status, erasure."""
    org = await network.organisation()
    coordinator = await network.person(org, role="COORDINATOR")
    user = await network.person(org, member_type="SERVICE_USER", visibility="NETWORK",
                                consents=("NAME_ACROSS_NETWORK",), by=coordinator.token)
    nurse = await network.person(org, visibility="NETWORK", by=coordinator.token)
    await api.data("mutation($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) { member { id } } }",
                   {"i": {"interests": [user.name], "accessPreferences": {"interpreterLanguage": "Polish"}}},
                   token=user.token)
    await api.data("mutation($i: SetInvolvementLevelInput!) { setInvolvementLevel(input: $i) { member { id } } }",
                   {"i": {"level": "CO_DESIGN", "rewardPreference": "VOUCHER"}}, token=user.token)
    await api.data("mutation($i: LogInvolvementInput!) { logInvolvement(input: $i) { entry { id } } }",
                   {"i": {"date": datetime.now(UTC).date().isoformat(), "minutes": 90,
                          "activity": f"Talked about {user.name}"}}, token=user.token)
    for slug in LEVEL_ONE_MODULES:
        await api.data("mutation($i: RecordTrainingCompletionInput!) { recordTrainingCompletion(input: $i) "
                       "{ levelsAchieved } }", {"i": {"moduleId": str(module_id(slug))}}, token=nurse.token)
    pairing = await api.data("mutation($i: PairPeersInput!) { pairPeers(input: $i) { pairing { id } } }",
                             {"i": {"firstMemberId": nurse.id, "secondMemberId": user.id, "kind": "BUDDY"}},
                             token=coordinator.token)
    pairing_id = pairing["pairPeers"]["pairing"]["id"]
    await api.data("mutation($i: RecordCheckInInput!) { recordCheckIn(input: $i) { checkIn { id } } }",
                   {"i": {"pairingId": pairing_id, "note": f"Met {user.name}"}}, token=nurse.token)
    await api.data("mutation($i: EndPairingInput!) { endPairing(input: $i) { pairing { endedAt } } }",
                   {"i": {"pairingId": pairing_id}}, token=user.token)
    await api.data("mutation($i: SubmitPulseInput!) { submitPulse(input: $i) { month } }",
                   {"i": {"answers": [5, 4, 3, 4, 5]}}, token=user.token)
    await api.data("mutation($i: ConsentInput!) { withdrawConsent(input: $i) { consent { nameAcrossNetwork } } }",
                   {"i": {"purposes": ["NAME_ACROSS_NETWORK"]}}, token=user.token)
    await api.data("mutation($i: ChangeMemberStatusInput!) { changeMemberStatus(input: $i) { member { status } } }",
                   {"i": {"memberId": nurse.id, "status": "PAUSED"}}, token=nurse.token)
    await api.data("mutation($i: EraseMemberInput!) { eraseMember(input: $i) { status } }",
                   {"i": {"memberId": user.id}}, token=coordinator.token)
    return org, coordinator, user, nurse, pairing_id


class TestEventsOnKafka:
    async def test_a_member_journey_publishes_typed_keyed_thin_events(
        self, api: GraphQLClient, network: Network, relay: Relay
    ) -> None:
        org, coordinator, user, nurse, pairing_id = await journey(api, network)
        ours = {org, coordinator.id, user.id, nurse.id, pairing_id}

        records = await read_topic(
            relay.bootstrap, TOPIC,
            until=lambda rs: any(header(r, "ce_type") == f"{PREFIX}member_erased.v1" and r.key.decode() == user.id
                                 for r in rs),
        )
        mine = [r for r in records if r.key.decode() in ours]
        by_key: dict[str, list[str]] = {}
        for record in mine:
            by_key.setdefault(record.key.decode(), []).append(header(record, "ce_type").removeprefix(PREFIX))  # type: ignore[union-attr]

        assert by_key[org] == ["organisation_registered.v1"]
        assert by_key[user.id] == [
            "member_invited.v1",
            "member_joined.v1",  # joined hidden: no consent yet
            "member_visibility_changed.v1",  # consent to be named across the network
            "involvement_level_set.v1",
            "involvement_logged.v1",
            "pulse_submitted.v1",
            "member_visibility_changed.v1",  # consent withdrawn
            "member_erased.v1",
        ]
        assert by_key[nurse.id] == [
            "member_invited.v1", "member_joined.v1", "training_completed.v1", "training_completed.v1",
            "training_completed.v1", "level_achieved.v1", "member_status_changed.v1",
        ]
        assert by_key[pairing_id] == ["peers_paired.v1", "pairing_ended.v1"]

        level = next(json.loads(r.value) for r in mine if header(r, "ce_type") == f"{PREFIX}level_achieved.v1")
        assert level["level"] == 1
        assert level["member_id"] == nurse.id
        assert level["organisation_id"] == org
        logged = next(json.loads(r.value) for r in mine if header(r, "ce_type") == f"{PREFIX}involvement_logged.v1")
        assert set(logged) == {"member_id", "organisation_id", "entry_id", "minutes", "took_place_on", "project_id",
                               "logged_at"}
        assert logged["minutes"] == 90
        visibility = [json.loads(r.value)["visibility"] for r in mine
                      if header(r, "ce_type") == f"{PREFIX}member_visibility_changed.v1" and r.key.decode() == user.id]
        assert visibility[:2] == ["network", "hidden"]

        for record in mine:
            raw = record.value + (record.key or b"") + b"".join(v for _, v in record.headers)
            for person in (coordinator, user, nurse):
                assert person.name.encode() not in raw
                assert person.email.encode() not in raw
            assert b"Polish" not in raw
            assert b"consent" not in json.dumps(json.loads(record.value)).encode()
            assert header(record, "ce_source") == "/membership"
            assert UUID(header(record, "ce_id") or "")


class TestTransactions:
    async def test_a_refused_mutation_leaves_neither_rows_nor_events(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        org = await network.organisation()
        existing = await network.person(org)
        before = await scalar(engine, "SELECT count(*) FROM outbox_messages")

        code = await api.error_code(
            "mutation($input: InviteMemberInput!) { inviteMember(input: $input) { inviteCode } }",
            {"input": {"organisationId": org, "displayName": "Twin", "email": existing.email.upper(),
                       "memberType": "CARER"}},
            token=network.admin,
        )

        assert code == "email_already_in_use"
        assert await scalar(engine, "SELECT count(*) FROM outbox_messages") == before
        assert await scalar(engine, "SELECT count(*) FROM members WHERE display_name = 'Twin'") == 0

    async def test_each_change_and_its_event_commit_together(
        self, api: GraphQLClient, network: Network, engine: AsyncEngine
    ) -> None:
        org = await network.organisation()
        person = await network.person(org)

        await api.data("mutation($i: SetInvolvementLevelInput!) { setInvolvementLevel(input: $i) { member { id } } }",
                       {"i": {"level": "ENGAGEMENT"}}, token=person.token)

        assert await scalar(engine, "SELECT involvement_level FROM members WHERE id = :i", i=person.id) == "engagement"
        assert await scalar(
            engine, "SELECT count(*) FROM outbox_messages WHERE key = :k AND type = :t", k=person.id,
            t=f"{PREFIX}involvement_level_set.v1") == 1
