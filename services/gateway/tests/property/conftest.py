"""Property tests of the query planner: random supergraphs, random queries.

Run them alone with `pytest services/gateway/tests/property -m property`; set
PLANNER_PROPERTY_EXAMPLES to try more examples than the quick default.
"""

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "property: hypothesis property tests over random supergraphs and queries"
    )
