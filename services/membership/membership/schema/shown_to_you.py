"""Membership's word on who a caller may see, lent to other subgraphs' entities at query time.

Text by or about people that other services keep (a thank-you message, for one) is shown only
while the caller may see every member it names. Those services cannot know that at once (they
learn consent and visibility from events), so they ask for `everyoneShown` with `@requires`:
the gateway sends membership the ids each item names, and membership answers from the consent
and visibility it holds right now, for the caller whose token came with the request.
"""

from __future__ import annotations

import strawberry

from membership.schema.context import MemberInfo
from membership.schema.types import load_visible_member, parse_id


async def everyone_shown(info: MemberInfo, people_ids: list[strawberry.ID]) -> bool:
    for member_id in people_ids:
        if await load_visible_member(info, parse_id(member_id, field="peopleIds")) is None:
            return False
    return True


@strawberry.federation.type(keys=["id"], description="A celebration (owned by recognition).")
class Celebration:
    id: strawberry.ID
    people_ids: list[strawberry.ID] = strawberry.federation.field(external=True)

    @strawberry.federation.field(requires=["peopleIds"], inaccessible=True,
                                 description="May the caller see every member the celebration names, now?")
    async def everyone_shown(self, info: MemberInfo) -> bool:
        return await everyone_shown(info, self.people_ids)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, peopleIds: list[strawberry.ID] | None = None,  # noqa: N803
                          **_: object) -> Celebration:
        return cls(id=id, people_ids=list(peopleIds or []))


@strawberry.federation.type(keys=["id"], description="A thank-you (owned by recognition).")
class Kudos:
    id: strawberry.ID
    people_ids: list[strawberry.ID] = strawberry.federation.field(external=True)

    @strawberry.federation.field(requires=["peopleIds"], inaccessible=True,
                                 description="May the caller see every member the thank-you names, now?")
    async def everyone_shown(self, info: MemberInfo) -> bool:
        return await everyone_shown(info, self.people_ids)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, peopleIds: list[strawberry.ID] | None = None,  # noqa: N803
                          **_: object) -> Kudos:
        return cls(id=id, people_ids=list(peopleIds or []))
