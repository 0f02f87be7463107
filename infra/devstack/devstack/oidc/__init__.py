"""A development OpenID Connect provider over the network's members, for `make run` and tests."""
