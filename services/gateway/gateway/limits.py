"""Request limits checked before any subgraph is called (the defaults of the `GATEWAY_*` settings)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_depth: int = 12
    max_aliases: int = 30
    max_cost: int = 5_000
    max_body_bytes: int = 64 * 1024
    max_json_depth: int = 32  # nesting of arrays and objects in a request body
    max_tokens: int = 2_000  # lexical tokens in one GraphQL document
    max_batch: int = 10
    default_list_size: int = 10  # a list field with no @listSize and no slicing argument
    default_page_size: int = 20  # a sliced field asked for without its slicing argument
    max_page_size: int = 100  # the largest page a sliced field without @listSize(assumedSize:) gives
    max_planning_steps: int = 100_000  # steps the query planner may take for one operation
    max_planning_seconds: float = 2.0  # and how long (plans are cached: this is paid once per query text)
