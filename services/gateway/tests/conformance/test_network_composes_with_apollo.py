"""The network's own subgraphs compose with Apollo's composition too, so a partner may front them
with any standard router (DESIGN section 2), not only with our gateway."""

from pathlib import Path

from gateway.supergraph import compose

from ..reference import apollo

REPO = Path(__file__).resolve().parents[4]
SERVICES = ("membership", "projects", "recognition")


def test_the_checked_in_subgraph_contracts_compose_with_apollo_and_with_ours() -> None:
    sdls = {name: (REPO / "services" / name / f"{name}.graphql").read_text() for name in SERVICES}

    ours = compose(sdls, {name: f"http://{name}.invalid/graphql" for name in SERVICES})

    assert apollo.compose_errors(sdls) == []
    assert {"Member", "Project", "Celebration", "Kudos"} <= set(ours.types)
    assert "everyoneShown" not in ours.api_sdl
    assert "shownToYou" not in ours.api_sdl
