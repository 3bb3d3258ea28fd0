"""Pages of the press-conference workflow: list, calendar, create, detail with one panel
per stage, and the POST actions behind each panel.

Views are thin: they read through the policy and change state only through
:mod:`prima.conferences.workflow`. A refused change (``WorkflowError``) re-renders the page
(or, for htmx, the panel) with the message and the input kept, with status 400 — 409 for a
stale edit. htmx requests get the panel back; everything also works without JavaScript
(redirect to the panel's anchor after a change).

Modules: :mod:`.base` (helpers), :mod:`.pages` (list, calendar, create, material editor),
:mod:`.detail` (the detail page and its panel machinery), :mod:`.actions` (POST actions).
"""

from __future__ import annotations

from .actions import (
    appointment_add,
    appointment_remove,
    attendance_add,
    briefing_add,
    checklist_complete,
    checklist_evidence,
    checklist_reopen,
    chronology_add,
    conference_advance,
    conference_cancel,
    coverage_add,
    evaluation_save,
    execution_save,
    fact_add,
    fact_verify,
    follow_up_done,
    invitation_add,
    invitation_update,
    material_approve,
    material_return,
    material_submit,
    open_question_add,
    open_question_resolve,
    prior_statement_add,
    question_add,
    readiness_set,
    role_assign,
    rundown_add,
    rundown_remove,
    schedule_save,
)
from .detail import conference_detail
from .invitations import attendance_sign_in, invitation_resend, rsvp
from .pages import conference_calendar, conference_create, conference_list, material_edit
from .registers import (
    contact_create,
    contact_edit,
    contact_list,
    delegation_list,
    delegation_revoke,
    media_relations,
    spokesperson_create,
    spokesperson_edit,
    spokesperson_list,
)
from .review import material_review

__all__ = [
    "appointment_add",
    "appointment_remove",
    "attendance_add",
    "attendance_sign_in",
    "briefing_add",
    "checklist_complete",
    "checklist_evidence",
    "checklist_reopen",
    "chronology_add",
    "conference_advance",
    "conference_calendar",
    "conference_cancel",
    "conference_create",
    "conference_detail",
    "conference_list",
    "contact_create",
    "contact_edit",
    "contact_list",
    "coverage_add",
    "delegation_list",
    "delegation_revoke",
    "evaluation_save",
    "execution_save",
    "fact_add",
    "fact_verify",
    "follow_up_done",
    "invitation_add",
    "invitation_resend",
    "invitation_update",
    "material_approve",
    "material_edit",
    "material_return",
    "material_review",
    "material_submit",
    "media_relations",
    "open_question_add",
    "open_question_resolve",
    "prior_statement_add",
    "question_add",
    "readiness_set",
    "role_assign",
    "rsvp",
    "rundown_add",
    "rundown_remove",
    "schedule_save",
    "spokesperson_create",
    "spokesperson_edit",
    "spokesperson_list",
]
