"""`make run`: the whole network on this machine, with demo data, until Ctrl-C."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any
from uuid import UUID

import httpx
import psutil
from servicekit.settings import NetworkSettings
from servicekit.tokens import init_keys, mint

from devstack.console import detail, say, step
from devstack.processes import Supervisor, describe_exit, stop_recorded
from devstack.servers import Servers, prepare_databases, prepare_topics, start_servers
from devstack.services import (
    OIDC_PORT_OFFSET,
    PORTAL_PORT_OFFSET,
    REPO,
    SERVICES,
    ServiceSpec,
    api_ports,
    copy_name,
    gateway_command,
)
from devstack.signin import SignIn, write_accounts

LOCAL = REPO / ".local"
RUN_DIR = LOCAL / "run"
OWNER_PID = RUN_DIR / "devstack.pid"


def ports() -> dict[str, int]:
    base = int(os.environ.get("HEROES_PORT_BASE", "8000"))
    return {
        "gateway": base,
        **{spec.name: base + spec.port_offset for spec in SERVICES},
        "portal": base + PORTAL_PORT_OFFSET,
        "oidc": base + OIDC_PORT_OFFSET,
        "postgres": int(os.environ.get("HEROES_EMBEDDED_PG_PORT", "55432")),
        "kafka": int(os.environ.get("HEROES_EMBEDDED_KAFKA_PORT", "59092")),
        "kafka_controller": int(os.environ.get("HEROES_EMBEDDED_KAFKA_CONTROLLER_PORT", "59093")),
    }


def gateway_secret(directory: Path) -> str:
    """The shared secret the gateway presents to subgraphs; made once per data folder."""
    return local_secret(directory, "gateway-secret")


def local_secret(directory: Path, name: str) -> str:
    """A random secret kept in `directory/name`, made the first time it is asked for."""
    path = directory / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


MOST_INSTANCES = 6  # consumers of a group beyond the partition count (6) would stand idle


def instances() -> int:
    """`HEROES_INSTANCES`: copies of each API and consumer `make run` starts (a standby relay too
    when more than one); the gateway spreads requests over the API copies."""
    count = int(os.environ.get("HEROES_INSTANCES", "1"))
    if not 1 <= count <= MOST_INSTANCES:
        raise SystemExit(f"HEROES_INSTANCES must be 1 to {MOST_INSTANCES} (the topics have 6 partitions)")
    return count


def subgraph_address(spec: ServiceSpec, port_map: dict[str, int], copies: int) -> str:
    """The service's API copies as the gateway takes them: `|`-separated."""
    return "|".join(f"http://127.0.0.1:{port}/graphql" for port in api_ports(port_map[spec.name], copies))


def process_env(servers: Servers, port_map: dict[str, int], keys: Path, secret: str,
                copies: int = 1) -> dict[str, str]:
    subgraphs = ",".join(f"{spec.name}={subgraph_address(spec, port_map, copies)}" for spec in SERVICES)
    return {
        **os.environ,
        "HEROES_DATABASE_URL": servers.database_url,
        "HEROES_KAFKA_BOOTSTRAP_SERVERS": servers.bootstrap,
        "HEROES_ENVIRONMENT": os.environ.get("HEROES_ENVIRONMENT", "development"),
        "HEROES_JWKS_FILE": str(keys / "jwks.json"),
        "HEROES_GATEWAY_SECRET": secret,
        # Certificates name the local gateway, which serves their links (set it to share them).
        "HEROES_PUBLIC_URL": os.environ.get("HEROES_PUBLIC_URL", f"http://127.0.0.1:{port_map['gateway']}"),
        "GATEWAY_SUBGRAPHS": subgraphs,
        "PYTHONUNBUFFERED": "1",
    }


def write_subgraphs_file(path: Path, port_map: dict[str, int], copies: int = 1) -> None:
    """The gateway's subgraph list: our services' lines are rewritten, partners' lines are kept."""
    ours = {spec.name for spec in SERVICES}
    kept = []
    if path.exists():
        for line in path.read_text().splitlines():
            name = line.partition("=")[0].strip()
            if line.strip() and not line.startswith("#") and name not in ours:
                kept.append(line.strip())
    lines = ["# Subgraphs the gateway composes (name=url). Add a partner's line, then reload:",
             "#   curl -X POST http://127.0.0.1:8000/admin/reload"
             " -H \"X-Heroes-Gateway-Secret: $(cat .local/gateway-secret)\""]
    lines += [f"{spec.name}={subgraph_address(spec, port_map, copies)}" for spec in SERVICES] + kept
    path.write_text("\n".join(lines) + "\n")


def start_network(supervisor: Supervisor, port_map: dict[str, int], copies: int = 1) -> dict[str, str]:
    """Start every process; returns name -> readiness URL."""
    ready: dict[str, str] = {}
    for spec in SERVICES:
        for name, command in spec.processes(port_map[spec.name], copies).items():
            supervisor.start(name, command)
        for copy, port in enumerate(api_ports(port_map[spec.name], copies), start=1):
            ready[copy_name(spec.name, copy)] = f"http://127.0.0.1:{port}/readyz"
    supervisor.start("gateway", gateway_command(port_map["gateway"]))
    ready["gateway"] = f"http://127.0.0.1:{port_map['gateway']}/readyz"
    return ready


def wait_ready(supervisor: Supervisor, urls: dict[str, str], timeout: float = 120) -> None:
    pending = dict(urls)
    deadline = time.monotonic() + timeout
    last_report = 0.0
    while pending:
        for name, url in list(pending.items()):
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    detail(f"{name} is ready")
                    del pending[name]
            except httpx.HTTPError:
                pass
        crashed = supervisor.failures()
        if crashed:
            names = ", ".join(f"{name} ({describe_exit(code)}, log {supervisor.log_file(name)})"
                              for name, code in crashed.items())
            raise RuntimeError(f"a process stopped while starting: {names}")
        if not pending:
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"not ready after {timeout:.0f}s: {', '.join(pending)}; "
                               f"see {supervisor.run_dir / 'logs'}")
        if time.monotonic() - last_report > 10:
            detail(f"waiting for {', '.join(pending)} ...")
            last_report = time.monotonic()
        time.sleep(0.5)


def seed(env: dict[str, str]) -> dict[str, Any]:
    """Run each service's idempotent demo seed; returns what the seeds report (demo member ids,
    the demo accounts to sign in as)."""
    reported: dict[str, Any] = {}
    for spec in SERVICES:
        if not (spec.directory / spec.name / "seed.py").exists():
            continue
        with step(f"Seeding demo data in {spec.name}"):
            result = subprocess.run(  # noqa: S603 - our own module
                [sys.executable, "-m", f"{spec.name}.seed"], env=env, cwd=REPO,
                capture_output=True, text=True, check=False,
            )
            if result.returncode != 0:
                raise RuntimeError(f"seeding {spec.name} failed:\n{result.stderr[-3000:]}")
            for line in result.stderr.splitlines():
                if line.startswith("seed:"):
                    detail(line.removeprefix("seed:").strip())
            if result.stdout.strip():
                reported.update(json.loads(result.stdout))
    return reported


def run() -> int:
    port_map = ports()
    if _running_devstack() is not None:
        say("The network is already running (stop it with Ctrl-C in its terminal, or `make stop`).")
        return 1
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    OWNER_PID.write_text(str(os.getpid()))
    if (RUN_DIR / "pids.json").exists():
        stopped = stop_recorded(RUN_DIR)
        if stopped:
            detail(f"stopped processes left from an earlier run: {', '.join(stopped)}")
    supervisor = Supervisor(RUN_DIR, dict(os.environ), REPO)
    stopping = False

    def request_stop(_sig: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    try:
        servers = start_servers(
            LOCAL, pg_port=port_map["postgres"], kafka_port=port_map["kafka"],
            controller_port=port_map["kafka_controller"], durable=True, supervisor=supervisor,
        )
        # From here on a process that stops is restarted, servers included (see processes.py).
        supervisor.watch()
        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        keys = LOCAL / "keys"
        init_keys(keys)
        secret = gateway_secret(LOCAL)
        prepare_databases(servers.database_url)
        prepare_topics(servers.bootstrap)
        copies = instances()
        env = process_env(servers, port_map, keys, secret, copies)
        subgraphs_file = LOCAL / "subgraphs.txt"
        write_subgraphs_file(subgraphs_file, port_map, copies)
        env["GATEWAY_SUBGRAPHS_FILE"] = str(subgraphs_file)
        supervisor.env = env
        with step("Starting the services, relays, consumers and gateway"):
            urls = start_network(supervisor, port_map, copies)
            wait_ready(supervisor, urls)
        demo = seed(env)
        sign_in = SignIn(
            gateway_url=f"http://127.0.0.1:{port_map['gateway']}/graphql", oidc_port=port_map["oidc"],
            portal_port=port_map["portal"], keys_dir=keys, accounts_file=RUN_DIR / "demo-accounts.json",
            session_secret=local_secret(LOCAL, "portal-session-secret"),
        )
        write_accounts(sign_in.accounts_file, demo.get("demo_accounts", []))
        with step("Starting the sign-in service and the portal"):
            wait_ready(supervisor, sign_in.start(supervisor, env))
        print_welcome(port_map, keys, demo, sign_in)
        while not stopping:
            time.sleep(0.5)
        return 0
    finally:
        say("Stopping the network")
        supervisor.stop_all()
        OWNER_PID.unlink(missing_ok=True)


def print_welcome(port_map: dict[str, int], keys: Path, demo: dict[str, Any], sign_in: SignIn) -> None:
    network = NetworkSettings()
    gateway = f"http://127.0.0.1:{port_map['gateway']}/graphql"
    say("The MAC Heroes network is running.")
    print(f"\n  Portal: {sign_in.portal_url}/  (sign in there as one of the demo accounts below)")
    print(f"  Development sign-in service (OpenID Connect): {sign_in.oidc_url}/.well-known/openid-configuration")
    print_accounts(demo.get("demo_accounts", []))
    print(f"\n  GraphQL API and GraphiQL: {gateway}", flush=True)
    if "demo_member_id" in demo:
        token = mint(
            keys,
            member_id=UUID(demo["demo_member_id"]),
            organisation_id=UUID(demo["demo_organisation_id"]) if demo.get("demo_organisation_id") else None,
            roles=demo.get("demo_roles", "hero").split(","),
            issuer=network.jwt_issuer,
            audience=network.jwt_audience,
        )
        print(f"  Demo sign-in ({demo.get('demo_description', 'demo member')}), valid 12 hours.")
        print("  Paste into GraphiQL's headers panel:\n")
        print(json.dumps({"Authorization": f"Bearer {token}"}))
    print("\n  Logs: .local/run/logs/")
    print("  Restarts, and what is down: .local/run/metrics.prom")
    print("  Stop: Ctrl-C (or `make stop` in another terminal)\n", flush=True)


def print_accounts(accounts: list[dict[str, str]]) -> None:
    if not accounts:
        return
    from devstack.oidc.members import ROLE_NAMES

    print("  Demo accounts to sign in as:")
    width = max(len(account["name"]) for account in accounts)
    for account in accounts:
        role = ROLE_NAMES.get(account["role"], account["role"])
        print(f"    {account['name']:<{width}}  {role:<21}  {account['organisation']}")


def _running_devstack() -> psutil.Process | None:
    """The `make run` process of this checkout, if one is running."""
    try:
        process = psutil.Process(int(OWNER_PID.read_text()))
        if process.is_running() and "devstack" in " ".join(process.cmdline()):
            return process
    except (FileNotFoundError, ValueError, psutil.Error):
        pass
    return None


def stop() -> int:
    """Stop a network started by `make run`, from any terminal."""
    owner = _running_devstack()
    if owner is not None:
        # Ask `make run` itself to stop, so it does not restart what we stop.
        say("Asking the running network to stop")
        owner.send_signal(signal.SIGTERM)
        try:
            owner.wait(90)
            detail("stopped")
            return 0
        except psutil.TimeoutExpired:
            # Kill it first, so its supervisor cannot restart what we stop next.
            detail("it did not stop within 90s; stopping its processes directly")
            owner.kill()
    say("Stopping the service processes")
    stopped = stop_recorded(RUN_DIR)
    detail(f"stopped: {', '.join(stopped)}" if stopped else "none were running")
    port_map = ports()
    from devstack.kafka import EmbeddedKafka, cluster
    from devstack.postgres import EmbeddedPostgres
    from devstack.servers import broker_count, cache_root, cluster_ports

    count = broker_count()
    nodes = [EmbeddedKafka(LOCAL / "kafka", port_map["kafka"], port_map["kafka_controller"], cache_root())]
    if count > 1:
        nodes = cluster(LOCAL / "kafka-cluster",
                        *cluster_ports(count, port_map["kafka"], port_map["kafka_controller"]), cache_root())
    Servers(
        "", "", EmbeddedPostgres(LOCAL / "postgres" / "data", port_map["postgres"]), nodes[0], tuple(nodes),
    ).stop()
    return 0
