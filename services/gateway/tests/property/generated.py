"""A large, realistic federated network from a seed, for cold-planning benchmarks and tests."""

from __future__ import annotations

from .network import SeededChoices, Sizes, build_network, render_all


def network_sizes(subgraphs: int) -> Sizes:
    """About six types per subgraph, shared across subgraphs the way a big company's graph is."""

    def exactly(count: float) -> tuple[int, int]:
        return (max(1, round(count)), max(1, round(count)))

    return Sizes(
        subgraphs=(subgraphs, subgraphs),
        entities=exactly(subgraphs * 2),
        values=exactly(subgraphs * 0.8),
        interfaces=exactly(subgraphs * 0.3),
        unions=exactly(subgraphs * 0.3),
        enums=exactly(subgraphs * 0.4),
        inputs=exactly(subgraphs * 0.2),
        entity_interfaces=exactly(subgraphs * 0.1),
        fields=(2, 5),
        relations=exactly(subgraphs * 5),
        root_fields=exactly(subgraphs * 1.5),
        requires=exactly(subgraphs * 0.8),
        provides=exactly(subgraphs * 0.4),
        overrides=exactly(subgraphs * 0.2),
        inaccessible=exactly(subgraphs * 0.3),
        extenders=3,
        option_percent=15,
        value_link_percent=5,
    )


def generated_network(subgraphs: int = 50, seed: int = 0) -> dict[str, str]:
    """Subgraph name -> Federation v2 SDL; the same arguments always give the same network."""
    return render_all(build_network(SeededChoices(seed), network_sizes(subgraphs)))
