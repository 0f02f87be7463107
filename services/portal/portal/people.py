"""Who is signed in, per organisation, as kept in the session cookie."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

import jwt
from fastapi import Request

from portal.organisations import Organisation

SESSION_KEY = "people"  # {organisation slug: Person as a dict}


@dataclass(frozen=True)
class Person:
    """The signed-in person, as their access token names them (the gateway checks the token)."""

    token: str
    member_id: str
    organisation_id: str | None
    name: str
    roles: tuple[str, ...]
    expires_at: float
    id_token: str | None = None

    @property
    def is_coordinator(self) -> bool:
        return "coordinator" in self.roles

    @property
    def is_network_admin(self) -> bool:
        return "network_admin" in self.roles

    @property
    def expired(self) -> bool:
        return time.time() >= self.expires_at - 30

    @classmethod
    def from_tokens(cls, access_token: str, id_token: str | None, name: str | None) -> Person:
        # Read, not trusted: the gateway and every service verify the token on each request.
        claims: dict[str, Any] = jwt.decode(access_token, options={"verify_signature": False})
        return cls(token=access_token, member_id=str(claims["sub"]), organisation_id=claims.get("org"),
                   name=name or "you", roles=tuple(claims.get("roles") or ()),
                   expires_at=float(claims.get("exp") or time.time() + 600), id_token=id_token)


def signed_in(request: Request, organisation: Organisation) -> Person | None:
    stored = (request.session.get(SESSION_KEY) or {}).get(organisation.slug)
    if not stored:
        return None
    person = Person(**{**stored, "roles": tuple(stored.get("roles") or ())})
    if person.expired:
        forget(request, organisation)
        return None
    return person


def remember(request: Request, organisation: Organisation, person: Person) -> None:
    people = dict(request.session.get(SESSION_KEY) or {})
    people[organisation.slug] = {**asdict(person), "roles": list(person.roles)}
    request.session[SESSION_KEY] = people


def forget(request: Request, organisation: Organisation) -> Person | None:
    people = dict(request.session.get(SESSION_KEY) or {})
    stored = people.pop(organisation.slug, None)
    request.session[SESSION_KEY] = people
    return Person(**{**stored, "roles": tuple(stored.get("roles") or ())}) if stored else None
