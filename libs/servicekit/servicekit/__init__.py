"""Shared mechanism for MAC Heroes services. No domain code lives here."""
