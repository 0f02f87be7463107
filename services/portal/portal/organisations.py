"""The organisations one portal deployment serves: their branding and their identity provider.

Each organisation is reached by host name (`hosts`) or by path prefix (`/o/<slug>/...`); the
first one listed is the default. From `PORTAL_ORGANISATIONS_FILE` (TOML):

    [[organisation]]
    slug = "riverside"
    name = "Riverside University Hospitals"
    hosts = ["heroes.riverside.nhs.example"]
    primary_colour = "#005EB8"
    accent_colour = "#41B6E6"
    logo_url = "/static/logos/riverside.svg"
    oidc_issuer_url = "https://login.riverside.nhs.example"
    oidc_client_id = "heroes-portal"

or, for one organisation, from PORTAL_ORGANISATION_NAME, PORTAL_OIDC_ISSUER_URL and
PORTAL_OIDC_CLIENT_ID.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from portal.settings import Settings

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")


@dataclass(frozen=True)
class Organisation:
    slug: str
    name: str
    oidc_issuer_url: str
    oidc_client_id: str
    hosts: tuple[str, ...] = ()
    primary_colour: str = "#005EB8"  # NHS blue
    accent_colour: str = "#41B6E6"
    logo_url: str | None = None


@dataclass(frozen=True)
class Organisations:
    all: tuple[Organisation, ...]
    by_slug: dict[str, Organisation] = field(default_factory=dict)

    @property
    def default(self) -> Organisation:
        return self.all[0]

    def for_host(self, host: str) -> Organisation | None:
        name = host.split(":")[0].lower()
        return next((o for o in self.all if name in o.hosts), None)


class ConfigurationError(ValueError):
    """The organisations file says something the portal cannot use; the message says what."""


def load_organisations(settings: Settings) -> Organisations:
    if settings.organisations_file:
        entries = tomllib.loads(Path(settings.organisations_file).read_text()).get("organisation", [])
        found = tuple(_organisation(entry) for entry in entries)
    elif settings.oidc_issuer_url:
        found = (Organisation(slug="network", name=settings.organisation_name,
                              oidc_issuer_url=settings.oidc_issuer_url, oidc_client_id=settings.oidc_client_id),)
    else:
        raise ConfigurationError("Set PORTAL_OIDC_ISSUER_URL (or PORTAL_ORGANISATIONS_FILE): people need an "
                                 "identity provider to sign in with.")
    if not found:
        raise ConfigurationError("The organisations file lists no [[organisation]].")
    slugs = [o.slug for o in found]
    if len(set(slugs)) != len(slugs):
        raise ConfigurationError("Two organisations in the organisations file share a slug.")
    return Organisations(found, {o.slug: o for o in found})


def _organisation(entry: dict[str, object]) -> Organisation:
    hosts = cast("Iterable[object]", entry.get("hosts", []) or [])  # TOML gives a list of host names
    try:
        made = Organisation(
            slug=str(entry["slug"]), name=str(entry["name"]), oidc_issuer_url=str(entry["oidc_issuer_url"]),
            oidc_client_id=str(entry.get("oidc_client_id", "heroes-portal")),
            hosts=tuple(str(h).lower() for h in hosts),
            primary_colour=str(entry.get("primary_colour", "#005EB8")),
            accent_colour=str(entry.get("accent_colour", "#41B6E6")),
            logo_url=str(entry["logo_url"]) if entry.get("logo_url") else None,
        )
    except KeyError as missing:
        raise ConfigurationError(f"An organisation in the organisations file has no {missing}.") from missing
    if not _SLUG.match(made.slug):
        raise ConfigurationError(f"Organisation slug {made.slug!r} must be lower-case letters, digits and dashes.")
    for colour in (made.primary_colour, made.accent_colour):
        if not _COLOUR.match(colour):
            raise ConfigurationError(f"Colour {colour!r} of {made.slug} must look like #005EB8.")
    return made
