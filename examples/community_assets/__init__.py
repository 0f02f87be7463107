"""An example partner subgraph: community assets (warm spaces, food banks, green spaces) by organisation."""
