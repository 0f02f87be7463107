"""Projects use cases. The caller owns the transaction; events go to the outbox inside it."""

from projects.service.cycles import complete_pdsa_cycle, start_pdsa_cycle, study_pdsa_cycle
from projects.service.diagram import (
    add_change_idea,
    add_driver,
    remove_diagram_item,
    update_diagram_item,
)
from projects.service.erasure import erase_member
from projects.service.measures import (
    correct_measurement,
    define_measure,
    flag_astronomical_point,
    record_measurement,
    set_default_rule_set,
    update_measure,
)
from projects.service.projects import (
    add_team_member,
    advance_stage,
    change_team_role,
    propose_project,
    remove_team_member,
    update_project,
)

__all__ = [
    "add_change_idea",
    "add_driver",
    "add_team_member",
    "advance_stage",
    "change_team_role",
    "complete_pdsa_cycle",
    "correct_measurement",
    "define_measure",
    "erase_member",
    "flag_astronomical_point",
    "propose_project",
    "record_measurement",
    "remove_diagram_item",
    "remove_team_member",
    "set_default_rule_set",
    "start_pdsa_cycle",
    "study_pdsa_cycle",
    "update_diagram_item",
    "update_measure",
    "update_project",
]
