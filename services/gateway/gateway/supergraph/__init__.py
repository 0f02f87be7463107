"""Supergraph composition: what the gateway knows about the subgraphs it fronts."""

from gateway.supergraph.compose import CompositionError, compose
from gateway.supergraph.model import Supergraph

__all__ = ["CompositionError", "Supergraph", "compose"]
