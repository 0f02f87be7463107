"""`python -m servicekit.sdl <service>`: write a subgraph's SDL to `services/<service>/<service>.graphql`.

The file is checked in so reviewers see every contract change; each service has a
test that fails when the file and the schema disagree.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path


def sdl_of(service: str) -> str:
    schema = importlib.import_module(f"{service}.schema").build_schema()
    return str(schema.as_str()) + "\n"


def sdl_file(service: str) -> Path:
    package = importlib.import_module(service)
    assert package.__file__ is not None
    return Path(package.__file__).resolve().parents[1] / f"{service}.graphql"


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a subgraph's SDL file.")
    parser.add_argument("service")
    args = parser.parse_args()
    target = sdl_file(args.service)
    target.write_text(sdl_of(args.service))
    print(f"wrote {target}")  # noqa: T201


if __name__ == "__main__":
    main()
