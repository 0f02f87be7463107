"""A real Apache Kafka broker (KRaft, single node) run from Maven-resolved `org.apache.kafka` jars."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import psutil

from devstack.console import detail, say
from devstack.processes import SERVERS_TIER, Program

KAFKA_VERSION = os.environ.get("HEROES_KAFKA_VERSION", "4.1.1")
INFRA_KAFKA = Path(__file__).resolve().parents[2] / "kafka"


def jar_cache(cache_root: Path, version: str = KAFKA_VERSION) -> Path:
    return cache_root / f"kafka-{version}" / "libs"


def ensure_jars(cache_root: Path, version: str = KAFKA_VERSION) -> Path:
    """Resolve the broker's jars with Maven once; later calls reuse the cache folder."""
    libs = jar_cache(cache_root, version)
    marker = libs / ".complete"
    if marker.exists():
        return libs
    if shutil.which("mvn") is None:
        raise RuntimeError("Maven (mvn) is needed to fetch the Kafka broker jars; please install it.")
    say(f"Resolving Apache Kafka {version} jars with Maven into {libs} (first time only)")
    libs.mkdir(parents=True, exist_ok=True)
    command = [
        "mvn", "-B", "--no-transfer-progress", "-f", str(INFRA_KAFKA / "pom.xml"),
        f"-Dkafka.version={version}", "dependency:copy-dependencies",
        f"-DoutputDirectory={libs}", "-DincludeScope=runtime",
    ]
    process = subprocess.Popen(  # noqa: S603 - fixed command
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    copied = 0
    output: list[str] = []
    for line in process.stdout:
        output.append(line)
        if "Copying" in line:
            copied += 1
            if copied % 10 == 0:
                detail(f"{copied} jars copied ...")
    if process.wait() != 0:
        raise RuntimeError("Maven could not resolve the Kafka jars:\n" + "".join(output[-40:]))
    detail(f"{copied} jars ready")
    marker.write_text(version)
    return libs


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """Distinct free loopback ports: every probe socket stays open until all are chosen, so the
    system cannot hand out the same port twice before the servers that will use them bind."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


@dataclass
class EmbeddedKafka:
    """One KRaft node (broker and controller in one process) with its data in `home`, listening
    on 127.0.0.1:`port`. Alone by default; one of a cluster when given its `node_id`, the
    cluster's controller `voters` and `cluster_size` (see `cluster`)."""

    home: Path
    port: int
    controller_port: int
    cache_root: Path
    heap: str = "768m"
    node_id: int = 1
    voters: str | None = None  # "1@127.0.0.1:port,2@..."; this node alone when None
    cluster_size: int = 1
    name: str = "kafka"
    cluster_id_file: Path | None = None  # shared by a cluster's nodes; this node's own when None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.home / "server.log"

    @property
    def _properties(self) -> Path:
        return self.home / "server.properties"

    @property
    def _pid_file(self) -> Path:
        return self.home / "kafka.pid"

    def start(self, timeout: float = 90) -> None:
        """Start the broker unless it runs, unsupervised; returns when it accepts connections."""
        if self.is_running():
            return
        command = self.prepare()
        with self.log_file.open("ab") as log:
            process = subprocess.Popen(  # noqa: S603 - fixed java command
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        self._pid_file.write_text(str(process.pid))
        deadline = time.monotonic() + timeout
        while not self.ready():
            if process.poll() is not None:
                raise RuntimeError(f"Kafka exited at start; see {self.log_file}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kafka did not open port {self.port} in {timeout:.0f}s; see {self.log_file}")
            time.sleep(0.2)

    def prepare(self) -> list[str]:
        """Fetch the jars, write the configuration and format the storage once; returns the
        command that runs the broker. Fails when one of our ports is taken."""
        libs = ensure_jars(self.cache_root)
        self.home.mkdir(parents=True, exist_ok=True)
        self._write_properties()
        self._format_once(libs)
        if port_open(self.port) or port_open(self.controller_port):
            raise RuntimeError(
                f"port {self.port} or {self.controller_port} is already in use; "
                "stop what uses it or choose other ports (see README, Troubleshooting)"
            )
        return self._java(libs, "kafka.Kafka", str(self._properties))

    def program(self) -> Program:
        """The broker as a supervised program: every restart uses the same data and ports."""
        return Program(
            self.name, self.prepare(), env=dict(os.environ), cwd=self.home, log_file=self.log_file,
            stop_timeout=30, tier=SERVERS_TIER,
            after_start=self._record_pid,
        )

    def _record_pid(self, pid: int) -> None:
        """For `make stop` when no `make run` is left to ask (see `stop`)."""
        self._pid_file.write_text(str(pid))

    def ready(self) -> bool:
        return port_open(self.port)

    def stop(self, timeout: float = 30) -> None:
        process = self._process()
        if process is None:
            return
        process.send_signal(signal.SIGTERM)
        if not _gone(process, timeout):
            process.kill()
            _gone(process, 10)
        self._pid_file.unlink(missing_ok=True)

    def kill(self) -> None:
        """Stop abruptly, as a crash would."""
        process = self._process()
        if process is not None:
            process.kill()
            _gone(process, 10)
        self._pid_file.unlink(missing_ok=True)

    def is_running(self) -> bool:
        return self._process() is not None

    def _process(self) -> psutil.Process | None:
        try:
            pid = int(self._pid_file.read_text())
            process = psutil.Process(pid)
            if (
                process.is_running()
                and process.status() != psutil.STATUS_ZOMBIE
                and str(self._properties) in " ".join(process.cmdline())
            ):
                return process
        except (FileNotFoundError, ValueError, psutil.Error):
            pass
        return None

    def _write_properties(self) -> None:
        data = self.home / "data"
        # Internal topics as the network's own: three copies, two in sync, once there are three
        # nodes (a single node can only keep one).
        copies = min(3, self.cluster_size)
        in_sync = 2 if self.cluster_size >= 3 else 1
        self._properties.write_text(
            "\n".join(
                [
                    "process.roles=broker,controller",
                    f"node.id={self.node_id}",
                    f"controller.quorum.voters={self.voters or f'1@127.0.0.1:{self.controller_port}'}",
                    f"listeners=PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}",
                    f"advertised.listeners=PLAINTEXT://127.0.0.1:{self.port}",
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "inter.broker.listener.name=PLAINTEXT",
                    f"log.dirs={data}",
                    "num.partitions=3",
                    f"offsets.topic.replication.factor={copies}",
                    "offsets.topic.num.partitions=10",
                    f"transaction.state.log.replication.factor={copies}",
                    f"transaction.state.log.min.isr={in_sync}",
                    f"default.replication.factor={copies}",
                    f"min.insync.replicas={in_sync}",
                    "unclean.leader.election.enable=false",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=false",
                    "log.retention.hours=-1",
                    # After a crash the controller refuses the restarted broker until the dead
                    # one's session expires (9 s by default); one node on one machine can
                    # afford a short session, so a restart takes seconds, not ten or more.
                    "broker.heartbeat.interval.ms=1000",
                    "broker.session.timeout.ms=4000",
                    "",
                ]
            )
        )

    def _format_once(self, libs: Path) -> None:
        if (self.home / "data" / "meta.properties").exists():
            return
        cluster_file = self.cluster_id_file or self.home / "cluster.id"
        if not cluster_file.exists():
            # A Kafka cluster id is a base64url UUID of 22 characters.
            import base64

            cluster_file.write_text(base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("="))
        subprocess.run(  # noqa: S603 - fixed java command
            self._java(libs, "kafka.tools.StorageTool", "format", "-t",
                       cluster_file.read_text().strip(), "-c", str(self._properties)),
            check=True, capture_output=True,
        )

    def _java(self, libs: Path, main: str, *args: str) -> list[str]:
        java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
        return [
            java, "-Xms256m", f"-Xmx{self.heap}", "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={INFRA_KAFKA / 'log4j2.properties'}",
            f"-Dkafka.logs.dir={self.home}",
            "-cp", f"{libs}/*", main, *args,
        ]


def cluster(root: Path, ports: list[int], controller_ports: list[int], cache_root: Path,
            heap: str = "768m") -> list[EmbeddedKafka]:
    """Nodes of one KRaft cluster on loopback, each broker and controller (combined mode: the
    controller quorum is the same three processes, so losing one keeps a majority of two)."""
    voters = ",".join(f"{n}@127.0.0.1:{port}" for n, port in enumerate(controller_ports, start=1))
    root.mkdir(parents=True, exist_ok=True)
    return [
        EmbeddedKafka(root / f"node-{n}", port, controller_port, cache_root, heap=heap, node_id=n,
                      voters=voters, cluster_size=len(ports), name=f"kafka-{n}",
                      cluster_id_file=root / "cluster.id")
        for n, (port, controller_port) in enumerate(zip(ports, controller_ports, strict=True), start=1)
    ]


def _gone(process: psutil.Process, timeout: float) -> bool:
    """Wait for `process` to end; a zombie (ended, not yet reaped by its parent) counts as ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            process.wait(0.2)
            return True
        except psutil.TimeoutExpired:
            try:
                if process.status() == psutil.STATUS_ZOMBIE:
                    return True
            except psutil.NoSuchProcess:
                return True
        except psutil.NoSuchProcess:
            return True
    return False
