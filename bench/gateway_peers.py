"""Our gateway beside Apollo Gateway on the same subgraphs (not a test; issue #13).

Run with `.venv/bin/python bench/gateway_peers.py` (it needs no database or broker; `make bench`
runs it). It installs the pinned Apollo Gateway from npm under `.local/cache/` (the lock file of
the differential tests), starts the two small Strawberry subgraphs of bench/peer_subgraphs.py,
then Apollo Gateway (plain, as deployed) and ours on them, each one process. First it checks
that both answer every request of the run identically. Then, three times over, interleaved, it
sends each gateway REQUESTS requests per query at concurrency 16 with sixteen variable sets, and
prints for each: requests per second, p50, p99, the gateway process's CPU milliseconds per request
(from /proc; steadier than times on a shared machine) and its resident memory; then the medians
of ours/Apollo. Goal: CPU ratio at most 0.5, requests-per-second ratio at least 2.

`--profile`: instead, profile our gateway under the same load with py-spy (pip install py-spy)
and print where its time goes (inclusive and own share of samples per function); the raw samples
are kept in .local/bench/gateway-profile-<query>.txt.

Queries:
  two-subgraphs   topProducts { name price reviews { body stars } }          (2 fetches)
  three-fetches   topProducts { name reviews { body product { name } } }     (3 fetches)
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path[0] = str(REPO)  # import bench.* rather than shadowing packages
sys.path.insert(0, str(REPO / "services" / "gateway"))  # tests.reference.apollo

from devstack.kafka import free_ports  # noqa: E402
from gateway.execution.http1 import Http1Client  # noqa: E402
from tests.reference import apollo  # noqa: E402

from bench.harness import service_process  # noqa: E402

REQUESTS = 3000
CONCURRENCY = 16
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
QUERIES = {
    "two-subgraphs": "query Top($first: Int!, $skip: Int!) { topProducts(first: $first, skip: $skip) "
                     "{ upc name price reviews { id body stars } } }",
    "three-fetches": "query Loop($first: Int!, $skip: Int!) { topProducts(first: $first, skip: $skip) "
                     "{ name reviews { body product { upc name weight } } } }",
}
VARIABLES = [{"first": 3 + n % 3, "skip": n} for n in range(16)]


@dataclass
class Run:
    gateway: str
    query: str
    seconds: float
    latencies_ms: list[float]
    cpu_seconds: float
    rss_mb: float
    errors: int

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds

    @property
    def cpu_ms(self) -> float:
        return self.cpu_seconds * 1000 / len(self.latencies_ms)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]

    def line(self) -> str:
        return (f"{self.gateway:<7} {self.query:<14} {self.rps:7.1f} req/s   p50 {self.percentile(50):6.1f} ms   "
                f"p99 {self.percentile(99):6.1f} ms   CPU {self.cpu_ms:5.2f} ms/request   RSS {self.rss_mb:5.1f} MB"
                f"   errors {self.errors}")


def cpu_seconds(pid: int) -> float:
    """CPU of a process and its waited-for children (utime, stime, cutime, cstime)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / CLOCK_TICKS


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def listening_pid(port: int) -> int:
    """The process that listens on a loopback port (uvicorn may run the app in a child)."""
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            parts = row.split()
            if int(parts[1].rsplit(":", 1)[1], 16) == port and parts[3] == "0A":  # LISTEN
                inode = parts[9]
    assert inode is not None, f"nothing listens on {port}"
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) == f"socket:[{inode}]":
                    return int(proc.name)
        except OSError:
            continue
    raise LookupError(port)


async def load(url: str, query: str, total: int) -> tuple[float, list[float], int]:
    """`total` requests at CONCURRENCY, cycling through VARIABLES; (seconds, latencies, errors).
    The client is the gateway's own lean HTTP/1.1 client, so that the load client takes as little
    of the machine's two cores as it can from the processes measured."""
    bodies = [json.dumps({"query": query, "variables": v}).encode() for v in VARIABLES]
    latencies: list[float] = []
    errors = 0
    sent = 0
    client = Http1Client(pool_size=CONCURRENCY)

    async def worker() -> None:
        nonlocal errors, sent
        while sent < total:
            body = bodies[sent % len(bodies)]
            sent += 1
            started = time.perf_counter()
            answer, _ = await client.post(url, body, b"", timeout=30)
            latencies.append((time.perf_counter() - started) * 1000)
            if answer.status != 200 or b'"errors"' in answer.body:
                errors += 1

    try:
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        return time.perf_counter() - started, latencies, errors
    finally:
        await client.close()


def measure(name: str, url: str, pid: int, query_name: str) -> Run:
    asyncio.run(load(url, QUERIES[query_name], 200))  # warm-up: plans cached, connections open
    before = cpu_seconds(pid)
    seconds, latencies, errors = asyncio.run(load(url, QUERIES[query_name], REQUESTS))
    return Run(name, query_name, seconds, latencies, cpu_seconds(pid) - before, rss_mb(pid), errors)


def same_answers(urls: dict[str, str]) -> None:
    """Both gateways must answer every request of the run identically before anything is timed."""
    with httpx.Client(timeout=30) as client:
        for query_name, query in QUERIES.items():
            for variables in VARIABLES:
                answers = {name: client.post(url, json={"query": query, "variables": variables}).json()
                           for name, url in urls.items()}
                ours, theirs = answers["ours"], answers["apollo"]
                if ours != theirs or "errors" in ours:
                    raise SystemExit(f"{query_name} {variables}: the gateways differ:\n  ours:   {ours}\n"
                                     f"  apollo: {theirs}")


@contextmanager
def subgraphs() -> Iterator[dict[str, str]]:
    with ExitStack() as stack:
        yield {name: stack.enter_context(_subgraph(f"bench.peer_subgraphs:{name}_app")) + "/graphql"
               for name in ("products", "reviews")}


@contextmanager
def _subgraph(app: str) -> Iterator[str]:
    with service_process(app, {"PYTHONPATH": str(REPO)}, health="/graphql?query=%7B__typename%7D") as base:
        yield base


def profile(url: str, pid: int) -> None:
    """py-spy samples of our gateway under load, summarised per function."""
    spy = shutil.which("py-spy", path=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}")
    if spy is None:
        raise SystemExit("--profile needs py-spy: .venv/bin/pip install py-spy")
    out_dir = REPO / ".local" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    for query_name, query in QUERIES.items():
        asyncio.run(load(url, query, 200))
        raw = out_dir / f"gateway-profile-{query_name}.txt"
        recorder = subprocess.Popen([spy, "record", "-p", str(pid), "-r", "500", "-f", "raw", "-o", str(raw),  # noqa: S603
                                     "--nonblocking"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)
        asyncio.run(load(url, query, REQUESTS))
        recorder.send_signal(2)  # SIGINT: py-spy writes what it has
        recorder.wait(30)
        print(f"\n{query_name}: where our gateway's samples go ({raw}):")
        print(summarise(raw.read_text()))


def summarise(raw: str, top: int = 30) -> str:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, samples = line.rpartition(" ")
        if not samples.isdigit():
            continue
        frames = [frame.split(" (")[0] + " " + frame.rsplit("/", 1)[-1].split(":")[0].rstrip(")")
                  for frame in stack.split(";")]
        total += int(samples)
        own[frames[-1]] += int(samples)
        for frame in set(frames):
            inclusive[frame] += int(samples)
    lines = [f"  {'inclusive':>9} {'own':>6}  function"]
    for frame, count in inclusive.most_common(top):
        lines.append(f"  {100 * count / total:8.1f}% {100 * own[frame] / total:5.1f}%  {frame}")
    lines.append("  top own time:")
    for frame, count in own.most_common(15):
        lines.append(f"  {'':>9} {100 * count / total:5.1f}%  {frame}")
    return "\n".join(lines)


@contextmanager
def caches(upstreams: dict[str, str]) -> Iterator[dict[str, str]]:
    """A memoising proxy (bench/peer_cache.py) in front of each subgraph."""
    with ExitStack() as stack:
        urls = {}
        for name, upstream in upstreams.items():
            [port] = free_ports(1)
            process = subprocess.Popen([sys.executable, str(REPO / "bench" / "peer_cache.py"), upstream, str(port)],  # noqa: S603
                                       stdout=subprocess.PIPE, cwd=REPO)
            stack.callback(process.wait, 10)
            stack.callback(process.terminate)
            assert process.stdout is not None
            assert process.stdout.readline().strip() == b"ready"
            urls[name] = f"http://127.0.0.1:{port}/graphql"
        yield urls


def pin(pid: int, cpus: set[int]) -> None:
    """Every thread of a process onto `cpus`."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        os.sched_setaffinity(int(task.name), cpus)


@contextmanager
def gateways(urls: dict[str, str]) -> Iterator[tuple[dict[str, str], dict[str, int]]]:
    """Ours and Apollo Gateway (plain) over the same subgraphs: (name -> URL, name -> pid)."""
    env = {"GATEWAY_SUBGRAPHS": ",".join(f"{name}={url}" for name, url in urls.items()),
           "HEROES_ENVIRONMENT": "production", "GATEWAY_INTROSPECTION": "false"}
    node: list[int] = []
    with service_process("gateway.app:create_app", env, health="/readyz") as ours, \
            apollo.start({"peers": urls}, plain=True, processes=node, timeout=60) as started:
        yield ({"ours": f"{ours}/graphql", "apollo": started["peers"]},
               {"ours": listening_pid(int(ours.rsplit(":", 1)[1])), "apollo": node[0]})


def compare(title: str, urls: dict[str, str], pids: dict[str, int]) -> None:
    same_answers(urls)
    print(f"\n{title}\nBoth gateways answer all {len(QUERIES) * len(VARIABLES)} requests identically. "
          f"{REQUESTS} requests per query at concurrency {CONCURRENCY}, {ROUNDS} rounds, interleaved "
          f"(load average before: {os.getloadavg()[0]:.2f}; {os.cpu_count()} cores):")
    runs: list[Run] = []
    for round_number in range(1, ROUNDS + 1):
        for query_name in QUERIES:
            for name in ("apollo", "ours") if round_number % 2 else ("ours", "apollo"):
                run = measure(name, urls[name], pids[name], query_name)
                print(f"  round {round_number}  {run.line()}", flush=True)
                runs.append(run)
    print(f"Medians of ours / Apollo Gateway (load average now {os.getloadavg()[0]:.2f}):")

    def ratio(query_name: str, value: str) -> float:
        def median(gateway: str) -> float:
            return statistics.median(getattr(run, value) if value != "p99" else run.percentile(99)
                                     for run in runs if run.gateway == gateway and run.query == query_name)
        return median("ours") / median("apollo")

    for query_name in QUERIES:
        cpu = ratio(query_name, "cpu_ms")
        rps = ratio(query_name, "rps")
        p99 = ratio(query_name, "p99")
        rss = ratio(query_name, "rss_mb")
        print(f"  {query_name:<14} CPU per request {cpu:4.2f} (goal <= 0.5)   requests/s {rps:4.2f} (goal >= 2)   "
              f"p99 {p99:4.2f} (goal <= 1)   RSS {rss:4.2f}")


def main() -> None:
    with subgraphs() as urls:
        with gateways(urls) as (gateway_urls, pids):
            if "--profile" in sys.argv:
                same_answers(gateway_urls)
                profile(gateway_urls["ours"], pids["ours"])
                return
            compare("1. On the Strawberry subgraphs (everything shares the machine's cores):", gateway_urls, pids)
        with caches(urls) as cached, gateways(cached) as (gateway_urls, pids):
            everything_else = set(os.sched_getaffinity(0)) - {0}
            if everything_else:
                for pid in pids.values():
                    pin(pid, {0})
                pin(os.getpid(), everything_else)  # the load client; the caches and subgraphs run below
                for process in Path("/proc").iterdir():
                    if process.name.isdigit() and int(process.name) not in pids.values() and _ours_to_move(process):
                        pin(int(process.name), everything_else)
            compare("2. Gateway-bound: the subgraphs answered from memory by caching proxies; each gateway on "
                    "CPU 0, everything else on the other CPUs:", gateway_urls, pids)


def _ours_to_move(process: Path) -> bool:
    """The subgraphs and caching proxies of this benchmark."""
    try:
        command = (process / "cmdline").read_bytes()
    except OSError:
        return False
    return b"peer_subgraphs" in command or b"peer_cache.py" in command


if __name__ == "__main__":
    main()
