"""Who may sign in: the demo accounts to offer, and membership's word (through the gateway) on
a member's organisation, role and status at the moment they sign in."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
from servicekit.tokens import mint

from devstack.oidc.grants import SignedIn

ROLE_NAMES = {
    "hero": "Hero",
    "coordinator": "Coordinator",
    "sponsor": "Sponsor",
    "network_admin": "Network administrator",
}
ME = "{ me { id displayName status networkRole organisation { id } } }"
LOOKUP_TTL_SECONDS = 60


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """An account offered on the sign-in page (what the demo seed made)."""

    member_id: UUID
    name: str
    organisation: str
    role: str  # hero, coordinator, sponsor, network_admin

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role.replace("_", " ").capitalize())


class SignInRefused(Exception):
    """The member cannot sign in; the message is for the person at the sign-in page."""


def load_accounts(path: Path | None) -> list[DemoAccount]:
    """The demo accounts in `path` (a JSON list of {member_id, name, organisation, role}); none
    when the file is not there (yet)."""
    if path is None or not path.exists():
        return []
    return [
        DemoAccount(UUID(entry["member_id"]), entry["name"], entry["organisation"], entry["role"])
        for entry in json.loads(path.read_text())
    ]


@dataclass(frozen=True, slots=True)
class Membership:
    """Asks the gateway who a member is, with a short-lived hero token minted for them."""

    http: httpx.AsyncClient
    gateway_url: str
    keys_dir: Path
    issuer: str
    audience: str

    async def look_up(self, member_id: UUID) -> SignedIn:
        """The member as they sign in; raises SignInRefused unless membership says they are
        active."""
        token = mint(
            self.keys_dir,
            member_id=member_id,
            organisation_id=None,
            roles=["hero"],
            issuer=self.issuer,
            audience=self.audience,
            ttl_seconds=LOOKUP_TTL_SECONDS,
        )
        body = await self._ask(token)
        me = (body.get("data") or {}).get("me")
        if me is None:
            if body.get("errors"):
                raise SignInRefused(self._unavailable(body["errors"]))
            raise SignInRefused("There is no member of the network with that id.")
        if me["status"] != "ACTIVE":
            raise SignInRefused(
                f"This membership is {me['status'].lower()}, so it cannot be used to sign in."
            )
        role = me["networkRole"].lower()
        organisation = me.get("organisation") or {}
        return SignedIn(
            member_id=UUID(me["id"]),
            organisation_id=UUID(organisation["id"]) if organisation.get("id") else None,
            roles=("hero",) if role == "hero" else ("hero", role),
            name=me["displayName"],
        )

    async def display_name(self, access_token: str) -> str | None:
        """The name of the member an access token names, as the network shows it to them."""
        me = ((await self._ask(access_token)).get("data") or {}).get("me")
        return None if me is None else str(me["displayName"])

    async def _ask(self, token: str) -> dict[str, Any]:
        try:
            response = await self.http.post(
                self.gateway_url, json={"query": ME}, headers={"authorization": f"Bearer {token}"}
            )
            body: dict[str, Any] = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise SignInRefused(
                "The network is not answering right now, so we cannot check who you "
                "are. Please try again in a moment."
            ) from error
        return body

    @staticmethod
    def _unavailable(errors: list[dict[str, Any]]) -> str:
        codes = {str((error.get("extensions") or {}).get("code", "")) for error in errors}
        if codes & {"not_a_member", "member_not_active"}:
            return "There is no active member of the network with that id."
        return (
            "The network could not check who you are just now "
            f"({', '.join(sorted(code for code in codes if code)) or 'no reason given'}). "
            "Please try again in a moment."
        )
