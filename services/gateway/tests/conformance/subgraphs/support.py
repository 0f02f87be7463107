"""Shared pieces of the feature conformance subgraphs: the schema factory each of them uses."""

from collections.abc import Iterable

import strawberry
from strawberry.extensions import ParserCache, ValidationCache


def federation_schema(query: type, types: Iterable[type] = ()) -> strawberry.federation.Schema:
    """A Federation v2 subgraph schema with Strawberry's parser and validation caches on."""
    # The caches are module-level in Strawberry, so they outlive the per-request extension objects.
    return strawberry.federation.Schema(
        query=query, types=list(types), extensions=[ParserCache, ValidationCache]
    )


class RequirementMissing(Exception):
    """A @requires field was resolved without its required fields: the gateway never sent them."""

    def __init__(self, field: str, required: str) -> None:
        super().__init__(f"{field} needs {required}, which the gateway did not send")
