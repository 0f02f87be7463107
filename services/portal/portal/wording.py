"""What people read when something goes wrong: plain sentences, never codes or stack traces."""

from __future__ import annotations

from portal.gateway import Problem

# The API's messages are already plain English; these codes get a sentence of their own, since
# the API's wording is for developers or does not say what to do next.
SENTENCES = {
    "unauthenticated": "Please sign in to see this.",
    "invalid_token": "Your sign-in has run out. Please sign in again.",
    "member_not_active": "Your membership is not active just now, so you cannot do this.",
    "not_a_member": "This sign-in does not belong to a member of the network.",
    "membership_pending": "We are still setting up your membership. Please try again in a moment.",
    "SUBGRAPH_UNAVAILABLE": "Part of the network is not answering just now, so some of this page is "
                            "missing. Please try again in a moment.",
    "SERVICE_UNAVAILABLE": "Part of the network is not answering just now. Please try again in a moment.",
    "QUERY_TOO_EXPENSIVE": "That is too much to show at once. Please ask for less.",
    "INTERNAL_SERVER_ERROR": "Something went wrong on our side. Please try again later.",
    "INCOMPLETE_RESPONSE": "Part of this page could not be shown. Please try again in a moment.",
}
TECHNICAL = {"GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "BAD_USER_INPUT", "BAD_REQUEST",
             "QUERY_PLANNING_FAILED"}


def sentence(problem: Problem) -> str:
    if problem.code in SENTENCES:
        return SENTENCES[problem.code]
    if problem.code in TECHNICAL:  # the portal asked wrongly: nothing the person can fix
        return "Something went wrong on our side. Please try again later."
    return problem.message
