"""Which Open Badges paths the gateway passes on, and where it finds the recognition service."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from gateway.openbadges import PUBLIC_PATHS, recognition_base


def engine_with(urls: dict[str, str]) -> Any:
    return SimpleNamespace(supergraph=SimpleNamespace(subgraph_urls=urls))


@pytest.mark.parametrize(("path", "passed"), [
    ("/openbadges/issuer", True),
    ("/openbadges/jwks.json", True),
    ("/openbadges/verify", True),
    ("/openbadges/keys/heroes-badges-1", True),
    ("/openbadges/achievements/0a0b0c0d-0000-4000-8000-000000000001", True),
    ("/openbadges/achievements/not-a-badge", False),
    ("/openbadges/../graphql", False),
    ("/openbadges/keys/../../graphql", False),
    ("/openbadges/keys/..", False),
    ("/openbadges/issuer/extra", False),
    ("/openbadges/admin", False),
])
def test_only_open_badges_paths_pass(path: str, passed: bool) -> None:
    assert bool(PUBLIC_PATHS.fullmatch(path)) is passed


def test_recognition_is_found_from_its_subgraph_address() -> None:
    engine = engine_with({"recognition": "http://10.0.0.7:8003/graphql", "projects": "http://p/graphql"})

    assert recognition_base(engine, None) == "http://10.0.0.7:8003"
    assert recognition_base(engine, "http://badges.internal:9000/") == "http://badges.internal:9000"
    assert recognition_base(engine_with({"projects": "http://p/graphql"}), None) is None
    assert recognition_base(None, None) is None
