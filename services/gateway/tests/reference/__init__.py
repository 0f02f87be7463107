"""Reference implementations our gateway is compared with in differential tests."""
