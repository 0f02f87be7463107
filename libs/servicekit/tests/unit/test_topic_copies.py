"""How many copies each topic gets: the file's cluster values on three brokers, 1 and 1 alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from servicekit.kafka import load_topics

TOPICS = Path(__file__).resolve().parents[4] / "infra" / "topics.toml"


@pytest.mark.parametrize(("brokers", "copies", "in_sync"), [(1, 1, "1"), (2, 2, "1"), (3, 3, "2"), (5, 3, "2")])
def test_copies_follow_the_brokers_there_are(brokers: int, copies: int, in_sync: str) -> None:
    specs = load_topics(TOPICS, brokers=brokers)

    assert {spec.name for spec in specs} == {
        f"{name}.events.v1{dlq}" for name in ("membership", "projects", "recognition") for dlq in ("", ".dlq")}
    assert {(spec.replication_factor, spec.config["min.insync.replicas"]) for spec in specs if spec.config} == {
        (copies, in_sync)}
    assert {spec.partitions for spec in specs if not spec.name.endswith(".dlq")} == {6}
