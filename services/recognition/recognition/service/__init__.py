"""Recognition use cases. Each runs inside the caller's transaction and never commits."""
