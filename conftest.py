"""Root pytest configuration: every test directory shares servicekit's and devstack's fixtures
(devstack's start the test servers; servicekit's need none of the local runner)."""

pytest_plugins = ["servicekit.testing", "devstack.testing"]
