"""servicekit is the bottom layer: mechanism every service uses, depending on none of them."""

import ast
from pathlib import Path

KIT = Path(__file__).resolve().parents[2] / "servicekit"
REPO = KIT.parents[2]
SERVICES = {path.name for path in (REPO / "services").iterdir() if path.is_dir()}
ABOVE = {"devstack", "tests", "bench", *SERVICES}


def imported_modules(path: Path, package: str) -> set[str]:
    """Every module a file imports, relative imports resolved against its package."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.add(".".join([*base, node.module] if node.module else base))
            else:
                found.add(node.module or "")
    return found


def package_of(path: Path) -> str:
    return ".".join(path.relative_to(KIT.parent).parent.parts)


class TestLayering:
    def test_the_services_and_the_local_runner_are_above_servicekit(self) -> None:
        assert {"devstack", "membership", "projects", "recognition", "gateway", "portal"} <= ABOVE
        files = sorted(KIT.rglob("*.py"))
        assert len(files) > 20
        upward = {
            f"{path.relative_to(KIT.parent)}: {module}"
            for path in files
            for module in imported_modules(path, package_of(path))
            if module.split(".")[0] in ABOVE
        }

        assert upward == set()

    def test_relative_imports_resolve_inside_the_package(self, tmp_path: Path) -> None:
        source = tmp_path / "m.py"
        source.write_text("from . import a\nfrom ..b import c\nimport devstack.kafka\n")

        assert imported_modules(source, "servicekit.sub") == {
            "servicekit.sub", "servicekit.b", "devstack.kafka"}
