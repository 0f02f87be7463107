"""What the projects pages share: forms and their problems, plain words for the API's values."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from portal.gateway import Problem
from portal.wording import sentence

STAGES = (
    "IDEA",
    "SCOPING",
    "TESTING",
    "IMPLEMENTING",
    "SPREADING",
    "SUSTAINING",
    "CLOSED",
    "ABANDONED",
)
STAGE_MOVES = {
    "IDEA": "Idea: someone has suggested it",
    "SCOPING": "Scoping: understanding the problem and writing the aim",
    "TESTING": "Testing: trying out changes in small tests",
    "IMPLEMENTING": "Implementing: making the changes that worked part of everyday work",
    "SPREADING": "Spreading: sharing the changes with other teams and places",
    "SUSTAINING": "Sustaining: keeping the improvement going",
    "CLOSED": "Closed: the project has finished",
    "ABANDONED": "Stopped: the team stopped, keeping what it learned",
}
VISIBILITY = {
    "TEAM": "Only the project team, and your organisation's coordinators.",
    "ORGANISATION": "Everyone in your organisation and in the project's partner organisations.",
    "NETWORK": "Everyone in the network, in every organisation. Visitors who have not signed in "
    "can read about the project too, but never see who is on the team.",
}
VISIBILITY_NAMES = {
    "TEAM": "The team",
    "ORGANISATION": "My organisation",
    "NETWORK": "The whole network",
}
CO_PRODUCTION = {
    "INFORMING": "Informing: telling people what is happening",
    "CONSULTATION": "Consultation: asking people for their views",
    "ENGAGEMENT": "Engagement: involving people in the work",
    "CO_DESIGN": "Co-design: designing the changes together",
    "CO_PRODUCTION": "Co-production: sharing power and decisions as equals",
}
ROLES = {
    "LEAD": "Lead",
    "MEMBER": "Team member",
    "SERVICE_USER_PARTNER": "Service user partner",
    "SPONSOR": "Sponsor",
    "COACH": "Coach",
}
ROLE_HINTS = {
    "SERVICE_USER_PARTNER": "a patient, carer or community member who is a full, equal member "
    "of the team",
    "SPONSOR": "a senior person who backs the project and helps clear obstacles",
    "COACH": "someone experienced in improvement who supports the team",
}
MEASURE_KINDS = {
    "OUTCOME": "Outcome measure: whether things are better for people",
    "PROCESS": "Process measure: whether the changes are being done",
    "BALANCING": "Balancing measure: whether the changes cause problems somewhere else",
}
DIRECTIONS = {
    "UP": "Higher is better.",
    "DOWN": "Lower is better.",
    "NEITHER": "Neither higher nor lower is better.",
}
PDSA_STATUS = {
    "TESTING": "Being tried out",
    "STUDIED": "Tried; decision to come",
    "COMPLETED": "Decided",
}
DECISIONS = {
    "ADOPT": "Keep the change (adopt)",
    "ADAPT": "Change it and test again (adapt)",
    "ABANDON": "Stop, and keep what was learned (abandon)",
}


def words() -> dict[str, Any]:
    """The plain words for the API's values, for the templates."""
    return {
        "visibility": VISIBILITY,
        "visibility_names": VISIBILITY_NAMES,
        "co_production": CO_PRODUCTION,
        "roles": ROLES,
        "role_hints": ROLE_HINTS,
        "measure_kinds": MEASURE_KINDS,
        "directions": DIRECTIONS,
        "pdsa_status": PDSA_STATUS,
        "decisions": DECISIONS,
        "stage_moves": STAGE_MOVES,
    }


@dataclass
class Form:
    """What a person typed and what is wrong with it: sentences by form field, or for the form."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def posted(cls, form: Any, names: tuple[str, ...]) -> Form:
        """The named fields of a posted form, as typed (a missing field is empty)."""
        return cls(values={name: str(form.get(name) or "") for name in names})

    @property
    def ok(self) -> bool:
        return not self.errors and not self.problems

    def need(self, name: str, message: str) -> str:
        """The field's text, tidied; notes `message` against it when it is empty."""
        text = self.values.get(name, "").strip()
        if not text:
            self.errors[name] = message
        return text

    def take(self, problems: list[Problem], fields: dict[str, str]) -> None:
        """Put each API problem next to the field it is about, else at the top of the form.

        `fields` maps the API's input names (`extensions.field`) to the form's field names."""
        for problem in problems:
            name = fields.get(problem.field or "")
            if name and name not in self.errors:
                self.errors[name] = sentence(problem)
            else:
                self.problems.append(sentence(problem))
        if not problems and self.ok:
            self.problems.append("That did not work. Please try again.")


def tidy(text: str | None) -> str:
    return " ".join((text or "").split())


def parse_day(text: str) -> date | None:
    """A date as a browser's date field sends it (2026-12-31), or as people type it (31/12/2026)."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y"):
        try:
            return datetime.strptime(text.strip(), pattern).replace(tzinfo=UTC).date()
        except ValueError:
            continue
    return None


def parse_number(text: str) -> float | None:
    """12, 3.5, 1,234 or -2; None for anything that is not a finite number."""
    try:
        value = float(text.replace(",", "").replace(" ", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def today() -> date:
    return datetime.now(UTC).date()
