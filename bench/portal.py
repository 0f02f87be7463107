"""Portal benchmark (not a test): how long each page takes to render on the demo data.

Run with `.venv/bin/python -m devstack bench bench/portal.py` (isolated PostgreSQL and Kafka).
Starts the whole network with the demo seed, the development sign-in service and the portal on
free loopback ports, signs in through the real OpenID Connect flow (as Asha, a coordinator, and
as Sam, a nurse), then loads every page one at a time, as a person would, and prints per page:
  - p50 and p95 of the time from sending the request to having the whole page (the portal's
    server render, gateway and subgraph calls included; loopback, so no network time);
  - the portal's own CPU per page, read from /proc (steadier than times on a shared machine);
  - gateway requests per page, read from the gateway's metrics (want: 1, at most 2; no N+1).
Target (issue #12): server render p50 under 150 ms on every page.
"""

from __future__ import annotations

import os
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import httpx

sys.path[0] = str(Path(__file__).resolve().parents[1])  # import bench.* rather than shadowing packages

from devstack.kafka import free_ports  # noqa: E402
from devstack.processes import Supervisor  # noqa: E402
from devstack.run import process_env, seed, start_network, wait_ready  # noqa: E402
from devstack.servers import Servers, prepare_databases, prepare_topics  # noqa: E402
from devstack.services import REPO, SERVICES  # noqa: E402
from devstack.signin import PORTAL_PROCESS, SignIn, write_accounts  # noqa: E402
from servicekit.tokens import init_keys  # noqa: E402

LOADS = 40  # timed loads of each page, after WARM_UP untimed ones
WARM_UP = 3
TARGET_P50_MS = 150.0
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Timing:
    page: str
    who: str
    millis: list[float]
    cpu_ms: float
    gateway_requests: float

    def line(self) -> str:
        ordered = sorted(self.millis)
        p50, p95 = statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]
        verdict = "ok" if p50 < TARGET_P50_MS else "SLOW"
        page = re.sub(UUID, "{id}", self.page)
        return (f"{page:<34} {self.who:<7} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   "
                f"portal CPU {self.cpu_ms:6.2f} ms   gateway requests {self.gateway_requests:4.1f}   {verdict}")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def gateway_requests(metrics_url: str) -> float:
    text = httpx.get(metrics_url, timeout=10).text
    return sum(float(value) for value in re.findall(
        r'heroes_http_requests_total\{[^}]*path="/graphql"[^}]*\} ([0-9.e+]+)', text))


def signed_in(portal: str, member_id: str) -> httpx.Client:
    """A client holding a portal session, made by the development provider's sign-in form."""
    client = httpx.Client(base_url=portal, timeout=30, follow_redirects=True)
    form_page = client.get("/auth/sign-in", params={"next": "/"})
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form_page.text))
    done = client.post(str(form_page.url.copy_with(query=None)),
                       data={**{k: unescape(v) for k, v in hidden.items()}, "member_id": member_id})
    if done.status_code != 200 or not str(done.url).startswith(portal):
        raise RuntimeError(f"signing in as {member_id} failed: {done.status_code} {done.url}")
    return client


def first_link(client: httpx.Client, page: str, pattern: str) -> str:
    found = re.search(pattern, client.get(page).text)
    if not found:
        raise RuntimeError(f"no link like {pattern} on {page}")
    return found.group(0).rstrip('"')


def time_page(client: httpx.Client, who: str, path: str, pid: int, metrics_url: str) -> Timing:
    for _ in range(WARM_UP):
        client.get(path).raise_for_status()
    before_requests, before_cpu = gateway_requests(metrics_url), cpu_seconds(pid)
    millis = []
    for _ in range(LOADS):
        started = time.perf_counter()
        response = client.get(path)
        millis.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    cpu = (cpu_seconds(pid) - before_cpu) * 1000 / LOADS
    requests = (gateway_requests(metrics_url) - before_requests) / LOADS
    return Timing(path, who, millis, cpu, requests)


def pages(asha: httpx.Client, sam: httpx.Client) -> list[tuple[str, httpx.Client, str]]:
    project = first_link(sam, "/projects", rf"/projects/{UUID}")
    person = first_link(sam, project, rf"/people/{UUID}")
    erase = first_link(asha, "/coordinator/members", rf"/coordinator/members/{UUID}/erase")
    anyone = httpx.Client(base_url=str(sam.base_url), timeout=30)
    return [
        ("anyone", anyone, "/"), ("anyone", anyone, "/glossary"), ("anyone", anyone, "/projects"),
        ("sam", sam, "/"), ("sam", sam, "/wall"), ("sam", sam, "/wall?scope=network"), ("sam", sam, "/projects"),
        ("sam", sam, "/projects?q=falls"), ("sam", sam, project), ("sam", sam, "/me"), ("sam", sam, person),
        ("sam", sam, "/impact"),
        ("asha", asha, "/coordinator"), ("asha", asha, "/coordinator/invite"),
        ("asha", asha, "/coordinator/nominations"), ("asha", asha, "/coordinator/pulse"),
        ("asha", asha, "/coordinator/members"), ("asha", asha, erase),
    ]


def measure(portal: str, accounts: dict[str, str], pid: int, metrics_url: str,
            report: Callable[[str], None]) -> list[Timing]:
    asha = signed_in(portal, accounts["Asha"])
    sam = signed_in(portal, accounts["Sam"])
    timings = []
    for who, client, path in pages(asha, sam):
        timing = time_page(client, who, path, pid, metrics_url)
        report(timing.line())
        timings.append(timing)
    return timings


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="bench-portal-"))
    keys = root / "keys"
    init_keys(keys)
    servers = Servers(os.environ["HEROES_DATABASE_URL"], os.environ["HEROES_KAFKA_BOOTSTRAP_SERVERS"])
    prepare_databases(servers.database_url)
    prepare_topics(servers.bootstrap)
    ports = dict(zip(["gateway", *(spec.name for spec in SERVICES)], free_ports(1 + len(SERVICES)), strict=True))
    env = {**process_env(servers, ports, keys, secrets.token_urlsafe(16)), "HEROES_LOG_LEVEL": "WARNING",
           "HEROES_ENVIRONMENT": "production"}
    supervisor = Supervisor(root / "run", env, REPO)
    try:
        wait_ready(supervisor, start_network(supervisor, ports))
        demo = seed(env)
        oidc_port, portal_port = free_ports(2)
        sign_in = SignIn(gateway_url=f"http://127.0.0.1:{ports['gateway']}/graphql", oidc_port=oidc_port,
                         portal_port=portal_port, keys_dir=keys, accounts_file=root / "demo-accounts.json",
                         session_secret=secrets.token_urlsafe(32))
        write_accounts(sign_in.accounts_file, demo.get("demo_accounts", []))
        wait_ready(supervisor, sign_in.start(supervisor, env))
        accounts = {account["name"].split()[0]: account["member_id"] for account in demo["demo_accounts"]}
        pid = supervisor.pid(PORTAL_PROCESS)
        assert pid is not None, "the portal is not running"
        print(f"Portal pages on the demo data, one request at a time, {LOADS} loads each "
              f"(target: p50 under {TARGET_P50_MS:.0f} ms):")
        timings = measure(sign_in.portal_url, accounts, pid, f"http://127.0.0.1:{ports['gateway']}/metrics",
                          lambda line: print("  " + line, flush=True))
        slowest = max(timings, key=lambda timing: statistics.median(timing.millis))
        most = max(timing.gateway_requests for timing in timings)
        print(f"\nSlowest page: {slowest.page} ({slowest.who}), p50 {statistics.median(slowest.millis):.1f} ms; "
              f"at most {most:.1f} gateway requests on one page.")
        print("All pages under target." if statistics.median(slowest.millis) < TARGET_P50_MS
              else "Some pages are over target.")
    finally:
        supervisor.stop_all()


if __name__ == "__main__":
    main()
