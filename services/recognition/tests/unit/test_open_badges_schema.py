"""Our Open Badges 3.0 schema says what 1EdTech's says: each case is a difference found between
the two (tests/data/README.md lists them), shown on a credential as recognition issues it."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from jsonschema import Draft201909Validator, FormatChecker
from recognition.domain.rules import BadgeText
from recognition.openbadges import BadgeClaim, Issuer, credential_for

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "ob_v3p0_achievementcredential_schema.json")
    .read_text()
)
ISSUER = Issuer(
    id="https://heroes.example/openbadges/issuer",
    name="MAC Heroes Network",
    url="https://heroes.example/",
    base_url="https://heroes.example/openbadges",
)
CLAIM = BadgeClaim(
    award_id=UUID("00000000-0000-0000-0000-00000000000a"),
    rule_id=UUID("00000000-0000-0000-0000-00000000000b"),
    member_id=UUID("00000000-0000-0000-0000-00000000000c"),
    badge=BadgeText("First test of change", "Ran a PDSA cycle.", "Record one cycle."),
    awarded_at=datetime(2025, 3, 4, 9, 30, tzinfo=UTC),
    evidence=(UUID("00000000-0000-0000-0000-00000000000d"),),
)
OB_CONTEXT_PATTERN = r"^https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.0\.[0-9]+)?\.json$"
JWS_PATTERN = r"^[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]*\.[a-zA-Z0-9_-]+$"

Change = Callable[[dict[str, Any]], None]


def errors(instance: Any, definition: str | None = None) -> list[str]:
    """`path: message` for each error, against the whole schema or one of its $defs."""
    schema = SCHEMA
    if definition is not None:
        schema = {"$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{definition}"}
    validator = Draft201909Validator(schema, format_checker=FormatChecker())
    return sorted(
        f"{error.json_path}: {error.message}" for error in validator.iter_errors(instance)
    )


def changed(change: Change) -> dict[str, Any]:
    credential = copy.deepcopy(credential_for(CLAIM, ISSUER))
    change(credential)
    return credential


def achievement(**values: Any) -> Change:
    return lambda credential: credential["credentialSubject"]["achievement"].update(values)


def subject(**values: Any) -> Change:
    return lambda credential: credential["credentialSubject"].update(values)


def top(**values: Any) -> Change:
    return lambda credential: credential.update(values)


def contexts_swapped(credential: dict[str, Any]) -> None:
    vc, ob, *others = credential["@context"]
    credential["@context"] = [vc, *others, ob]


def test_the_credential_we_issue_is_valid() -> None:
    assert errors(credential_for(CLAIM, ISSUER)) == []


@pytest.mark.parametrize(
    "change",
    [
        # VC Data Model 2.0: the issuer is a ProfileRef, a URI or a Profile.
        pytest.param(top(issuer=ISSUER.id), id="issuer-as-a-uri"),
        # Criteria: id and narrative are both optional; the schema requires neither.
        pytest.param(achievement(criteria={}), id="criteria-with-neither-id-nor-narrative"),
        # VC Data Model 2.0: a credentialStatus needs a type, its id is optional.
        pytest.param(
            top(credentialStatus={"type": "BitstringStatusListEntry"}), id="status-without-id"
        ),
    ],
)
def test_what_the_official_schema_accepts_is_valid(change: Change) -> None:
    assert errors(changed(change)) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            contexts_swapped,
            [
                "$['@context'][1]: 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json' "
                f"does not match {OB_CONTEXT_PATTERN!r}"
            ],
            id="open-badges-context-not-second",
        ),
        pytest.param(
            subject(result=[{"value": "A", "status": "Passed"}]),
            [
                "$.credentialSubject.result[0]: 'type' is a required property",
                "$.credentialSubject.result[0].status: 'Passed' is not one of ['Completed', "
                "'Enrolled', 'Failed', 'InProgress', 'OnHold', 'Provisional', 'Withdrew']",
            ],
            id="result",
        ),
        pytest.param(
            subject(identifier=[{"type": "IdentityObject", "hashed": False,
                                 "identityHash": "ada@example.org",
                                 "identityType": "favouriteColour"}]),
            [
                "$.credentialSubject.identifier[0].identityType: "
                "'favouriteColour' is not valid under any of the given schemas"
            ],
            id="identity-type",
        ),
        pytest.param(
            top(endorsement=[{"type": ["VerifiableCredential", "EndorsementCredential"]}]),
            [
                f"$.endorsement[0]: '{name}' is a required property"
                for name in ("@context", "credentialSubject", "id", "issuer", "name", "validFrom")
            ],
            id="endorsement",
        ),
        pytest.param(
            achievement(alignment=[{"type": ["Alignment"], "targetName": "PDSA"}]),
            ["$.credentialSubject.achievement.alignment[0]: 'targetUrl' is a required property"],
            id="achievement-alignment",
        ),
        pytest.param(
            achievement(creditsAvailable="three"),
            ["$.credentialSubject.achievement.creditsAvailable: 'three' is not of type 'number'"],
            id="achievement-credits-available",
        ),
        pytest.param(
            achievement(inLanguage="English"),
            [
                "$.credentialSubject.achievement.inLanguage: 'English' does not match "
                "'^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$'"
            ],
            id="achievement-in-language",
        ),
        pytest.param(
            achievement(resultDescription=[{"id": "urn:uuid:1", "type": ["ResultDescription"],
                                            "name": "Grade"}]),
            [
                "$.credentialSubject.achievement.resultDescription[0]: "
                "'resultType' is a required property"
            ],
            id="achievement-result-description",
        ),
        pytest.param(
            achievement(related=[{"type": ["Related"]}]),
            ["$.credentialSubject.achievement.related[0]: 'id' is a required property"],
            id="achievement-related",
        ),
        pytest.param(
            achievement(otherIdentifier=[{"type": "IdentifierEntry", "identifier": "X"}]),
            [
                "$.credentialSubject.achievement.otherIdentifier[0]: "
                "'identifierType' is a required property"
            ],
            id="achievement-other-identifier",
        ),
        pytest.param(
            achievement(endorsement=[{}], endorsementJwt=["not a jws"]),
            [
                f"$.credentialSubject.achievement.endorsement[0]: '{name}' is a required property"
                for name in ("@context", "credentialSubject", "id", "issuer", "name", "type",
                             "validFrom")
            ]
            + [f"$.credentialSubject.achievement.endorsementJwt[0]: 'not a jws' does not match "
               f"{JWS_PATTERN!r}"],
            id="achievement-endorsement",
        ),
        pytest.param(
            achievement(fieldOfStudy=1, humanCode=2, specialization=3, version=4),
            [
                f"$.credentialSubject.achievement.{name}: {value} is not of type 'string'"
                for value, name in enumerate(
                    ("fieldOfStudy", "humanCode", "specialization", "version"), start=1
                )
            ],
            id="achievement-texts",
        ),
    ],
)
def test_what_the_official_schema_refuses_is_invalid(change: Change, expected: list[str]) -> None:
    assert errors(changed(change)) == sorted(expected)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param(
            {"address": {"type": ["Address"], "geo": {"type": "GeoCoordinates", "latitude": 51.5}}},
            ["$.address.geo: 'longitude' is a required property"],
            id="address",
        ),
        pytest.param(
            {"parentOrg": {"id": "https://nhs.example"}},
            ["$.parentOrg: 'type' is a required property"],
            id="parent-org",
        ),
        pytest.param(
            {"dateOfBirth": "1 April 1970"},
            ["$.dateOfBirth: '1 April 1970' is not a 'date'"],
            id="date-of-birth",
        ),
        pytest.param(
            {"otherIdentifier": [{"type": "IdentifierEntry", "identifier": "RX1",
                                  "identifierType": "ext:odsCode", "note": "trust"}]},
            ["$.otherIdentifier[0]: Additional properties are not allowed ('note' was unexpected)"],
            id="other-identifier",
        ),
        pytest.param(
            {"official": 1, "familyName": 2, "givenName": 3, "additionalName": 4,
             "patronymicName": 5, "honorificPrefix": 6, "honorificSuffix": 7,
             "familyNamePrefix": 8},
            [
                f"$.{name}: {value} is not of type 'string'"
                for value, name in enumerate(
                    ("official", "familyName", "givenName", "additionalName", "patronymicName",
                     "honorificPrefix", "honorificSuffix", "familyNamePrefix"),
                    start=1,
                )
            ],
            id="names",
        ),
        pytest.param(
            {"endorsement": [{"type": ["VerifiableCredential"]}], "endorsementJwt": ["x"]},
            [
                f"$.endorsement[0]: '{name}' is a required property"
                for name in ("@context", "credentialSubject", "id", "issuer", "name", "validFrom")
            ]
            + [
                "$.endorsement[0].type: ['VerifiableCredential'] does not contain items matching "
                "the given schema",
                f"$.endorsementJwt[0]: 'x' does not match {JWS_PATTERN!r}",
            ],
            id="endorsement",
        ),
    ],
)
def test_what_the_official_schema_refuses_in_the_issuer_profile_is_invalid(
    values: dict[str, Any], expected: list[str]
) -> None:
    # Checked against the Profile definition itself: as the issuer, a Profile sits inside the
    # ProfileRef choice (URI or Profile), whose failure hides which property was wrong.
    profile = {**ISSUER.profile(), **values}

    assert errors(profile, "Profile") == sorted(expected)
