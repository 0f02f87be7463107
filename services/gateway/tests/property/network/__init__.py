"""A random federated network: the entity model is decided first, then spread over subgraphs.

Building the model before any SDL keeps the subgraphs coherent, so most sets compose under
Federation v2's rules (not only our lenient composer):

- every entity has a home subgraph declaring all its keys; other subgraphs that add fields
  declare a subset of those keys, and subgraphs that only return the entity declare one key with
  `resolvable: false`. Any two subgraphs can meet through the home (at most one hop);
- value types are `@shareable` and written in full wherever they appear;
- a field resolved by several subgraphs is `@shareable` in each (key fields excepted); a field
  another subgraph `@provides` is `@shareable` where it is resolved;
- `@external` fields are only declared where a `@requires` or `@provides` uses them;
- interfaces and unions are written in every subgraph that uses them, each subgraph with its own
  subset of implementations or members, and the implementing types carry the interface's
  fields (`@shareable`) there;
- an entity interface (`@key` on an interface) is written as an interface, with all its
  implementations, in its home only; elsewhere it is an `@interfaceObject`;
- as Federation v2 allows, a shared field may be non-null, or return the union's or interface's
  common member, in some subgraphs, and an interface may lack a field in some subgraphs.

`Choices` is where the randomness comes from: hypothesis draws (supergraphs.py) or a seeded
`random.Random` (generated.py).
"""

from .builder import build_network
from .model import Choices, Field, Network, SeededChoices, Sizes, Type
from .render import render, render_all

__all__ = [
    "Choices",
    "Field",
    "Network",
    "SeededChoices",
    "Sizes",
    "Type",
    "build_network",
    "render",
    "render_all",
]
