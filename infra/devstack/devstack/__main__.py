"""`python -m devstack run|stop|test`: the entry point behind `make run`, `make stop`, `make test`."""

from __future__ import annotations

import argparse
import sys
import warnings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="devstack", description="Run or test the MAC Heroes network locally.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="start the whole network with demo data (Ctrl-C stops it)")
    sub.add_parser("stop", help="stop a network started by `run`")
    testing = sub.add_parser("test", help="run the test suite on isolated servers")
    testing.add_argument("pytest_args", nargs=argparse.REMAINDER, help="passed to pytest")
    preparing = sub.add_parser(
        "prepare", help="create databases, run migrations and create topics on the HEROES_* servers"
    )
    preparing.add_argument("--keys", help="also create local signing keys in this folder (demo only)")
    benching = sub.add_parser("bench", help="run a benchmark script on isolated servers")
    benching.add_argument("script")
    args = parser.parse_args(argv)
    # The embedded PostgreSQL asks platformdirs for a runtime folder, which warns on machines without
    # XDG_RUNTIME_DIR (containers, CI) although it works fine: not something a person must act on.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    if args.command == "run":
        from devstack.run import run

        return run()
    if args.command == "stop":
        from devstack.run import stop

        return stop()
    if args.command == "prepare":
        from devstack.servers import prepare

        return prepare(keys=args.keys)
    if args.command == "bench":
        from devstack.testrun import bench

        return bench(args.script)
    from devstack.testrun import test

    return test(args.pytest_args)


if __name__ == "__main__":
    sys.exit(main())
