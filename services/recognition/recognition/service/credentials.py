"""Open Badges credentials: issuing one to a badge's holder, and checking one for anyone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from servicekit.identity import Principal
from sqlalchemy.ext.asyncio import AsyncSession

from recognition.domain.errors import BadgeSigningNotSetUp
from recognition.domain.rules import Recipient
from recognition.openbadges import (
    BadgeClaim,
    BadgeSigner,
    Verification,
    award_id_of,
    credential_for,
)
from recognition.repository.awards import AwardRecord, AwardRepository


@dataclass(frozen=True, slots=True)
class SignedCredential:
    jwt: str
    credential: dict[str, Any]


def issue_credential(
    award: AwardRecord, holder: Principal, signer: BadgeSigner | None, now: datetime
) -> SignedCredential | None:
    """The signed credential of a member's badge, for that member only (None for anyone else)."""
    if award.recipient is Recipient.PROJECT or award.recipient_id is None:
        return None
    if holder.member_id != award.recipient_id:
        return None
    if signer is None:
        raise BadgeSigningNotSetUp()
    claim = BadgeClaim(
        award_id=award.id,
        rule_id=award.rule_id,
        member_id=award.recipient_id,
        badge=award.badge,
        awarded_at=award.awarded_at,
        evidence=award.evidence,
    )
    credential = credential_for(claim, signer.issuer)
    return SignedCredential(signer.sign(credential, now), credential)


async def verify_credential(
    session: AsyncSession, signer: BadgeSigner | None, token: str
) -> Verification:
    """Signature, issuer and claims first; then that the badge still stands (not withdrawn)."""
    if signer is None:
        raise BadgeSigningNotSetUp()
    checked = signer.verify(token.strip())
    if not checked.is_valid or checked.credential is None:
        return checked
    award_id = award_id_of(checked.credential)
    award = await AwardRepository(session).find(award_id) if award_id else None
    if award is None or award.recipient_id is None:
        return Verification(
            False, "This badge is no longer held: it was withdrawn.", checked.credential
        )
    return checked
