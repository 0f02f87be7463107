"""Federation v2 conformance cases: queries over the feature subgraph groups, with their answers.

Plain data, one `Case` per query, grouped like subgraphs.features.FEATURE_GROUPS. Each case holds
the correct response, worked out from the Federation spec and the subgraphs' data, and the response
Apollo Gateway 2.14.4 gave over the same subgraphs (IntrospectAndCompose, default options), with the
number of subgraph requests it sent. Where the two differ, `apollo_wrong` says why Apollo is wrong.
`apollo_requests` is what Apollo needed, not a target: a better plan may send fewer.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Case:
    """One query against one feature group.

    expected: the correct response without its errors: {"data": ...}, or {} when the request must
        fail before execution (no "data" key at all).
    expected_error_paths: None when the correct response has no "errors"; otherwise one entry per
        error, holding only what does not depend on wording: "path" and/or "code" (extensions.code).
    apollo: Apollo's exact response, errors and extensions included.
    apollo_wrong: None when Apollo's response is correct; otherwise exactly what it gets wrong.
    """

    group: str
    name: str
    query: str
    expected: dict[str, Any]
    apollo: dict[str, Any]
    apollo_requests: int
    apollo_wrong: str | None = None
    variables: dict[str, Any] | None = None
    expected_error_paths: list[dict[str, Any]] | None = None


CASES: list[Case] = [
    # --- requires_chains -------------------------------------------------------------------------
    Case(
        group="requires_chains",
        name="a_field_requiring_a_field_that_itself_requires",
        query="{ courses { title advice } }",
        expected={
            "data": {
                "courses": [
                    {"title": "First aid", "advice": "Ask your manager first"},
                    {"title": "Manual handling", "advice": "Book directly"},
                ],
            },
        },
        apollo={
            "data": {
                "courses": [
                    {"title": "First aid", "advice": "Ask your manager first"},
                    {"title": "Manual handling", "advice": "Book directly"},
                ],
            },
        },
        apollo_requests=3,
    ),
    Case(
        group="requires_chains",
        name="a_requirement_owned_by_two_subgraphs",
        query="{ courses { id netFee } }",
        expected={"data": {"courses": [{"id": "c1", "netFee": 300}, {"id": "c2", "netFee": 0}]}},
        apollo={"data": {"courses": [{"id": "c1", "netFee": 300}, {"id": "c2", "netFee": 0}]}},
        apollo_requests=3,
    ),
    Case(
        group="requires_chains",
        name="a_chain_through_a_requirement_owned_by_two_subgraphs",
        query="{ courses { title freeToStaff advice } }",
        expected={
            "data": {
                "courses": [
                    {
                        "title": "First aid",
                        "freeToStaff": False,
                        "advice": "Ask your manager first",
                    },
                    {"title": "Manual handling", "freeToStaff": True, "advice": "Book directly"},
                ],
            },
        },
        apollo={
            "data": {
                "courses": [
                    {
                        "title": "First aid",
                        "freeToStaff": False,
                        "advice": "Ask your manager first",
                    },
                    {"title": "Manual handling", "freeToStaff": True, "advice": "Book directly"},
                ],
            },
        },
        apollo_requests=6,
    ),
    Case(
        group="requires_chains",
        name="a_chain_on_an_entity_from_the_middle_subgraphs_root",
        query="{ cheapestCourse { advice } }",
        expected={"data": {"cheapestCourse": {"advice": "Book directly"}}},
        apollo={
            "data": {"cheapestCourse": {"advice": None}},
            "errors": [
                {
                    "message": "band needs fee, which the gateway did not send",
                    "path": ["cheapestCourse", "band"],
                    "extensions": {"serviceName": "rc_costs", "code": "DOWNSTREAM_SERVICE_ERROR"},
                },
                {
                    "message": "advice needs band, which the gateway did not send",
                    "path": ["cheapestCourse", "advice"],
                    "extensions": {"serviceName": "rc_advice", "code": "DOWNSTREAM_SERVICE_ERROR"},
                },
            ],
        },
        apollo_requests=3,
        apollo_wrong=(
            "Apollo asks rc_costs for `band` inside its first fetch ({ cheapestCourse { "
            "__typename id band } }) although band @requires `fee`, which rc_costs can only be "
            "given through _entities. rc_costs cannot compute band (error, null), Apollo passes "
            "band: null on to rc_advice, and advice is null with a second error. It fetches fee "
            "from rc_catalog but never sends it to rc_costs."
        ),
    ),
    Case(
        group="requires_chains",
        name="a_chain_starting_in_the_requiring_subgraph",
        query="{ cheapestCourse { title netFee freeToStaff band advice } }",
        expected={
            "data": {
                "cheapestCourse": {
                    "title": "Manual handling",
                    "netFee": 0,
                    "freeToStaff": True,
                    "band": "low",
                    "advice": "Book directly",
                },
            },
        },
        apollo={
            "data": {
                "cheapestCourse": {
                    "title": "Manual handling",
                    "netFee": 0,
                    "freeToStaff": None,
                    "band": "low",
                    "advice": None,
                },
            },
            "errors": [
                {
                    "message": "band needs fee, which the gateway did not send",
                    "path": ["cheapestCourse", "band"],
                    "extensions": {"serviceName": "rc_costs", "code": "DOWNSTREAM_SERVICE_ERROR"},
                },
                {
                    "message": "netFee needs fee and grant, which the gateway did not send",
                    "path": ["cheapestCourse", "netFee"],
                    "extensions": {"serviceName": "rc_costs", "code": "DOWNSTREAM_SERVICE_ERROR"},
                },
                {
                    "message": "advice needs band, which the gateway did not send",
                    "path": ["cheapestCourse", "advice"],
                    "extensions": {"serviceName": "rc_advice", "code": "DOWNSTREAM_SERVICE_ERROR"},
                },
                {
                    "message": "freeToStaff needs netFee, which the gateway did not send",
                    "path": ["cheapestCourse", "freeToStaff"],
                    "extensions": {"serviceName": "rc_advice", "code": "DOWNSTREAM_SERVICE_ERROR"},
                },
            ],
        },
        apollo_requests=7,
        apollo_wrong=(
            "Same planner bug: Apollo's first rc_costs fetch asks for band and netFee without "
            "their required fee and grant; both fail, and rc_advice is then sent band: null and "
            "netFee: null, so advice and freeToStaff are null, with four errors in all. band and "
            "netFee come out right only because a later, correct _entities fetch to rc_costs "
            "overwrites them."
        ),
    ),
    # --- requires_arguments ----------------------------------------------------------------------
    Case(
        group="requires_arguments",
        name="a_field_requiring_a_field_with_arguments",
        query="{ clinics { name recentSummary } }",
        expected={
            "data": {
                "clinics": [
                    {"name": "Riverside", "recentSummary": "3 recent: v1, v2, v3"},
                    {"name": "Hillside", "recentSummary": "2 recent: v5, v6"},
                ],
            },
        },
        apollo={
            "data": {
                "clinics": [
                    {"name": "Riverside", "recentSummary": "3 recent: v1, v2, v3"},
                    {"name": "Hillside", "recentSummary": "2 recent: v5, v6"},
                ],
            },
        },
        apollo_requests=2,
    ),
    Case(
        group="requires_arguments",
        name="the_client_selects_the_required_field_with_other_arguments",
        query="{ clinics { visits(limit: 1) { id } recentSummary } }",
        expected={
            "data": {
                "clinics": [
                    {"visits": [{"id": "v1"}], "recentSummary": "3 recent: v1, v2, v3"},
                    {"visits": [{"id": "v5"}], "recentSummary": "2 recent: v5, v6"},
                ],
            },
        },
        apollo={
            "data": {
                "clinics": [
                    {"visits": [{"id": "v1"}], "recentSummary": "1 recent: v1"},
                    {"visits": [{"id": "v5"}], "recentSummary": "1 recent: v5"},
                ],
            },
        },
        apollo_requests=2,
        apollo_wrong=(
            "Apollo merges the requirement visits(limit: 3) { id } into the client's "
            "visits(limit: 1) { id } (same response name, different arguments): ra_clinics is "
            "asked only for visits(limit: 1), and ra_stats computes recentSummary from one visit "
            "(\"1 recent: v1\") instead of up to three."
        ),
    ),
    Case(
        group="requires_arguments",
        name="two_requirements_on_one_field_with_different_arguments",
        query="{ clinics { id recentSummary latestNote } }",
        expected={
            "data": {
                "clinics": [
                    {"id": "c1", "recentSummary": "3 recent: v1, v2, v3", "latestNote": "Flu jabs"},
                    {
                        "id": "c2",
                        "recentSummary": "2 recent: v5, v6",
                        "latestNote": "Hearing tests",
                    },
                ],
            },
        },
        apollo={
            "data": {
                "clinics": [
                    {"id": "c1", "recentSummary": "1 recent: v1", "latestNote": "Flu jabs"},
                    {"id": "c2", "recentSummary": "1 recent: v5", "latestNote": "Hearing tests"},
                ],
            },
        },
        apollo_requests=2,
        apollo_wrong=(
            "Apollo merges the two requirements visits(limit: 3) { id } and visits(limit: 1) { "
            "note } into a single visits(limit: 1) { note id } and sends that one list for both "
            "fields, so recentSummary sees one visit (\"1 recent: v1\", \"1 recent: v5\"). A "
            "correct plan fetches both (aliased) and sends each requirement in its own _entities "
            "call."
        ),
    ),
    Case(
        group="requires_arguments",
        name="two_requirements_and_a_third_client_argument",
        query="{ clinics { visits(limit: 2) { id note } latestNote recentSummary } }",
        expected={
            "data": {
                "clinics": [
                    {
                        "visits": [
                            {"id": "v1", "note": "Flu jabs"},
                            {"id": "v2", "note": "Blood tests"},
                        ],
                        "latestNote": "Flu jabs",
                        "recentSummary": "3 recent: v1, v2, v3",
                    },
                    {
                        "visits": [
                            {"id": "v5", "note": "Hearing tests"},
                            {"id": "v6", "note": "Flu jabs"},
                        ],
                        "latestNote": "Hearing tests",
                        "recentSummary": "2 recent: v5, v6",
                    },
                ],
            },
        },
        apollo={
            "data": {
                "clinics": [
                    {
                        "visits": [
                            {"id": "v1", "note": "Flu jabs"},
                            {"id": "v2", "note": "Blood tests"},
                        ],
                        "latestNote": None,
                        "recentSummary": "2 recent: v1, v2",
                    },
                    {
                        "visits": [
                            {"id": "v5", "note": "Hearing tests"},
                            {"id": "v6", "note": "Flu jabs"},
                        ],
                        "latestNote": None,
                        "recentSummary": "2 recent: v5, v6",
                    },
                ],
            },
            "errors": [
                {
                    "message": (
                        "latestNote needs visits(limit: 1) { note }, which the gateway did not "
                        "send"
                    ),
                    "path": ["clinics", 0, "latestNote"],
                    "extensions": {"serviceName": "ra_stats", "code": "DOWNSTREAM_SERVICE_ERROR"},
                },
                {
                    "message": (
                        "latestNote needs visits(limit: 1) { note }, which the gateway did not "
                        "send"
                    ),
                    "path": ["clinics", 1, "latestNote"],
                    "extensions": {"serviceName": "ra_stats", "code": "DOWNSTREAM_SERVICE_ERROR"},
                },
            ],
        },
        apollo_requests=2,
        apollo_wrong=(
            "Apollo merges the client's visits(limit: 2) and both requirements into one "
            "visits(limit: 2) { id note } and sends that to ra_stats: latestNote gets two visits "
            "and fails (null and an error per clinic) and recentSummary counts 2 for Riverside "
            "instead of 3."
        ),
    ),
    Case(
        group="requires_arguments",
        name="the_client_selects_the_required_field_with_the_same_arguments_under_an_alias",
        query="{ clinics { last: visits(limit: 1) { note } latestNote } }",
        expected={
            "data": {
                "clinics": [
                    {"last": [{"note": "Flu jabs"}], "latestNote": "Flu jabs"},
                    {"last": [{"note": "Hearing tests"}], "latestNote": "Hearing tests"},
                ],
            },
        },
        apollo={
            "data": {
                "clinics": [
                    {"last": [{"note": "Flu jabs"}], "latestNote": "Flu jabs"},
                    {"last": [{"note": "Hearing tests"}], "latestNote": "Hearing tests"},
                ],
            },
        },
        apollo_requests=2,
    ),
    # --- requires_abstract -----------------------------------------------------------------------
    Case(
        group="requires_abstract",
        name="a_requirement_on_a_field_of_an_interface",
        query="{ residents { name visitPlan } }",
        expected={
            "data": {
                "residents": [
                    {"name": "Iris", "visitPlan": "Weekly visit from the Leeds team"},
                    {"name": "Omar", "visitPlan": "Weekly visit from the York team"},
                ],
            },
        },
        apollo={
            "data": {
                "residents": [
                    {"name": "Iris", "visitPlan": "Weekly visit from the Leeds team"},
                    {"name": "Omar", "visitPlan": "Weekly visit from the York team"},
                ],
            },
        },
        apollo_requests=2,
    ),
    Case(
        group="requires_abstract",
        name="a_requirement_with_nested_fragments_on_an_interface_and_a_type",
        query="{ residents { name fundingNote } }",
        expected={
            "data": {
                "residents": [
                    {"name": "Iris", "fundingNote": "Care home in Leeds: 30 beds, 12 staff"},
                    {"name": "Omar", "fundingNote": "Own home in York: no care home funding"},
                ],
            },
        },
        apollo={
            "data": {
                "residents": [
                    {"name": "Iris", "fundingNote": "Care home in Leeds: 30 beds, 12 staff"},
                    {"name": "Omar", "fundingNote": "Own home in York: no care home funding"},
                ],
            },
        },
        apollo_requests=2,
    ),
    Case(
        group="requires_abstract",
        name="a_requirement_with_a_fragment_on_one_implementation",
        query="{ residents { id roomNote } }",
        expected={
            "data": {
                "residents": [
                    {"id": "r1", "roomNote": None},
                    {"id": "r2", "roomNote": "3 rooms to assess"},
                ],
            },
        },
        apollo={
            "data": {
                "residents": [
                    {"id": "r1", "roomNote": None},
                    {"id": "r2", "roomNote": "3 rooms to assess"},
                ],
            },
        },
        apollo_requests=2,
    ),
    Case(
        group="requires_abstract",
        name="requirements_for_an_entity_from_the_requiring_subgraphs_root",
        query="{ newestResident { name fundingNote home { ... on CareHome { beds } } } }",
        expected={
            "data": {
                "newestResident": {
                    "name": "Nell",
                    "fundingNote": "Care home in Hull: 8 beds, 4 staff",
                    "home": {"beds": 8},
                },
            },
        },
        apollo={
            "data": {
                "newestResident": {
                    "name": "Nell",
                    "fundingNote": "Care home in Hull: 8 beds, 4 staff",
                    "home": {"beds": 8},
                },
            },
        },
        apollo_requests=3,
    ),
    # --- requires_local_parent -------------------------------------------------------------------
    Case(
        group="requires_local_parent",
        name="a_requirement_on_an_entity_reached_inside_the_requiring_subgraph",
        query="{ projects { owner { displayLabel } } }",
        expected={
            "data": {
                "projects": [
                    {"owner": {"displayLabel": "Ada (2 projects)"}},
                    {"owner": {"displayLabel": "Ada (2 projects)"}},
                    {"owner": {"displayLabel": "Bo (1 project)"}},
                ],
            },
        },
        apollo={
            "data": {
                "projects": [
                    {"owner": {"displayLabel": "Ada (2 projects)"}},
                    {"owner": {"displayLabel": "Ada (2 projects)"}},
                    {"owner": {"displayLabel": "Bo (1 project)"}},
                ],
            },
        },
        apollo_requests=3,
    ),
    Case(
        group="requires_local_parent",
        name="the_required_field_selected_too",
        query="{ projects { title owner { id name displayLabel } } }",
        expected={
            "data": {
                "projects": [
                    {
                        "title": "Falls clinic",
                        "owner": {"id": "m1", "name": "Ada", "displayLabel": "Ada (2 projects)"},
                    },
                    {
                        "title": "Hydration rounds",
                        "owner": {"id": "m1", "name": "Ada", "displayLabel": "Ada (2 projects)"},
                    },
                    {
                        "title": "Discharge letters",
                        "owner": {"id": "m2", "name": "Bo", "displayLabel": "Bo (1 project)"},
                    },
                ],
            },
        },
        apollo={
            "data": {
                "projects": [
                    {
                        "title": "Falls clinic",
                        "owner": {"id": "m1", "name": "Ada", "displayLabel": "Ada (2 projects)"},
                    },
                    {
                        "title": "Hydration rounds",
                        "owner": {"id": "m1", "name": "Ada", "displayLabel": "Ada (2 projects)"},
                    },
                    {
                        "title": "Discharge letters",
                        "owner": {"id": "m2", "name": "Bo", "displayLabel": "Bo (1 project)"},
                    },
                ],
            },
        },
        apollo_requests=3,
    ),
    Case(
        group="requires_local_parent",
        name="from_the_subgraph_owning_the_required_field",
        query="{ members { email displayLabel } }",
        expected={
            "data": {
                "members": [
                    {"email": "ada@example.org", "displayLabel": "Ada (2 projects)"},
                    {"email": "bo@example.org", "displayLabel": "Bo (1 project)"},
                ],
            },
        },
        apollo={
            "data": {
                "members": [
                    {"email": "ada@example.org", "displayLabel": "Ada (2 projects)"},
                    {"email": "bo@example.org", "displayLabel": "Bo (1 project)"},
                ],
            },
        },
        apollo_requests=2,
    ),
    Case(
        group="requires_local_parent",
        name="a_requirement_two_levels_down_inside_the_requiring_subgraph",
        query="{ programme { name projects { title owner { displayLabel } } } }",
        expected={
            "data": {
                "programme": {
                    "name": "Safer care",
                    "projects": [
                        {"title": "Falls clinic", "owner": {"displayLabel": "Ada (2 projects)"}},
                        {
                            "title": "Hydration rounds",
                            "owner": {"displayLabel": "Ada (2 projects)"},
                        },
                        {"title": "Discharge letters", "owner": {"displayLabel": "Bo (1 project)"}},
                    ],
                },
            },
        },
        apollo={
            "data": {
                "programme": {
                    "name": "Safer care",
                    "projects": [
                        {"title": "Falls clinic", "owner": {"displayLabel": "Ada (2 projects)"}},
                        {
                            "title": "Hydration rounds",
                            "owner": {"displayLabel": "Ada (2 projects)"},
                        },
                        {"title": "Discharge letters", "owner": {"displayLabel": "Bo (1 project)"}},
                    ],
                },
            },
        },
        apollo_requests=3,
    ),
    # --- interface_objects -----------------------------------------------------------------------
    Case(
        group="interface_objects",
        name="an_interface_object_field_from_the_subgraph_owning_the_types",
        query="{ staff { name courses } }",
        expected={
            "data": {"staff": [{"name": "Asha", "courses": 4}, {"name": "Ben", "courses": 1}]},
        },
        apollo={"data": {"staff": [{"name": "Asha", "courses": 4}, {"name": "Ben", "courses": 1}]}},
        apollo_requests=2,
    ),
    Case(
        group="interface_objects",
        name="an_interface_object_field_that_requires_a_field_of_the_interface",
        query="{ staff { __typename badge } }",
        expected={
            "data": {
                "staff": [
                    {"__typename": "Nurse", "badge": "Asha, 4 courses"},
                    {"__typename": "Porter", "badge": "Ben, 1 course"},
                ],
            },
        },
        apollo={
            "data": {
                "staff": [
                    {"__typename": "Nurse", "badge": "Asha, 4 courses"},
                    {"__typename": "Porter", "badge": "Ben, 1 course"},
                ],
            },
        },
        apollo_requests=2,
    ),
    Case(
        group="interface_objects",
        name="interface_object_fields_on_a_concrete_type",
        query="{ nurses { ward courses badge } }",
        expected={
            "data": {"nurses": [{"ward": "Ward 5", "courses": 4, "badge": "Asha, 4 courses"}]},
        },
        apollo={"data": {"nurses": [{"ward": "Ward 5", "courses": 4, "badge": "Asha, 4 courses"}]}},
        apollo_requests=2,
    ),
    Case(
        group="interface_objects",
        name="from_the_interface_object_root_with_type_conditions",
        query=(
            "{ trainees { __typename id name badge ... on Nurse { ward } ... on Porter { shift } "
            "} }"
        ),
        expected={
            "data": {
                "trainees": [
                    {
                        "__typename": "Porter",
                        "id": "s2",
                        "name": "Ben",
                        "badge": "Ben, 1 course",
                        "shift": "Nights",
                    },
                    {
                        "__typename": "Nurse",
                        "id": "s1",
                        "name": "Asha",
                        "badge": "Asha, 4 courses",
                        "ward": "Ward 5",
                    },
                ],
            },
        },
        apollo={
            "data": {
                "trainees": [
                    {
                        "__typename": "Porter",
                        "id": "s2",
                        "name": "Ben",
                        "badge": "Ben, 1 course",
                        "shift": "Nights",
                    },
                    {
                        "__typename": "Nurse",
                        "id": "s1",
                        "name": "Asha",
                        "badge": "Asha, 4 courses",
                        "ward": "Ward 5",
                    },
                ],
            },
        },
        apollo_requests=3,
    ),
    Case(
        group="interface_objects",
        name="through_a_nested_interface_typed_field",
        query="{ team { name lead { courses ... on Porter { shift badge } } } }",
        expected={
            "data": {
                "team": {
                    "name": "Night team",
                    "lead": {"courses": 1, "shift": "Nights", "badge": "Ben, 1 course"},
                },
            },
        },
        apollo={
            "data": {
                "team": {
                    "name": "Night team",
                    "lead": {"courses": 1, "shift": "Nights", "badge": "Ben, 1 course"},
                },
            },
        },
        apollo_requests=2,
    ),
    # --- non_resolvable_interfaces ---------------------------------------------------------------
    Case(
        group="non_resolvable_interfaces",
        name="only_the_key_of_a_non_resolvable_interface_object",
        query="{ orders { quantity item { id } } }",
        expected={
            "data": {
                "orders": [
                    {"quantity": 100, "item": {"id": "i1"}},
                    {"quantity": 20, "item": {"id": "i2"}},
                ],
            },
        },
        apollo={
            "data": {
                "orders": [
                    {"quantity": 100, "item": {"id": "i1"}},
                    {"quantity": 20, "item": {"id": "i2"}},
                ],
            },
        },
        apollo_requests=1,
    ),
    Case(
        group="non_resolvable_interfaces",
        name="the_type_of_a_non_resolvable_interface_object_comes_from_the_owner",
        query="{ orders { item { __typename label } } }",
        expected={
            "data": {
                "orders": [
                    {"item": {"__typename": "Glove", "label": "Nitrile gloves"}},
                    {"item": {"__typename": "Mask", "label": "Face masks"}},
                ],
            },
        },
        apollo={
            "data": {
                "orders": [
                    {"item": {"__typename": "Glove", "label": "Nitrile gloves"}},
                    {"item": {"__typename": "Mask", "label": "Face masks"}},
                ],
            },
        },
        apollo_requests=2,
    ),
    Case(
        group="non_resolvable_interfaces",
        name="type_conditions_on_a_non_resolvable_interface_object",
        query="{ orders { item { ... on Glove { size stock } ... on Mask { grade } } } }",
        expected={
            "data": {"orders": [{"item": {"size": "M", "stock": 40}}, {"item": {"grade": "FFP3"}}]},
        },
        apollo={
            "data": {"orders": [{"item": {"size": "M", "stock": 40}}, {"item": {"grade": "FFP3"}}]},
        },
        apollo_requests=3,
    ),
    Case(
        group="non_resolvable_interfaces",
        name="an_interface_field_whose_interface_key_is_not_resolvable",
        query="{ items { id stock } }",
        expected={"data": {"items": [{"id": "i1", "stock": 40}, {"id": "i2", "stock": 3}]}},
        apollo={"data": {"items": [{"id": "i1", "stock": 40}, {"id": "i2", "stock": 3}]}},
        apollo_requests=2,
    ),
    # --- shared_roots ----------------------------------------------------------------------------
    Case(
        group="shared_roots",
        name="a_shared_root_value_type_split_over_two_subgraphs",
        query="{ medicine { id name dose } }",
        expected={"data": {"medicine": {"id": "med1", "name": "Paracetamol", "dose": "500 mg"}}},
        apollo={"data": {"medicine": {"id": "med1", "name": "Paracetamol", "dose": "500 mg"}}},
        apollo_requests=2,
    ),
    Case(
        group="shared_roots",
        name="a_shared_root_list_of_value_types_split_over_two_subgraphs",
        query="{ medicines { name dose } }",
        expected={
            "data": {
                "medicines": [
                    {"name": "Paracetamol", "dose": "500 mg"},
                    {"name": "Ibuprofen", "dose": "200 mg"},
                ],
            },
        },
        apollo={
            "data": {
                "medicines": [
                    {"name": "Paracetamol", "dose": "500 mg"},
                    {"name": "Ibuprofen", "dose": "200 mg"},
                ],
            },
        },
        apollo_requests=2,
    ),
    Case(
        group="shared_roots",
        name="a_shared_root_whose_other_owner_provides_the_field",
        query="{ ward(id: \"w1\") { name beds } }",
        expected={"data": {"ward": {"name": "Ash ward", "beds": 18}}},
        apollo={"data": {"ward": {"name": "Ash ward", "beds": 18}}},
        apollo_requests=1,
    ),
    Case(
        group="shared_roots",
        name="a_shared_root_entity_needing_both_owners",
        query="{ ward(id: \"w2\") { name floor beds } }",
        expected={"data": {"ward": {"name": "Elm ward", "floor": 3, "beds": 12}}},
        apollo={"data": {"ward": {"name": "Elm ward", "floor": 3, "beds": 12}}},
        apollo_requests=2,
    ),
    # --- provides_abstract -----------------------------------------------------------------------
    Case(
        group="provides_abstract",
        name="provided_fields_under_an_interface_typed_field",
        query="{ featured { id topics { id title } } }",
        expected={
            "data": {
                "featured": {
                    "id": "b1",
                    "topics": [
                        {"id": "t1", "title": "Asthma"},
                        {"id": "t2", "title": "Breathing exercises"},
                    ],
                },
            },
        },
        apollo={
            "data": {
                "featured": {
                    "id": "b1",
                    "topics": [
                        {"id": "t1", "title": "Asthma"},
                        {"id": "t2", "title": "Breathing exercises"},
                    ],
                },
            },
        },
        apollo_requests=1,
    ),
    Case(
        group="provides_abstract",
        name="an_unprovided_field_of_one_implementation_under_a_provided_interface",
        query="{ featured { topics { title ... on Therapy { sessions } } } }",
        expected={
            "data": {
                "featured": {
                    "topics": [
                        {"title": "Asthma"},
                        {"title": "Breathing exercises", "sessions": 6},
                    ],
                },
            },
        },
        apollo={
            "data": {
                "featured": {
                    "topics": [
                        {"title": "Asthma"},
                        {"title": "Breathing exercises", "sessions": 6},
                    ],
                },
            },
        },
        apollo_requests=2,
    ),
    Case(
        group="provides_abstract",
        name="a_field_provided_for_one_union_member",
        query="{ highlights { ... on Condition { id title } ... on Therapy { id } } }",
        expected={"data": {"highlights": [{"id": "t1", "title": "Asthma"}, {"id": "t2"}]}},
        apollo={"data": {"highlights": [{"id": "t1", "title": "Asthma"}, {"id": "t2"}]}},
        apollo_requests=1,
    ),
    Case(
        group="provides_abstract",
        name="the_same_field_provided_for_one_union_member_and_not_the_other",
        query="{ highlights { __typename ... on Condition { title } ... on Therapy { title } } }",
        expected={
            "data": {
                "highlights": [
                    {"__typename": "Condition", "title": "Asthma"},
                    {"__typename": "Therapy", "title": "Breathing exercises"},
                ],
            },
        },
        apollo={
            "data": {
                "highlights": [
                    {"__typename": "Condition", "title": "Asthma"},
                    {"__typename": "Therapy", "title": "Breathing exercises"},
                ],
            },
        },
        apollo_requests=2,
    ),
    # --- parent_entity_calls ---------------------------------------------------------------------
    Case(
        group="parent_entity_calls",
        name="a_value_type_completed_through_its_parent_by_a_compound_key",
        query="{ appointments { id slot { start room { name stepFree } } } }",
        expected={
            "data": {
                "appointments": [
                    {
                        "id": "a1",
                        "slot": {"start": "09:00", "room": {"name": "Room 4", "stepFree": True}},
                    },
                    {
                        "id": "a2",
                        "slot": {"start": "10:30", "room": {"name": "Room 1", "stepFree": False}},
                    },
                ],
            },
        },
        apollo={
            "data": {
                "appointments": [
                    {
                        "id": "a1",
                        "slot": {"start": "09:00", "room": {"name": "Room 4", "stepFree": True}},
                    },
                    {
                        "id": "a2",
                        "slot": {"start": "10:30", "room": {"name": "Room 1", "stepFree": False}},
                    },
                ],
            },
        },
        apollo_requests=2,
    ),
    Case(
        group="parent_entity_calls",
        name="a_value_type_completed_through_its_parent",
        query="{ appointments { slot { minutes clinician } } }",
        expected={
            "data": {
                "appointments": [
                    {"slot": {"minutes": 20, "clinician": "Dr Shah"}},
                    {"slot": {"minutes": 40, "clinician": "Nurse Lee"}},
                ],
            },
        },
        apollo={
            "data": {
                "appointments": [
                    {"slot": {"minutes": 20, "clinician": "Dr Shah"}},
                    {"slot": {"minutes": 40, "clinician": "Nurse Lee"}},
                ],
            },
        },
        apollo_requests=2,
    ),
    Case(
        group="parent_entity_calls",
        name="a_value_type_completed_from_three_subgraphs",
        query="{ appointments { slot { start minutes clinician room { stepFree } } } }",
        expected={
            "data": {
                "appointments": [
                    {
                        "slot": {
                            "start": "09:00",
                            "minutes": 20,
                            "clinician": "Dr Shah",
                            "room": {"stepFree": True},
                        },
                    },
                    {
                        "slot": {
                            "start": "10:30",
                            "minutes": 40,
                            "clinician": "Nurse Lee",
                            "room": {"stepFree": False},
                        },
                    },
                ],
            },
        },
        apollo={
            "data": {
                "appointments": [
                    {
                        "slot": {
                            "start": "09:00",
                            "minutes": 20,
                            "clinician": "Dr Shah",
                            "room": {"stepFree": True},
                        },
                    },
                    {
                        "slot": {
                            "start": "10:30",
                            "minutes": 40,
                            "clinician": "Nurse Lee",
                            "room": {"stepFree": False},
                        },
                    },
                ],
            },
        },
        apollo_requests=3,
    ),
    Case(
        group="parent_entity_calls",
        name="a_parent_call_that_first_needs_the_rest_of_a_compound_key",
        query="{ nextAppointment { slot { clinician room { name } } } }",
        expected={
            "data": {
                "nextAppointment": {"slot": {"clinician": "Nurse Lee", "room": {"name": "Room 1"}}},
            },
        },
        apollo={
            "data": {
                "nextAppointment": {"slot": {"clinician": "Nurse Lee", "room": {"name": "Room 1"}}},
            },
        },
        apollo_requests=3,
    ),
    # --- abstract_intersections ------------------------------------------------------------------
    Case(
        group="abstract_intersections",
        name="a_union_member_the_answering_subgraph_does_not_have",
        query="{ resource { ... on Video { title } } }",
        expected={"data": {"resource": {}}},
        apollo={"data": {"resource": {}}},
        apollo_requests=1,
    ),
    Case(
        group="abstract_intersections",
        name="fragments_on_union_members_from_both_subgraphs",
        query=(
            "{ resource { __typename ... on Leaflet { title } ... on Video { minutes } ... on "
            "Podcast { episodes } } }"
        ),
        expected={"data": {"resource": {"__typename": "Leaflet", "title": "Staying active"}}},
        apollo={"data": {"resource": {"__typename": "Leaflet", "title": "Staying active"}}},
        apollo_requests=1,
    ),
    Case(
        group="abstract_intersections",
        name="interface_implementations_the_answering_subgraph_does_not_have",
        query="{ helpline { name ... on Pharmacist { licence } ... on Volunteer { hours } } }",
        expected={"data": {"helpline": {"name": "Nurse Lee"}}},
        apollo={"data": {"helpline": {"name": "Nurse Lee"}}},
        apollo_requests=1,
    ),
    Case(
        group="abstract_intersections",
        name="implementations_of_each_subgraph_in_one_query",
        query=(
            "{ helpline { ... on Nurse { ward } } pharmacist { name ... on Pharmacist { licence "
            "} ... on Volunteer { hours } } volunteers { __typename name ... on Volunteer { "
            "hours } ... on Pharmacist { licence } } }"
        ),
        expected={
            "data": {
                "helpline": {"ward": "Ward 5"},
                "pharmacist": {"name": "Sam Patel", "licence": "GPhC 2087"},
                "volunteers": [
                    {"__typename": "Volunteer", "name": "Jo", "hours": 6},
                    {"__typename": "Nurse", "name": "Nurse Lee"},
                ],
            },
        },
        apollo={
            "data": {
                "helpline": {"ward": "Ward 5"},
                "pharmacist": {"name": "Sam Patel", "licence": "GPhC 2087"},
                "volunteers": [
                    {"__typename": "Volunteer", "name": "Jo", "hours": 6},
                    {"__typename": "Nurse", "name": "Nurse Lee"},
                ],
            },
        },
        apollo_requests=2,
    ),
    # --- enum_intersections ----------------------------------------------------------------------
    Case(
        group="enum_intersections",
        name="an_inaccessible_enum_value_in_a_nullable_field",
        query="{ people { name role } }",
        expected={
            "data": {"people": [{"name": "Asha", "role": "NURSE"}, {"name": "Kit", "role": None}]},
        },
        apollo={
            "data": {"people": [{"name": "Asha", "role": "NURSE"}, {"name": "Kit", "role": None}]},
            "extensions": {
                "valueCompletion": [
                    {
                        "message": "Invalid value found for field Person.role.",
                        "path": ["people", 1, "role"],
                        "extensions": {"code": "INVALID_GRAPHQL"},
                    },
                ],
            },
        },
        apollo_requests=1,
        apollo_wrong=(
            "The data is right (AGENCY is @inaccessible, so Kit's role becomes null), but Apollo "
            "reports the problem only under extensions.valueCompletion and returns no errors. A "
            "value the schema cannot serialise is a field error in the GraphQL spec and belongs "
            "in errors, with its path."
        ),
        expected_error_paths=[{"path": ["people", 1, "role"]}],
    ),
    Case(
        group="enum_intersections",
        name="an_inaccessible_enum_value_in_a_non_null_field",
        query="{ people { name contractRole } }",
        expected={"data": {"people": [{"name": "Asha", "contractRole": "NURSE"}, None]}},
        apollo={
            "data": {"people": [{"name": "Asha", "contractRole": "NURSE"}, None]},
            "extensions": {
                "valueCompletion": [
                    {
                        "message": "Invalid value found for field Person.contractRole.",
                        "path": ["people", 1, "contractRole"],
                        "extensions": {"code": "INVALID_GRAPHQL"},
                    },
                ],
            },
        },
        apollo_requests=1,
        apollo_wrong=(
            "The data is right (the null for the non-null contractRole bubbles up to people[1]), "
            "but Apollo reports the error only under extensions.valueCompletion and returns no "
            "errors; the GraphQL spec makes it a field error in errors, with path [\"people\", "
            "1, \"contractRole\"]."
        ),
        expected_error_paths=[{"path": ["people", 1, "contractRole"]}],
    ),
    Case(
        group="enum_intersections",
        name="an_enum_argument_and_result_of_the_intersection",
        query="{ shifts(role: NURSE) { id role } }",
        expected={
            "data": {"shifts": [{"id": "sh1", "role": "NURSE"}, {"id": "sh3", "role": "NURSE"}]},
        },
        apollo={
            "data": {"shifts": [{"id": "sh1", "role": "NURSE"}, {"id": "sh3", "role": "NURSE"}]},
        },
        apollo_requests=1,
    ),
    Case(
        group="enum_intersections",
        name="an_enum_argument_that_is_not_in_the_public_schema",
        query="{ shifts(role: AGENCY) { id } }",
        expected={},
        apollo={
            "errors": [
                {
                    "message": "Value \"AGENCY\" does not exist in \"Role\" enum.",
                    "locations": [{"line": 1, "column": 16}],
                    "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
                },
            ],
        },
        apollo_requests=0,
        expected_error_paths=[{"code": "GRAPHQL_VALIDATION_FAILED"}],
    ),
    Case(
        group="enum_intersections",
        name="an_enum_variable_that_is_not_in_the_public_schema",
        query="query ($role: Role!) { shifts(role: $role) { id } }",
        expected={},
        apollo={
            "errors": [
                {
                    "message": (
                        "Variable \"$role\" got invalid value \"AGENCY\"; Value \"AGENCY\" does "
                        "not exist in \"Role\" enum."
                    ),
                    "locations": [{"line": 1, "column": 8}],
                    "extensions": {"code": "BAD_USER_INPUT"},
                },
            ],
        },
        apollo_requests=0,
        variables={"role": "AGENCY"},
        expected_error_paths=[{"code": "BAD_USER_INPUT"}],
    ),
    # --- nullability_mismatch --------------------------------------------------------------------
    Case(
        group="nullability_mismatch",
        name="fragments_on_two_types_whose_shared_fields_differ_in_nullability",
        query="{ contacts { ... on Patient { id code } ... on Carer { id code } } }",
        expected={
            "data": {
                "contacts": [
                    {"id": "pt1", "code": "P-100"},
                    {"id": "cr1", "code": "C-7"},
                    {"id": None, "code": None},
                ],
            },
        },
        apollo={
            "data": {
                "contacts": [
                    {"id": "pt1", "code": "P-100"},
                    {"id": "cr1", "code": "C-7"},
                    {"id": None, "code": None},
                ],
            },
        },
        apollo_requests=1,
    ),
    Case(
        group="nullability_mismatch",
        name="named_fragments_on_two_types_whose_shared_fields_differ_in_nullability",
        query=(
            "query { contacts { __typename ...PatientCode ...CarerCode } } fragment PatientCode "
            "on Patient { code } fragment CarerCode on Carer { code }"
        ),
        expected={
            "data": {
                "contacts": [
                    {"__typename": "Patient", "code": "P-100"},
                    {"__typename": "Carer", "code": "C-7"},
                    {"__typename": "Carer", "code": None},
                ],
            },
        },
        apollo={
            "data": {
                "contacts": [
                    {"__typename": "Patient", "code": "P-100"},
                    {"__typename": "Carer", "code": "C-7"},
                    {"__typename": "Carer", "code": None},
                ],
            },
        },
        apollo_requests=1,
    ),
    Case(
        group="nullability_mismatch",
        name="a_conflicting_selection_next_to_a_field_from_another_subgraph",
        query=(
            "{ contacts { ... on Carer { id name } ... on Patient { id name carers { id name } } "
            "} }"
        ),
        expected={
            "data": {
                "contacts": [
                    {"id": "pt1", "name": "Rosa", "carers": [{"id": "cr1", "name": "Dev"}]},
                    {"id": "cr1", "name": "Dev"},
                    {"id": None, "name": "Neighbour"},
                ],
            },
        },
        apollo={
            "data": {
                "contacts": [
                    {"id": "pt1", "name": "Rosa", "carers": [{"id": "cr1", "name": "Dev"}]},
                    {"id": "cr1", "name": "Dev"},
                    {"id": None, "name": "Neighbour"},
                ],
            },
        },
        apollo_requests=2,
    ),
    Case(
        group="nullability_mismatch",
        name="a_field_of_one_union_member_from_the_other_subgraph",
        query="{ linked { ... on Patient { name } ... on Carer { name } } }",
        expected={"data": {"linked": [{"name": "Dev"}, {"name": "Rosa"}]}},
        apollo={"data": {"linked": [{"name": "Dev"}, {"name": "Rosa"}]}},
        apollo_requests=2,
    ),
    # --- local_union_members ---------------------------------------------------------------------
    Case(
        group="local_union_members",
        name="a_fragment_on_a_member_the_subgraphs_union_lacks",
        query="{ materials { ... on Leaflet { title } ... on Recording { minutes } } }",
        expected={
            "data": {"materials": [{"title": "Living with diabetes"}, {"title": "Sleep well"}]},
        },
        apollo={
            "data": {"materials": [{"title": "Living with diabetes"}, {"title": "Sleep well"}]},
        },
        apollo_requests=1,
    ),
    Case(
        group="local_union_members",
        name="a_local_member_completed_elsewhere_next_to_a_missing_member",
        query="{ materials { ... on Leaflet { title pages } ... on Recording { title } } }",
        expected={
            "data": {
                "materials": [
                    {"title": "Living with diabetes", "pages": 8},
                    {"title": "Sleep well", "pages": 4},
                ],
            },
        },
        apollo={
            "data": {
                "materials": [
                    {"title": "Living with diabetes", "pages": 8},
                    {"title": "Sleep well", "pages": 4},
                ],
            },
        },
        apollo_requests=2,
    ),
    Case(
        group="local_union_members",
        name="from_the_subgraph_with_every_member",
        query=(
            "{ playlist { __typename ... on Leaflet { title } ... on Recording { title minutes } "
            "} }"
        ),
        expected={
            "data": {
                "playlist": [
                    {"__typename": "Recording", "title": "Relaxation", "minutes": 15},
                    {"__typename": "Leaflet", "title": "Living with diabetes"},
                ],
            },
        },
        apollo={
            "data": {
                "playlist": [
                    {"__typename": "Recording", "title": "Relaxation", "minutes": 15},
                    {"__typename": "Leaflet", "title": "Living with diabetes"},
                ],
            },
        },
        apollo_requests=2,
    ),
    Case(
        group="local_union_members",
        name="a_missing_member_inside_an_entity_fetch",
        query=(
            "{ playlist { ... on Recording { minutes related { ... on Leaflet { title } ... on "
            "Recording { minutes } } } } }"
        ),
        expected={
            "data": {"playlist": [{"minutes": 15, "related": [{"title": "Sleep well"}]}, {}]},
        },
        apollo={"data": {"playlist": [{"minutes": 15, "related": [{"title": "Sleep well"}]}, {}]}},
        apollo_requests=2,
    ),
    # --- external_keys ---------------------------------------------------------------------------
    Case(
        group="external_keys",
        name="an_external_field_of_an_extended_type_comes_from_its_owner",
        query="{ noteAuthor { id name notes } }",
        expected={
            "data": {
                "noteAuthor": {
                    "id": "m2",
                    "name": "Bo",
                    "notes": ["Speaks Welsh", "Needs parking"],
                },
            },
        },
        apollo={
            "data": {
                "noteAuthor": {
                    "id": "m2",
                    "name": "Bo",
                    "notes": ["Speaks Welsh", "Needs parking"],
                },
            },
        },
        apollo_requests=2,
    ),
    Case(
        group="external_keys",
        name="an_external_field_of_an_extended_type_where_it_is_provided",
        query="{ providedNoteAuthor { name notes } }",
        expected={"data": {"providedNoteAuthor": {"name": "Ada", "notes": ["Prefers mornings"]}}},
        apollo={"data": {"providedNoteAuthor": {"name": "Ada", "notes": ["Prefers mornings"]}}},
        apollo_requests=1,
    ),
    Case(
        group="external_keys",
        name="the_external_key_of_an_extended_type",
        query="{ noteAuthor { id notes } }",
        expected={"data": {"noteAuthor": {"id": "m2", "notes": ["Speaks Welsh", "Needs parking"]}}},
        apollo={"data": {"noteAuthor": {"id": "m2", "notes": ["Speaks Welsh", "Needs parking"]}}},
        apollo_requests=1,
    ),
    Case(
        group="external_keys",
        name="an_external_field_of_a_non_resolvable_reference_provided_and_not",
        query="{ badges { title holder { name } nominee { name email } } }",
        expected={
            "data": {
                "badges": [
                    {
                        "title": "Kindness",
                        "holder": {"name": "Ada"},
                        "nominee": {"name": "Bo", "email": "bo@example.org"},
                    },
                ],
            },
        },
        apollo={
            "data": {
                "badges": [
                    {
                        "title": "Kindness",
                        "holder": {"name": "Ada"},
                        "nominee": {"name": "Bo", "email": "bo@example.org"},
                    },
                ],
            },
        },
        apollo_requests=2,
    ),
    # --- nested_abstract -------------------------------------------------------------------------
    Case(
        group="nested_abstract",
        name="an_interface_in_a_union_in_an_interface_in_one_subgraph",
        query=(
            "{ timeline { __typename at ... on Visit { findings { __typename ... on Observation "
            "{ label reading { unit ... on BloodPressure { systolic diastolic } ... on "
            "Temperature { celsius } } } } } ... on Call { minutes } } }"
        ),
        expected={
            "data": {
                "timeline": [
                    {
                        "__typename": "Visit",
                        "at": "2025-03-01 09:00",
                        "findings": [
                            {
                                "__typename": "Observation",
                                "label": "Blood pressure",
                                "reading": {"unit": "mmHg", "systolic": 128, "diastolic": 82},
                            },
                            {"__typename": "Prescription"},
                            {
                                "__typename": "Observation",
                                "label": "Temperature",
                                "reading": {"unit": "C", "celsius": 37.2},
                            },
                            {"__typename": "Prescription"},
                        ],
                    },
                    {"__typename": "Call", "at": "2025-03-02 14:00", "minutes": 10},
                ],
            },
        },
        apollo={
            "data": {
                "timeline": [
                    {
                        "__typename": "Visit",
                        "at": "2025-03-01 09:00",
                        "findings": [
                            {
                                "__typename": "Observation",
                                "label": "Blood pressure",
                                "reading": {"unit": "mmHg", "systolic": 128, "diastolic": 82},
                            },
                            {"__typename": "Prescription"},
                            {
                                "__typename": "Observation",
                                "label": "Temperature",
                                "reading": {"unit": "C", "celsius": 37.2},
                            },
                            {"__typename": "Prescription"},
                        ],
                    },
                    {"__typename": "Call", "at": "2025-03-02 14:00", "minutes": 10},
                ],
            },
        },
        apollo_requests=1,
    ),
    Case(
        group="nested_abstract",
        name="four_abstract_levels_over_three_subgraphs",
        query=(
            "{ timeline { ... on Visit { findings { ... on Prescription { item { ... on Tablet { "
            "supplier { __typename ... on Pharmacy { name town } ... on Wholesaler { name } } } "
            "... on Liquid { supplier { ... on Wholesaler { name } } } } } } } } }"
        ),
        expected={
            "data": {
                "timeline": [
                    {
                        "findings": [
                            {},
                            {
                                "item": {
                                    "supplier": {
                                        "__typename": "Pharmacy",
                                        "name": "High Street Pharmacy",
                                        "town": "Leeds",
                                    },
                                },
                            },
                            {},
                            {"item": {"supplier": {"name": "MedSupply"}}},
                        ],
                    },
                    {},
                ],
            },
        },
        apollo={
            "data": {
                "timeline": [
                    {
                        "findings": [
                            {},
                            {
                                "item": {
                                    "supplier": {
                                        "__typename": "Pharmacy",
                                        "name": "High Street Pharmacy",
                                        "town": "Leeds",
                                    },
                                },
                            },
                            {},
                            {"item": {"supplier": {"name": "MedSupply"}}},
                        ],
                    },
                    {},
                ],
            },
        },
        apollo_requests=3,
    ),
    Case(
        group="nested_abstract",
        name="named_fragments_at_every_level",
        query=(
            "query { timeline { ...EntryParts } } fragment EntryParts on Entry { __typename ... "
            "on Visit { findings { ...FindingParts } } } fragment FindingParts on Finding { ... "
            "on Observation { reading { __typename } } ... on Prescription { item { "
            "...MedicineParts } } } fragment MedicineParts on Medicine { __typename name "
            "supplier { ...SupplierParts } } fragment SupplierParts on Supplier { __typename ... "
            "on Pharmacy { town } ... on Wholesaler { name } }"
        ),
        expected={
            "data": {
                "timeline": [
                    {
                        "__typename": "Visit",
                        "findings": [
                            {"reading": {"__typename": "BloodPressure"}},
                            {
                                "item": {
                                    "__typename": "Tablet",
                                    "name": "Amlodipine",
                                    "supplier": {"__typename": "Pharmacy", "town": "Leeds"},
                                },
                            },
                            {"reading": {"__typename": "Temperature"}},
                            {
                                "item": {
                                    "__typename": "Liquid",
                                    "name": "Oral rehydration",
                                    "supplier": {"__typename": "Wholesaler", "name": "MedSupply"},
                                },
                            },
                        ],
                    },
                    {"__typename": "Call"},
                ],
            },
        },
        apollo={
            "data": {
                "timeline": [
                    {
                        "__typename": "Visit",
                        "findings": [
                            {"reading": {"__typename": "BloodPressure"}},
                            {
                                "item": {
                                    "__typename": "Tablet",
                                    "name": "Amlodipine",
                                    "supplier": {"__typename": "Pharmacy", "town": "Leeds"},
                                },
                            },
                            {"reading": {"__typename": "Temperature"}},
                            {
                                "item": {
                                    "__typename": "Liquid",
                                    "name": "Oral rehydration",
                                    "supplier": {"__typename": "Wholesaler", "name": "MedSupply"},
                                },
                            },
                        ],
                    },
                    {"__typename": "Call"},
                ],
            },
        },
        apollo_requests=3,
    ),
    Case(
        group="nested_abstract",
        name="from_the_middle_subgraphs_root",
        query=(
            "{ prescription(id: \"rx2\") { item { name supplier { ... on Pharmacy { name } ... "
            "on Wholesaler { id name } } } } }"
        ),
        expected={
            "data": {
                "prescription": {
                    "item": {
                        "name": "Oral rehydration",
                        "supplier": {"id": "wh1", "name": "MedSupply"},
                    },
                },
            },
        },
        apollo={
            "data": {
                "prescription": {
                    "item": {
                        "name": "Oral rehydration",
                        "supplier": {"id": "wh1", "name": "MedSupply"},
                    },
                },
            },
        },
        apollo_requests=2,
    ),
]
