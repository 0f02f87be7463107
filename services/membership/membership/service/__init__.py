"""Membership use cases. The caller owns the transaction; events go to the outbox inside it."""

from membership.service.consent import record_consent, withdraw_consent
from membership.service.involvement import log_involvement, set_involvement_level
from membership.service.learning import define_training_module, record_training_completion
from membership.service.members import (
    change_network_role,
    change_status,
    erase_member,
    invite_member,
    join_network,
    update_profile,
)
from membership.service.organisations import register_organisation
from membership.service.peers import end_pairing, pair_peers, record_check_in
from membership.service.pulse import close_pulse_months, pulse_results, submit_pulse

__all__ = [
    "change_network_role",
    "change_status",
    "close_pulse_months",
    "define_training_module",
    "end_pairing",
    "erase_member",
    "invite_member",
    "join_network",
    "log_involvement",
    "pair_peers",
    "pulse_results",
    "record_check_in",
    "record_consent",
    "record_training_completion",
    "register_organisation",
    "set_involvement_level",
    "submit_pulse",
    "update_profile",
    "withdraw_consent",
]
