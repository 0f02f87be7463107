"""GraphQL enums, each described in plain words (service users read these)."""

from __future__ import annotations

from typing import TypeAlias

import strawberry

from projects import domain, spc

# strawberry.enum describes the domain's enum in place (and returns it); the alias beside each
# names it here in a form mypy accepts as a type.
Stage: TypeAlias = domain.Stage
strawberry.enum(domain.Stage, description="Where an improvement project is in its life.")
Visibility: TypeAlias = domain.Visibility
strawberry.enum(
    domain.Visibility,
    description=(
        "Who can see a project. TEAM: only the project team (and their organisation's coordinators). "
        "ORGANISATION: everyone in the owning organisation and its partner organisations. "
        "NETWORK: everyone, across all organisations, even without signing in."
    ),
)
TeamRole: TypeAlias = domain.TeamRole
strawberry.enum(
    domain.TeamRole,
    description=(
        "A person's role on a project team. LEAD: leads the project (every project has at least one). "
        "MEMBER: a team member. SERVICE_USER_PARTNER: a patient, carer or community member who is a full, "
        "equal member of the team. SPONSOR: a senior person who backs the project and helps clear "
        "obstacles. COACH: someone experienced in improvement who supports the team."
    ),
)
CoProductionLevel: TypeAlias = domain.CoProductionLevel
strawberry.enum(
    domain.CoProductionLevel,
    description=(
        "How much people who use services share in the project, from least to most: INFORMING (telling "
        "people), CONSULTATION (asking their views), ENGAGEMENT (involving them), CO_DESIGN (designing "
        "together), CO_PRODUCTION (sharing power and decisions as equals)."
    ),
)
MeasureKind: TypeAlias = domain.MeasureKind
strawberry.enum(
    domain.MeasureKind,
    description=(
        "What a measure tells you. OUTCOME: whether things are better for people (the aim). PROCESS: "
        "whether the changes are being done. BALANCING: whether the changes cause problems elsewhere."
    ),
)
ImprovementDirection: TypeAlias = spc.Direction
strawberry.enum(
    spc.Direction,
    name="ImprovementDirection",
    description="Which way is better for a measure: UP (higher is better), DOWN (lower is better) or NEITHER.",
)
RuleSetName: TypeAlias = spc.RuleSetName
strawberry.enum(
    spc.RuleSetName,
    name="RuleSetName",
    description=(
        "A named set of rules for spotting signals in a chart. MDC: NHS England 'Making Data Count' "
        "(the default). IHI_RUN_CHART: the IHI run chart rules, around the median. SHEWHART: the "
        "IHI/Provost control chart rules."
    ),
)
SignalRule: TypeAlias = spc.Rule
strawberry.enum(
    spc.Rule,
    name="SignalRule",
    description="Which rule spotted a signal; see `ruleSets` for each in plain words.",
)
SignalNature: TypeAlias = spc.Nature
strawberry.enum(
    spc.Nature,
    name="SignalNature",
    description=(
        "Whether a signal is good news (IMPROVEMENT), bad news (CONCERN) or neither (NEITHER), judged from "
        "the measure's improvement direction."
    ),
)
Assurance: TypeAlias = spc.Assurance
strawberry.enum(
    spc.Assurance,
    name="Assurance",
    description=(
        "Can we rely on meeting the target? CONSISTENTLY_PASSING: the process limits are all on the good "
        "side of the target. CONSISTENTLY_FAILING: they are all on the wrong side, so the target will not "
        "be met without changing the process. HIT_AND_MISS: the target lies between the limits, so it will "
        "sometimes be met and sometimes not, by chance."
    ),
)
CentreLine: TypeAlias = spc.CentreLine
strawberry.enum(
    spc.CentreLine,
    name="CentreLine",
    description="The line in the middle of a chart: MEAN (the average) or MEDIAN (the middle value).",
)
Decision: TypeAlias = domain.Decision
strawberry.enum(
    domain.Decision,
    name="PdsaDecision",
    description=(
        "What the team decided after studying a PDSA test: ADOPT (keep the change), ADAPT (change it and "
        "test again) or ABANDON (stop, and keep what was learned)."
    ),
)
CycleStatus: TypeAlias = domain.CycleStatus
strawberry.enum(
    domain.CycleStatus,
    name="PdsaStatus",
    description=(
        "Where a PDSA cycle is. TESTING: planned and being tried out. STUDIED: the team has written what "
        "happened. COMPLETED: the team has decided what to do next."
    ),
)
DriverLevel: TypeAlias = domain.DiagramItemKind
strawberry.enum(
    domain.DiagramItemKind,
    name="DiagramItemKind",
    description=(
        "A part of a driver diagram. PRIMARY_DRIVER: a big thing that must go right to reach the aim. "
        "SECONDARY_DRIVER: a smaller part of a primary driver. CHANGE_IDEA: a specific change to test."
    ),
)
