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

    def processes(self, port: int) -> dict[str, list[str]]:
        python = sys.executable
        commands = {
            f"{self.name}-api": [
                python, "-m", "uvicorn", f"{self.name}.api:create_app", "--factory",
                "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
                "--timeout-graceful-shutdown", "5",
            ],
            f"{self.name}-relay": [python, "-m", "servicekit.relay", self.name],
        }
        if self.consumes:
            commands[f"{self.name}-consumer"] = [python, "-m", f"{self.name}.consumers"]
        return commands


SERVICES = (
    ServiceSpec("membership", port_offset=1, consumes=False),
    ServiceSpec("projects", port_offset=2, consumes=True),
    ServiceSpec("recognition", port_offset=3, consumes=True),
)


def gateway_command(port: int) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", "gateway.app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
        "--timeout-graceful-shutdown", "5",
    ]
