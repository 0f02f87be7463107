"""Projects rules: the stages an improvement project moves through. Plain Python, no I/O."""

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
