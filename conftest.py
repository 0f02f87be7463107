"""Root pytest configuration: every test directory shares servicekit's fixtures."""

pytest_plugins = ["servicekit.testing"]
