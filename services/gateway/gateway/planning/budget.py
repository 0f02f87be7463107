"""Why planning can fail, and the budget that bounds how long it may try."""

from __future__ import annotations

import time
from dataclasses import dataclass


class PlanningError(Exception):
    """The operation asks for something no subgraph can reach, or costs too much to plan."""


class BudgetExceeded(PlanningError):
    """Planning took more steps or time than allowed (never silently turned into another choice)."""

    def __init__(self, message: str, *, by_time: bool = False) -> None:
        super().__init__(message)
        self.by_time = by_time  # time depends on the machine's load: the same query may plan next time


class Cycle(PlanningError):
    """A key or @requires chain that comes back to itself: that route is not taken."""


@dataclass(frozen=True)
class Budget:
    max_steps: int = 100_000
    max_seconds: float = 2.0


class Meter:
    """Counts planning steps against the budget; checks the clock every few steps."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.steps = 0
        self.deadline = time.perf_counter() + budget.max_seconds

    def tick(self, where: str) -> None:
        self.steps += 1
        if self.steps > self.budget.max_steps:
            raise BudgetExceeded(f"The query is too complex to plan: it took more than {self.budget.max_steps} "
                                 f"steps (stopped at {where}).")
        if self.steps % 64 == 0 and time.perf_counter() > self.deadline:
            raise BudgetExceeded(f"The query is too complex to plan: it took more than "
                                 f"{self.budget.max_seconds:g} s (stopped at {where}).", by_time=True)
