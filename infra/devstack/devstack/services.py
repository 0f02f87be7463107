"""The processes that make up the network, and how each is started."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    """A domain service: its API, its outbox relay and (when it consumes events) its consumer."""

    name: str
    port_offset: int
    consumes: bool

    @property
    def directory(self) -> Path:
        return REPO / "services" / self.name

    def processes(self, port: int, instances: int = 1) -> dict[str, list[str]]:
        """Its processes by name. With `instances` > 1: that many API copies (on `api_ports`)
        and consumers (one consumer group, partitions shared out), and a standby relay that
        takes over when the active one stops (one relay sends at a time, keeping per-key order)."""
        python = sys.executable
        commands = {
            copy_name(f"{self.name}-api", copy): [
                python, "-m", "uvicorn", f"{self.name}.api:create_app", "--factory",
                "--host", "127.0.0.1", "--port", str(api_port), "--no-access-log",
                "--timeout-graceful-shutdown", "5",
            ]
            for copy, api_port in enumerate(api_ports(port, instances), start=1)
        }
        commands[f"{self.name}-relay"] = [python, "-m", "servicekit.relay", self.name]
        if instances > 1:
            commands[f"{self.name}-relay-standby"] = [python, "-m", "servicekit.relay", self.name]
        if self.consumes:
            for copy in range(1, instances + 1):
                commands[copy_name(f"{self.name}-consumer", copy)] = [python, "-m", f"{self.name}.consumers"]
        return commands


def copy_name(name: str, copy: int) -> str:
    return name if copy == 1 else f"{name}-{copy}"


def api_ports(port: int, instances: int) -> list[int]:
    """Copy n of an API listens 100 ports above copy n - 1 (8002, 8102, 8202 ...)."""
    return [port + 100 * copy for copy in range(instances)]


SERVICES = (
    ServiceSpec("membership", port_offset=1, consumes=False),
    ServiceSpec("projects", port_offset=2, consumes=True),
    ServiceSpec("recognition", port_offset=3, consumes=True),
)


# The web portal (services/portal) and the development OpenID provider people sign in with.
PORTAL_PORT_OFFSET = 4  # the next port after the last domain service
OIDC_PORT_OFFSET = 5
PORTAL_APP = "portal.app:create_app"  # the portal's app factory, as uvicorn names it
OIDC_APP = "devstack.oidc.app:create_app"


def gateway_command(port: int) -> list[str]:
    return uvicorn_command("gateway.app:create_app", port)


def portal_command(port: int) -> list[str]:
    return uvicorn_command(PORTAL_APP, port)


def oidc_command(port: int) -> list[str]:
    return uvicorn_command(OIDC_APP, port)


def uvicorn_command(factory: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", factory, "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
        "--timeout-graceful-shutdown", "5",
    ]
