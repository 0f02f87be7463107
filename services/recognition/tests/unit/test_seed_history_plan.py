"""The demo history's plan holds together: nobody is named before membership's seed has them
join, thanks stay within an organisation, and nobody comes near the daily limit."""

from collections import Counter

from recognition import seed as demo
from servicekit.identity import Principal

HEROES = {who.member_id: number for number, who in demo.H.items()}


def too_early(who: Principal, months_ago: int) -> bool:
    """Named in a month before the one they join in (they join on day 3; the plan starts day 4)."""
    number = HEROES.get(who.member_id)
    return number is not None and demo.joined_months_ago(number) < months_ago


def test_thanks_rise_month_by_month_as_planned() -> None:
    per_month = Counter(thanks.when[0] for thanks in demo.history_kudos())
    assert [per_month[m] for m in range(12, 0, -1)] == list(demo.KUDOS_PER_MONTH)
    assert all(4 <= thanks.when[1] <= 28 for thanks in demo.history_kudos())


def test_no_history_hero_is_named_before_they_join() -> None:
    early = [t.slug for t in demo.history_kudos() for who in (t.giver, t.to)
             if too_early(who, t.when[0])]
    early += [n.award for n in demo.NOMINATIONS for who in (n.nominator, n.nominee)
              if too_early(who, n.submitted[0])]
    assert early == []


def test_thanks_go_to_someone_else_in_the_same_organisation_once_a_day_at_most() -> None:
    plan = demo.history_kudos()
    assert all(t.giver != t.to and t.giver.organisation_id == t.to.organisation_id for t in plan)
    assert max(Counter((t.giver, t.when) for t in plan).values()) == 1
    assert len({t.slug for t in plan}) == len(plan)


def test_nominations_are_decided_by_a_coordinator_of_the_nominee_after_they_were_made() -> None:
    for n in demo.NOMINATIONS:
        assert n.decider.is_coordinator_of(n.nominee.organisation_id)
        assert n.decided[0] < n.submitted[0] or (
            n.decided[0] == n.submitted[0] and n.decided[1] > n.submitted[1]
        )
