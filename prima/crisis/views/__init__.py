"""Pages of the crisis playbook: the board, case pages and their actions, the hoax
register, drills and the configuration. Views are thin: every change goes through the
services, which check the policy again and write the case log and the audit trail."""

from __future__ import annotations

from . import actions
from .board import board
from .case import case_create, case_log_csv, case_page
from .registers import (
    clarification_action,
    clarification_create,
    clarification_list,
    clarification_page,
    config_edit,
    config_page,
    drill_action,
    drill_list,
    drill_page,
)

__all__ = [
    "actions",
    "board",
    "case_create",
    "case_log_csv",
    "case_page",
    "clarification_action",
    "clarification_create",
    "clarification_list",
    "clarification_page",
    "config_edit",
    "config_page",
    "drill_action",
    "drill_list",
    "drill_page",
]
