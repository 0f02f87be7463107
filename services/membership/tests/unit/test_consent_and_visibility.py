from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from membership import domain
from membership.domain.consent import Visibility, visibility_of
from membership.domain.policy import sees_private, sees_profile
from servicekit.identity import Principal

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
P = domain.ConsentPurpose


def member(member_type: domain.MemberType, visibility: domain.ProfileVisibility) -> domain.Member:
    invited, _ = domain.Member.invite(organisation_id=uuid4(), display_name="A", email="a@example.org",
                                      member_type=member_type, network_role=domain.NetworkRole.HERO, now=NOW)
    return invited.join(now=NOW, display_name=None, profile_visibility=visibility)


def state(*records: tuple[P, bool, int]) -> domain.ConsentState:
    return domain.ConsentState.from_records(
        domain.ConsentRecord(purpose, given, NOW + timedelta(seconds=at)) for purpose, given, at in records
    )


class TestConsentPrecedence:
    def test_the_latest_record_wins(self) -> None:
        assert state((P.CONTACT, True, 0), (P.CONTACT, False, 1)).given == frozenset()
        assert state((P.CONTACT, False, 0), (P.CONTACT, True, 1)).given == {P.CONTACT}

    def test_withdrawal_wins_at_the_same_instant_in_any_order(self) -> None:
        assert state((P.CONTACT, True, 5), (P.CONTACT, False, 5)).given == frozenset()
        assert state((P.CONTACT, False, 5), (P.CONTACT, True, 5)).given == frozenset()

    def test_an_older_consent_never_revives_a_withdrawal(self) -> None:
        consent = state((P.NAME_ACROSS_NETWORK, False, 10), (P.NAME_ACROSS_NETWORK, True, 3))

        assert not consent.allows(P.NAME_ACROSS_NETWORK)

    def test_purposes_are_independent(self) -> None:
        consent = state((P.CONTACT, True, 0), (P.STORY_PUBLISHED, True, 0), (P.CONTACT, False, 1))

        assert consent.given == {P.STORY_PUBLISHED}


class TestVisibility:
    @pytest.mark.parametrize(
        ("profile", "expected"),
        [(domain.ProfileVisibility.ORGANISATION, Visibility.ORGANISATION),
         (domain.ProfileVisibility.NETWORK, Visibility.NETWORK)],
    )
    def test_staff_are_shown_as_their_profile_says(
        self, profile: domain.ProfileVisibility, expected: Visibility
    ) -> None:
        assert visibility_of(member(domain.MemberType.STAFF_CLINICAL, profile), state()) is expected

    @pytest.mark.parametrize(
        ("profile", "consents", "expected"),
        [
            (domain.ProfileVisibility.NETWORK, (), Visibility.HIDDEN),
            (domain.ProfileVisibility.NETWORK, ((P.CONTACT, True, 0),), Visibility.HIDDEN),
            (domain.ProfileVisibility.NETWORK, ((P.NAME_IN_ORGANISATION, True, 0),), Visibility.ORGANISATION),
            (domain.ProfileVisibility.NETWORK, ((P.NAME_ACROSS_NETWORK, True, 0),), Visibility.NETWORK),
            (domain.ProfileVisibility.ORGANISATION, ((P.NAME_ACROSS_NETWORK, True, 0),), Visibility.ORGANISATION),
            (domain.ProfileVisibility.NETWORK,
             ((P.NAME_ACROSS_NETWORK, True, 0), (P.NAME_ACROSS_NETWORK, False, 1)), Visibility.HIDDEN),
        ],
    )
    def test_service_users_are_shown_only_as_far_as_consent_allows(
        self, profile: domain.ProfileVisibility, consents: tuple, expected: Visibility  # type: ignore[type-arg]
    ) -> None:
        assert visibility_of(member(domain.MemberType.SERVICE_USER, profile), state(*consents)) is expected

    def test_erased_members_are_hidden(self) -> None:
        erased = member(domain.MemberType.STAFF_CLINICAL, domain.ProfileVisibility.NETWORK).erased(now=NOW)

        assert visibility_of(erased, state()) is Visibility.HIDDEN


class TestPolicy:
    def test_private_data_is_for_the_member_and_their_own_coordinators(self) -> None:
        subject = member(domain.MemberType.CARER, domain.ProfileVisibility.NETWORK)
        other_org = uuid4()

        assert sees_private(Principal(subject.id, subject.organisation_id), subject)
        assert sees_private(Principal(uuid4(), subject.organisation_id, frozenset({"coordinator"})), subject)
        assert not sees_private(Principal(uuid4(), subject.organisation_id, frozenset({"hero"})), subject)
        assert not sees_private(Principal(uuid4(), other_org, frozenset({"coordinator"})), subject)
        assert not sees_private(Principal(uuid4(), None, frozenset({"network_admin"})), subject)
        assert not sees_private(Principal(), subject)

    def test_profiles_reach_as_far_as_visibility(self) -> None:
        subject = member(domain.MemberType.STAFF_CLINICAL, domain.ProfileVisibility.ORGANISATION)
        colleague = Principal(uuid4(), subject.organisation_id)
        outsider = Principal(uuid4(), uuid4())

        assert sees_profile(colleague, subject, Visibility.ORGANISATION)
        assert not sees_profile(outsider, subject, Visibility.ORGANISATION)
        assert not sees_profile(Principal(), subject, Visibility.ORGANISATION)
        assert sees_profile(outsider, subject, Visibility.NETWORK)
        assert not sees_profile(Principal(), subject, Visibility.NETWORK)  # no token: no personal data
        assert not sees_profile(colleague, subject, Visibility.HIDDEN)
