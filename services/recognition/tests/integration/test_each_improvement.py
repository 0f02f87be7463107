"""Each project's improvement is celebrated for its team; the team badge is held once, counting projects."""

from __future__ import annotations

import pytest
from servicekit.testing import GraphQLClient, Tokens
from sqlalchemy.ext.asyncio import AsyncEngine

from ..scenario import World
from ..support import Consumer, People, Publisher, play, rows

pytestmark = pytest.mark.asyncio(loop_scope="session")

BADGE = "Made a measurable difference"
BADGES = """query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Member { badges { name projectCount } } } }"""


async def celebrations(engine: AsyncEngine, people: People, member: str) -> list[tuple[str | None, str]]:
    """(the project in whose context, description) of the member's celebrations of the team badge."""
    found = await rows(
        engine,
        "SELECT context_project_id, description FROM celebrations WHERE member_id = :m AND title = :t "
        "ORDER BY posted_at, id",
        m=people.id(member), t=BADGE,
    )
    return [(people.world.label_of(project), description) for project, description in found]


async def held(engine: AsyncEngine, people: People, member: str) -> list[tuple[int]]:
    return await rows(
        engine,
        "SELECT (SELECT count(*) FROM award_projects p WHERE p.award_id = a.id) FROM awards a "
        "JOIN recognition_rules r ON r.id = a.rule_id WHERE r.slug = 'improvement-shown-team' "
        "AND a.recipient_id = :m",
        m=people.id(member),
    )


class TestEachImprovementIsCelebrated:
    async def test_a_second_project_s_improvement_is_celebrated_and_the_badge_counts_it(
        self, api: GraphQLClient, publisher: Publisher, consumer: Consumer, engine: AsyncEngine, tokens: Tokens
    ) -> None:
        w = World("each-improvement")
        w.joined("lead", "org-a")
        w.joined("patient", "org-a", member_type="service_user")
        for project in ("falls", "meds"):
            w.proposed(project, "org-a", by="lead")
            w.team(project, "org-a", "lead", "lead")
        w.team("meds", "org-a", "patient", "service_user_partner")
        w.signal("falls", "org-a", "falls-better")
        await play(publisher, consumer, w.steps)
        people = People(w, tokens, {"lead": "org-a", "patient": "org-a"})
        first = await celebrations(engine, people, "lead")

        second = w.signal("meds", "org-a", "meds-better")
        again = w.signal("meds", "org-a", "meds-better-still")  # the same project again: nothing new
        await play(publisher, consumer, [second, again])

        assert first == [("falls", "You were on a team whose main result (an outcome measure) shows a real "
                                    "improvement.")]
        assert await celebrations(engine, people, "lead") == [
            *first,
            ("meds", "Again, on another project: You were on a team whose main result (an outcome measure) "
                     "shows a real improvement."),
        ]
        assert await held(engine, people, "lead") == [(2,)]  # one badge, two projects
        # The patient joined only the second project: for them it is the first time, a plain award.
        assert [description for _, description in await celebrations(engine, people, "patient")] == [
            "You were on a team whose main result (an outcome measure) shows a real improvement."]
        assert await held(engine, people, "patient") == [(1,)]
        shown = await api.data(BADGES, {"r": [{"__typename": "Member", "id": str(people.id("lead")),
                                               "shownToYou": True}]},
                               token=people.token("lead"), as_gateway=True)
        assert {"name": BADGE, "projectCount": 2} in shown["_entities"][0]["badges"]
