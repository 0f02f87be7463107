"""Examples for partner organisations (not part of the network's own services)."""
