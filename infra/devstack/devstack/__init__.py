"""Local orchestration of the MAC Heroes network (development and tests; not deployed)."""
