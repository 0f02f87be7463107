"""The stages an improvement project moves through, and which moves make sense."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    IDEA = "idea"
    SCOPING = "scoping"
    TESTING = "testing"
    IMPLEMENTING = "implementing"
    SPREADING = "spreading"
    SUSTAINING = "sustaining"
    CLOSED = "closed"
    ABANDONED = "abandoned"


STAGE_MEANINGS: dict[Stage, str] = {
    Stage.IDEA: "Someone has an idea for making care better.",
    Stage.SCOPING: "The team is working out the problem, the aim and who should be involved.",
    Stage.TESTING: "The team is trying out changes on a small scale and learning from each try.",
    Stage.IMPLEMENTING: "Changes that worked are becoming the normal way of doing things.",
    Stage.SPREADING: "The change is being taken up by other teams or organisations.",
    Stage.SUSTAINING: "The improvement is being kept going and checked over time.",
    Stage.CLOSED: "The project has finished.",
    Stage.ABANDONED: "The project was stopped; what was learned is kept.",
}

# Forward one step, back one step where learning sends a team back (testing showed the
# problem was not understood; implementation showed the change needs more testing),
# implementing straight to sustaining when a change is local, and abandoning any time
# before the work is being sustained. Closed and abandoned are final.
TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    Stage.IDEA: frozenset({Stage.SCOPING, Stage.ABANDONED}),
    Stage.SCOPING: frozenset({Stage.IDEA, Stage.TESTING, Stage.ABANDONED}),
    Stage.TESTING: frozenset({Stage.SCOPING, Stage.IMPLEMENTING, Stage.ABANDONED}),
    Stage.IMPLEMENTING: frozenset(
        {Stage.TESTING, Stage.SPREADING, Stage.SUSTAINING, Stage.ABANDONED}
    ),
    Stage.SPREADING: frozenset({Stage.SUSTAINING, Stage.ABANDONED}),
    Stage.SUSTAINING: frozenset({Stage.SPREADING, Stage.CLOSED}),
    Stage.CLOSED: frozenset(),
    Stage.ABANDONED: frozenset(),
}

FINISHED = frozenset({Stage.CLOSED, Stage.ABANDONED})
NEEDS_AIM = frozenset({Stage.TESTING, Stage.IMPLEMENTING, Stage.SPREADING, Stage.SUSTAINING})
