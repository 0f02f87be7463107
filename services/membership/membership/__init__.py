"""Membership service: who is in the MAC Heroes network, and what they have agreed to."""
