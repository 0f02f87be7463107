"""Federation v2 features, one group of subgraphs each: our gateway's exact answer and request count.

The cases (cases.py) hold the correct response and Apollo Gateway's, checked by hand; where
Apollo is wrong the case says why. Here every case runs through our gateway, which must give
the correct `data`, errors at the expected paths with the expected codes, and use exactly the
number of subgraph requests in OUR_REQUESTS (never more than Apollo needed).
"""

from __future__ import annotations

from typing import Any

import pytest

from .cases import CASES, Case

# Subgraph requests our plan makes for each case (one request per subgraph per plan level).
OUR_REQUESTS: dict[str, int] = {
    "a_field_requiring_a_field_that_itself_requires": 3,
    "a_requirement_owned_by_two_subgraphs": 3,
    "a_chain_through_a_requirement_owned_by_two_subgraphs": 4,
    "a_chain_on_an_entity_from_the_middle_subgraphs_root": 4,
    "a_chain_starting_in_the_requiring_subgraph": 5,
    "a_field_requiring_a_field_with_arguments": 2,
    "the_client_selects_the_required_field_with_other_arguments": 2,
    "two_requirements_on_one_field_with_different_arguments": 2,
    "two_requirements_and_a_third_client_argument": 2,
    "the_client_selects_the_required_field_with_the_same_arguments_under_an_alias": 2,
    "a_requirement_on_a_field_of_an_interface": 2,
    "a_requirement_with_nested_fragments_on_an_interface_and_a_type": 2,
    "a_requirement_with_a_fragment_on_one_implementation": 2,
    "requirements_for_an_entity_from_the_requiring_subgraphs_root": 3,
    "a_requirement_on_an_entity_reached_inside_the_requiring_subgraph": 3,
    "the_required_field_selected_too": 3,
    "from_the_subgraph_owning_the_required_field": 2,
    "a_requirement_two_levels_down_inside_the_requiring_subgraph": 3,
    "an_interface_object_field_from_the_subgraph_owning_the_types": 2,
    "an_interface_object_field_that_requires_a_field_of_the_interface": 2,
    "interface_object_fields_on_a_concrete_type": 2,
    "from_the_interface_object_root_with_type_conditions": 3,
    "through_a_nested_interface_typed_field": 2,
    "only_the_key_of_a_non_resolvable_interface_object": 1,
    "the_type_of_a_non_resolvable_interface_object_comes_from_the_owner": 2,
    "type_conditions_on_a_non_resolvable_interface_object": 3,
    "an_interface_field_whose_interface_key_is_not_resolvable": 2,
    "a_shared_root_value_type_split_over_two_subgraphs": 2,
    "a_shared_root_list_of_value_types_split_over_two_subgraphs": 2,
    "a_shared_root_whose_other_owner_provides_the_field": 1,
    "a_shared_root_entity_needing_both_owners": 2,
    "provided_fields_under_an_interface_typed_field": 1,
    "an_unprovided_field_of_one_implementation_under_a_provided_interface": 2,
    "a_field_provided_for_one_union_member": 1,
    "the_same_field_provided_for_one_union_member_and_not_the_other": 2,
    "a_value_type_completed_through_its_parent_by_a_compound_key": 2,
    "a_value_type_completed_through_its_parent": 2,
    "a_value_type_completed_from_three_subgraphs": 3,
    "a_parent_call_that_first_needs_the_rest_of_a_compound_key": 3,
    "a_union_member_the_answering_subgraph_does_not_have": 1,
    "fragments_on_union_members_from_both_subgraphs": 1,
    "interface_implementations_the_answering_subgraph_does_not_have": 1,
    "implementations_of_each_subgraph_in_one_query": 2,
    "an_inaccessible_enum_value_in_a_nullable_field": 1,
    "an_inaccessible_enum_value_in_a_non_null_field": 1,
    "an_enum_argument_and_result_of_the_intersection": 1,
    "an_enum_argument_that_is_not_in_the_public_schema": 0,
    "an_enum_variable_that_is_not_in_the_public_schema": 0,
    "fragments_on_two_types_whose_shared_fields_differ_in_nullability": 1,
    "named_fragments_on_two_types_whose_shared_fields_differ_in_nullability": 1,
    "a_conflicting_selection_next_to_a_field_from_another_subgraph": 2,
    "a_field_of_one_union_member_from_the_other_subgraph": 2,
    "a_fragment_on_a_member_the_subgraphs_union_lacks": 1,
    "a_local_member_completed_elsewhere_next_to_a_missing_member": 2,
    "from_the_subgraph_with_every_member": 2,
    "a_missing_member_inside_an_entity_fetch": 2,
    "an_external_field_of_an_extended_type_comes_from_its_owner": 2,
    "an_external_field_of_an_extended_type_where_it_is_provided": 1,
    "the_external_key_of_an_extended_type": 1,
    "an_external_field_of_a_non_resolvable_reference_provided_and_not": 2,
    "an_interface_in_a_union_in_an_interface_in_one_subgraph": 1,
    "four_abstract_levels_over_three_subgraphs": 3,
    "named_fragments_at_every_level": 3,
    "from_the_middle_subgraphs_root": 2,
}


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.group}-{case.name}")
async def test_feature(case: Case, federation: Any) -> None:
    gateway = await federation(case.group)

    result = await gateway.run(case.query, case.variables)

    assert result.get("data") == case.expected.get("data"), (result, gateway.plan_or_errors(case.query))
    errors = [{key: value for key, value in (("path", e.get("path")), ("code", e["extensions"]["code"]))
               if value is not None} for e in result.get("errors", [])]
    expected_errors = case.expected_error_paths or []
    assert [_only(e, x) for e, x in zip(errors, expected_errors, strict=False)] == expected_errors, result
    assert len(errors) == len(expected_errors), result
    assert gateway.requests == OUR_REQUESTS.get(case.name, -1), gateway.plan_or_errors(case.query)
    assert gateway.requests <= case.apollo_requests or case.apollo_wrong


def _only(error: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    return {key: error.get(key) for key in expected}
