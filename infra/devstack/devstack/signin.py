"""Signing in on a local network: the development OpenID provider and, once it exists, the portal.

Used by `make run` and by the browser tests, so both start them the same way. The portal reads
`PORTAL_*` variables; the provider reads `DEVOIDC_*` ones; both also get the network's
`HEROES_*` variables (issuer, audience, environment) from the base environment.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devstack.processes import Program, Supervisor
from devstack.services import oidc_command, portal_command

PORTAL_CLIENT_ID = "heroes-portal"
OIDC_PROCESS = "dev-oidc"
PORTAL_PROCESS = "portal"


@dataclass(frozen=True, slots=True)
class SignIn:
    """Where the sign-in service and the portal listen, and how to start them."""

    gateway_url: str  # the gateway's GraphQL endpoint
    oidc_port: int
    portal_port: int
    keys_dir: Path
    accounts_file: Path
    session_secret: str
    # More clients (client id -> registration), e.g. a test's own callback.
    extra_clients: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @property
    def oidc_url(self) -> str:
        return f"http://127.0.0.1:{self.oidc_port}"

    @property
    def portal_url(self) -> str:
        return f"http://127.0.0.1:{self.portal_port}"

    def clients(self) -> dict[str, dict[str, list[str]]]:
        portal = {
            "redirect_uris": [f"{self.portal_url}/auth/callback"],
            "post_logout_redirect_uris": [f"{self.portal_url}/"],
        }
        return {PORTAL_CLIENT_ID: portal, **self.extra_clients}

    def oidc_env(self) -> dict[str, str]:
        return {
            "DEVOIDC_PUBLIC_URL": self.oidc_url,
            "DEVOIDC_KEYS_DIR": str(self.keys_dir),
            "DEVOIDC_GATEWAY_URL": self.gateway_url,
            "DEVOIDC_CLIENTS": json.dumps(self.clients()),
            "DEVOIDC_ACCOUNTS_FILE": str(self.accounts_file),
        }

    def portal_env(self) -> dict[str, str]:
        return {
            "PORTAL_GATEWAY_URL": self.gateway_url,
            "PORTAL_OIDC_ISSUER_URL": self.oidc_url,
            "PORTAL_OIDC_CLIENT_ID": PORTAL_CLIENT_ID,
            "PORTAL_PUBLIC_URL": self.portal_url,
            "PORTAL_SESSION_SECRET": self.session_secret,
        }

    def start(self, supervisor: Supervisor, base_env: dict[str, str]) -> dict[str, str]:
        """Start the provider and the portal; returns name -> readiness URL."""
        supervisor.start_program(
            Program(OIDC_PROCESS, oidc_command(self.oidc_port), env={**base_env, **self.oidc_env()})
        )
        supervisor.start_program(
            Program(PORTAL_PROCESS, portal_command(self.portal_port), env={**base_env, **self.portal_env()})
        )
        return {OIDC_PROCESS: f"{self.oidc_url}/healthz", PORTAL_PROCESS: f"{self.portal_url}/healthz"}


def write_accounts(path: Path, accounts: list[dict[str, Any]]) -> None:
    """The demo accounts the sign-in page offers (what membership's seed reported)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(accounts, indent=2))
