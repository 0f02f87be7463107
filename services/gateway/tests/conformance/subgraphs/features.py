"""Conformance subgraph sets added for planner v2, one group per Federation v2 feature.

FEATURE_GROUPS: group name -> subgraph names that compose together.
FEATURE_SUBGRAPHS: subgraph name -> a function returning its schema.
Each subgraph is named after its function, with a prefix per group, so names stay unique across
every group. The queries and answers for these groups are in tests/conformance/cases.py.
"""

from collections.abc import Callable
from typing import Any

from . import (
    abstract_intersections,
    enum_intersections,
    external_keys,
    interface_objects,
    local_union_members,
    nested_abstract,
    non_resolvable_interfaces,
    nullability_mismatch,
    parent_entity_calls,
    provides_abstract,
    requires_abstract,
    requires_arguments,
    requires_chains,
    requires_local_parent,
    shared_roots,
)

_GROUPS: dict[str, tuple[Callable[[], Any], ...]] = {
    "requires_chains": (requires_chains.rc_catalog, requires_chains.rc_funding,
                        requires_chains.rc_costs, requires_chains.rc_advice),
    "requires_arguments": (requires_arguments.ra_clinics, requires_arguments.ra_stats),
    "requires_abstract": (requires_abstract.rq_homes, requires_abstract.rq_care),
    "requires_local_parent": (requires_local_parent.lp_projects, requires_local_parent.lp_members),
    "interface_objects": (interface_objects.io_staff, interface_objects.io_training),
    "non_resolvable_interfaces": (non_resolvable_interfaces.nr_supplies,
                                  non_resolvable_interfaces.nr_stock,
                                  non_resolvable_interfaces.nr_orders),
    "shared_roots": (shared_roots.sr_names, shared_roots.sr_doses,
                     shared_roots.sr_wards, shared_roots.sr_beds),
    "provides_abstract": (provides_abstract.pa_library, provides_abstract.pa_feed),
    "parent_entity_calls": (parent_entity_calls.pe_booking, parent_entity_calls.pe_rooms,
                            parent_entity_calls.pe_staff),
    "abstract_intersections": (abstract_intersections.ai_left, abstract_intersections.ai_right),
    "enum_intersections": (enum_intersections.en_people, enum_intersections.en_rota),
    "nullability_mismatch": (nullability_mismatch.nm_people, nullability_mismatch.nm_links),
    "local_union_members": (local_union_members.lu_library, local_union_members.lu_media),
    "external_keys": (external_keys.ek_members, external_keys.ek_notes, external_keys.ek_badges),
    "nested_abstract": (nested_abstract.na_records, nested_abstract.na_pharmacy,
                        nested_abstract.na_suppliers),
}

FEATURE_GROUPS: dict[str, tuple[str, ...]] = {
    group: tuple(subgraph.__name__ for subgraph in subgraphs)
    for group, subgraphs in _GROUPS.items()
}
FEATURE_SUBGRAPHS: dict[str, Callable[[], Any]] = {
    subgraph.__name__: subgraph for subgraphs in _GROUPS.values() for subgraph in subgraphs
}
