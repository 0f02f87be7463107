"""Learning: the MAC Heroes levels, training modules, and when a level counts as achieved."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from uuid import UUID

from servicekit.errors import NotFound

TITLE_MAX = 120
DESCRIPTION_MAX = 500


class LearningLevel(IntEnum):
    EXPLORER = 1  # introduction to quality improvement
    PRACTITIONER = 2  # runs small tests of change (PDSA cycles) and measures
    LEADER = 3  # leads projects and coaches others


LEVEL_MEANINGS = {
    LearningLevel.EXPLORER: "Explorer: knows what quality improvement is and how to take part.",
    LearningLevel.PRACTITIONER: "Practitioner: tests changes in small steps and measures what happens.",
    LearningLevel.LEADER: "Leader: leads improvement projects and coaches others.",
}


class ModuleNotFound(NotFound):
    code = "training_module_not_found"


@dataclass(frozen=True, slots=True)
class TrainingModule:
    id: UUID
    title: str
    description: str
    level: LearningLevel
    required: bool
    organisation_id: UUID | None  # None: part of the network-wide catalogue

    def applies_to(self, organisation_id: UUID) -> bool:
        return self.organisation_id is None or self.organisation_id == organisation_id


def levels_newly_achieved(
    *,
    modules: Iterable[TrainingModule],
    completed: set[UUID],
    achieved: set[LearningLevel],
    organisation_id: UUID,
) -> list[LearningLevel]:
    """Levels reached now and not before. Levels build on each other: level N needs level N-1.

    A level is reached when every required module of that level that applies to the
    member's organisation (network-wide or their own) is complete. A level with no
    required modules is never reached automatically.
    """
    required: dict[LearningLevel, set[UUID]] = {level: set() for level in LearningLevel}
    for module in modules:
        if module.required and module.applies_to(organisation_id):
            required[module.level].add(module.id)
    reached: list[LearningLevel] = []
    for level in LearningLevel:
        if level in achieved:
            continue
        previous_done = level == LearningLevel.EXPLORER or LearningLevel(level - 1) in achieved or (
            LearningLevel(level - 1) in reached
        )
        if previous_done and required[level] and required[level] <= completed:
            reached.append(level)
        else:
            break
    return reached
