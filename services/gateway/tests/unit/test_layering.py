"""The supergraph (composition, the model, supergraph files) is the gateway's bottom layer:
planning and execution are built on it, and it is handed what it needs (how to fetch an SDL),
never reaching up."""

import ast
from pathlib import Path

GATEWAY = Path(__file__).resolve().parents[2] / "gateway"
SUPERGRAPH = GATEWAY / "supergraph"


def gateway_imports(path: Path) -> set[str]:
    """The gateway modules a file imports (relative imports resolved)."""
    package = ".".join(path.relative_to(GATEWAY.parent).parent.parts)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = parts[: len(parts) - node.level + 1] if node.level else []
            found.add(".".join([*base, *([node.module] if node.module else [])]))
    return {module for module in found if module == "gateway" or module.startswith("gateway.")}


class TestSupergraphLayer:
    def test_the_supergraph_imports_only_itself_from_the_gateway(self) -> None:
        files = sorted(SUPERGRAPH.rglob("*.py"))
        assert len(files) >= 8
        reaching_up = {
            f"{path.name}: {module}"
            for path in files
            for module in gateway_imports(path)
            if not module.startswith("gateway.supergraph")
        }

        assert reaching_up == set()

    def test_the_loader_fetches_nothing_itself(self) -> None:
        assert gateway_imports(SUPERGRAPH / "loader.py") == {
            "gateway.supergraph.compose", "gateway.supergraph.model"
        }
