from datetime import UTC, date, datetime
from typing import ClassVar
from uuid import uuid4

import pytest
from membership import domain
from membership.domain.learning import LearningLevel
from membership.domain.peers import PairingEndedAlready, PairingNotPossible
from membership.domain.pulse import ClosedPulseMonth, close_month, summarise
from servicekit.errors import InvalidInput

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
ORG, OTHER_ORG = uuid4(), uuid4()


def module(level: int, required: bool = True, organisation: object = None) -> domain.TrainingModule:
    return domain.TrainingModule(id=uuid4(), title="m", description="", level=LearningLevel(level),
                                 required=required, organisation_id=organisation)  # type: ignore[arg-type]


class TestLevels:
    def setup_method(self) -> None:
        self.one = [module(1), module(1)]
        self.two = [module(2), module(2, required=False)]
        self.three = [module(3)]
        self.modules = self.one + self.two + self.three

    def reached(self, done: list[domain.TrainingModule], achieved: set[LearningLevel] | None = None,
                extra: list[domain.TrainingModule] | None = None) -> list[LearningLevel]:
        return domain.levels_newly_achieved(modules=self.modules + (extra or []), completed={m.id for m in done},
                                            achieved=achieved or set(), organisation_id=ORG)

    def test_a_level_is_reached_when_its_required_modules_are_complete(self) -> None:
        assert self.reached(self.one[:1]) == []
        assert self.reached(self.one) == [LearningLevel.EXPLORER]

    def test_optional_modules_are_not_needed(self) -> None:
        assert self.reached(self.one + self.two[:1]) == [LearningLevel.EXPLORER, LearningLevel.PRACTITIONER]

    def test_levels_build_on_each_other(self) -> None:
        assert self.reached(self.two + self.three) == []
        assert self.reached(self.one + self.two + self.three) == list(LearningLevel)

    def test_a_level_already_achieved_is_not_reached_again(self) -> None:
        assert self.reached(self.one, achieved={LearningLevel.EXPLORER}) == []

    def test_an_organisations_own_required_module_counts_only_for_its_members(self) -> None:
        own, foreign = module(1, organisation=ORG), module(1, organisation=OTHER_ORG)

        assert self.reached(self.one, extra=[own, foreign]) == []
        assert self.reached([*self.one, own], extra=[own, foreign]) == [LearningLevel.EXPLORER]

    def test_a_level_without_required_modules_is_never_reached_automatically(self) -> None:
        assert domain.levels_newly_achieved(modules=[module(1, required=False)], completed=set(), achieved=set(),
                                            organisation_id=ORG) == []


def joined(organisation: object = ORG) -> domain.Member:
    member, _ = domain.Member.invite(organisation_id=organisation, display_name="A", email=f"{uuid4().hex}@x.org",  # type: ignore[arg-type]
                                     member_type=domain.MemberType.STAFF_CLINICAL,
                                     network_role=domain.NetworkRole.HERO, now=NOW)
    return member.join(now=NOW, display_name=None, profile_visibility=domain.ProfileVisibility.ORGANISATION)


class TestPairing:
    def test_pairs_across_organisations_and_types(self) -> None:
        pairing = domain.Pairing.pair(joined(), joined(OTHER_ORG), kind=domain.PairingKind.COACH, now=NOW)

        assert pairing.crosses_organisations
        assert pairing.is_active

    def test_needs_two_different_active_members(self) -> None:
        member = joined()
        paused = joined().change_status(domain.MemberStatus.PAUSED, now=NOW)
        invited, _ = domain.Member.invite(organisation_id=ORG, display_name="B", email="b@x.org",
                                          member_type=domain.MemberType.CARER, network_role=domain.NetworkRole.HERO,
                                          now=NOW)
        for other in (member, paused, invited):
            with pytest.raises(PairingNotPossible):
                domain.Pairing.pair(member, other, kind=domain.PairingKind.BUDDY, now=NOW)

    def test_an_ended_pairing_takes_no_more_check_ins_and_cannot_end_twice(self) -> None:
        first = joined()
        ended = domain.Pairing.pair(first, joined(), kind=domain.PairingKind.BUDDY, now=NOW).end(now=NOW)

        with pytest.raises(PairingEndedAlready):
            ended.end(now=NOW)
        with pytest.raises(PairingEndedAlready):
            domain.CheckIn.record(ended, recorded_by=first.id, happened_on=NOW.date(), note="", now=NOW)

    def test_check_ins_cannot_be_in_the_future(self) -> None:
        first = joined()
        pairing = domain.Pairing.pair(first, joined(), kind=domain.PairingKind.BUDDY, now=NOW)

        with pytest.raises(InvalidInput):
            domain.CheckIn.record(pairing, recorded_by=first.id, happened_on=date(2026, 3, 3), note="", now=NOW)


class TestPulse:
    @pytest.mark.parametrize("answers", [[], [3, 3, 3, 3], [3, 3, 3, 3, 3, 3], [0, 3, 3, 3, 3], [3, 3, 3, 3, 6]])
    def test_five_answers_from_one_to_five_are_needed(self, answers: list[int]) -> None:
        with pytest.raises(InvalidInput):
            domain.PulseAnswers.of(answers)

    def test_groups_under_five_are_never_summarised(self) -> None:
        assert summarise("2026-03", [(5, 5, 5, 5, 5)] * 4) is None

    def test_averages_per_statement(self) -> None:
        rows = [(1, 2, 3, 4, 5), (5, 4, 3, 2, 1), (3, 3, 3, 3, 3), (2, 2, 2, 2, 2), (4, 4, 4, 4, 4)]

        summary = summarise("2026-03", rows)

        assert summary is not None
        assert (summary.responses, summary.averages) == (5, (3.0, 3.0, 3.0, 3.0, 3.0))

    def test_month_is_the_calendar_month(self) -> None:
        assert domain.month_of(NOW) == "2026-03"


class TestClosingAPulseMonth:
    # Statement 1 (energised) and 2 (able to make changes) both 4 or 5; the others do not count.
    ENERGISED: ClassVar[list[tuple[int, ...]]] = [(4, 4, 1, 1, 1), (5, 4, 3, 3, 3), (4, 5, 5, 5, 5), (5, 5, 2, 2, 2)]
    NOT_ENERGISED: ClassVar[list[tuple[int, ...]]] = [(3, 5, 5, 5, 5), (5, 3, 5, 5, 5), (1, 1, 5, 5, 5)]

    def test_counts_those_who_agree_with_both_first_statements(self) -> None:
        assert close_month(ORG, "2026-03", self.ENERGISED + self.NOT_ENERGISED) == ClosedPulseMonth(
            organisation_id=ORG, month="2026-03", responses=7, energised_and_empowered=4)

    def test_a_group_of_five_gets_its_figure(self) -> None:
        assert close_month(ORG, "2026-03", self.NOT_ENERGISED[:1] + self.ENERGISED).energised_and_empowered == 4

    def test_a_group_under_five_gets_a_count_of_answers_and_no_figure(self) -> None:
        assert close_month(ORG, "2026-03", self.ENERGISED) == ClosedPulseMonth(
            organisation_id=ORG, month="2026-03", responses=4, energised_and_empowered=None)


class TestInvolvement:
    def log(self, minutes: int = 30, on: date = date(2026, 3, 1)) -> domain.InvolvementEntry:
        return domain.InvolvementEntry.log(member_id=uuid4(), took_place_on=on, minutes=minutes, activity="Panel",
                                           reward_preference=domain.RewardPreference.VOUCHER, project_id=None, now=NOW)

    def test_logs_time_with_reward_preference(self) -> None:
        entry = self.log()

        expected = (30, "Panel", domain.RewardPreference.VOUCHER)
        assert (entry.minutes, entry.activity, entry.reward_preference) == expected

    @pytest.mark.parametrize("minutes", [0, -5, 24 * 60 + 1])
    def test_minutes_must_be_sensible(self, minutes: int) -> None:
        with pytest.raises(InvalidInput):
            self.log(minutes=minutes)

    def test_future_dates_are_refused(self) -> None:
        with pytest.raises(InvalidInput):
            self.log(on=date(2026, 3, 3))
