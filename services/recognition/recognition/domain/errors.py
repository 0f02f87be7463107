"""Expected failures of recognition, each with a stable code and a plain-English message."""

from __future__ import annotations

from servicekit.errors import Conflict, InvalidInput, NotAllowed, NotFound


class MemberNotFound(NotFound):
    code = "member_not_found"

    def __init__(self) -> None:
        super().__init__(
            "We could not find that member. They may not have joined yet.", field="memberId"
        )


class ProjectNotFound(NotFound):
    code = "project_not_found"

    def __init__(self) -> None:
        super().__init__("We could not find that project.", field="projectId")


class NominationNotFound(NotFound):
    code = "nomination_not_found"

    def __init__(self) -> None:
        super().__init__("We could not find that nomination.", field="nominationId")


class RuleNotFound(NotFound):
    code = "rule_not_found"

    def __init__(self) -> None:
        super().__init__("We could not find that recognition rule.", field="ruleId")


class BadgeNotFound(NotFound):
    code = "badge_not_found"

    def __init__(self) -> None:
        super().__init__("We could not find that badge.", field="badgeId")


class SelfKudos(InvalidInput):
    code = "self_kudos_not_allowed"

    def __init__(self) -> None:
        super().__init__("You cannot send a thank-you to yourself.", field="toMemberId")


class SelfNomination(InvalidInput):
    code = "self_nomination_not_allowed"

    def __init__(self) -> None:
        super().__init__(
            "You cannot nominate yourself. Ask a colleague to nominate you.", field="memberId"
        )


class TextTooLong(InvalidInput):
    code = "text_too_long"

    def __init__(self, field: str, limit: int) -> None:
        super().__init__(
            f"Please keep this to {limit} characters or fewer.", field=field, limit=limit
        )


class KudosMessageTooLong(TextTooLong):
    code = "kudos_message_too_long"


class TextRequired(InvalidInput):
    code = "text_required"

    def __init__(self, field: str) -> None:
        super().__init__("Please write something here.", field=field)


class NotPlainText(InvalidInput):
    code = "not_plain_text"

    def __init__(self, field: str) -> None:
        super().__init__(
            "Please use plain text only: no web page markup (such as <b>) "
            "or hidden control characters.",
            field=field,
        )


class OneRecipientNeeded(InvalidInput):
    code = "one_recipient_needed"

    def __init__(self, what: str) -> None:
        super().__init__(
            f"Please choose either a member or a project to {what}, not both or neither."
        )


class KudosDailyLimitReached(Conflict):
    code = "kudos_daily_limit_reached"

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"You have sent {limit} thank-yous today, which is the daily limit. "
            "Please try again tomorrow.",
            limit=limit,
        )


class NominationAlreadyDecided(Conflict):
    code = "nomination_already_decided"

    def __init__(self) -> None:
        super().__init__("This nomination has already been decided.")


class NotCoordinatorOfNominee(NotAllowed):
    code = "nomination_of_another_organisation"

    def __init__(self) -> None:
        super().__init__(
            "Only coordinators of the nominee's organisation can decide this nomination."
        )


class NotCoordinator(NotAllowed):
    code = "coordinators_only"

    def __init__(self, what: str) -> None:
        super().__init__(f"Only your organisation's coordinators can {what}.")


class InvalidRule(InvalidInput):
    code = "invalid_rule"

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message, field=field)


class RuleAlreadyRetired(Conflict):
    code = "rule_already_retired"

    def __init__(self) -> None:
        super().__init__("This recognition rule has already been retired.")


class BadgeSigningNotSetUp(Conflict):
    code = "badge_signing_not_set_up"

    def __init__(self) -> None:
        super().__init__(
            "Badge certificates are not available yet: the network's signing key is not set up."
        )
