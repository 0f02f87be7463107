"""Ids of the network-wide training catalogue (its modules are inserted by migration m0002)."""

from __future__ import annotations

from uuid import UUID, uuid5

CATALOGUE_NAMESPACE = UUID("c47a1090-0000-4000-8000-000000000000")

LEVEL_ONE_MODULES = ("what-is-qi", "understanding-the-problem", "working-together")
LEVEL_TWO_MODULES = ("testing-changes", "measuring-improvement", "driver-diagrams")
LEVEL_THREE_MODULES = ("leading-projects", "coaching-others", "spreading-improvement")


def module_id(slug: str) -> UUID:
    """The fixed id of a catalogue module, e.g. module_id("what-is-qi")."""
    return uuid5(CATALOGUE_NAMESPACE, slug)
