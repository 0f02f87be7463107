"""Gateway: composes the network's Federation v2 subgraphs into one GraphQL API."""
