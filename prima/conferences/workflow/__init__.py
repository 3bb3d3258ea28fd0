"""The PRIMA press-conference workflow: every rule, in one module.

Pages, the API, the admin and the demo loader change conferences only through these
functions. Each one:

1. checks the permission policy (``Http404`` for outsiders, ``PermissionDenied`` otherwise);
2. opens one transaction and locks the conference row (``SELECT … FOR UPDATE`` on
   PostgreSQL; SQLite's IMMEDIATE transactions serialise writers), so that two people acting
   on the same conference at the same moment are handled one after the other;
3. refuses stale edits: ``expected_version`` is the ``version`` the user saw; a versioned row
   is written with a conditional ``UPDATE … WHERE version = v``, and a mismatch raises
   :class:`ConflictError`;
4. checks the rule, raising a :class:`WorkflowError` with a translated message and changing
   nothing when it is broken;
5. writes exactly one audit entry for the change, in the same transaction.

Changes to the parts of a conference (facts, checklist items, material, appointments, …)
are logged against the conference itself, so its history is complete in one place.

``now`` arguments exist for tests and the demo data (a fixed clock); they default to
``timezone.now()``.

The rules are split by subject into the modules of this package (``base``, ``queries``,
``conference``, ``parts``, ``material``, ``registers``); import them from here:
``from prima.conferences import workflow`` then ``workflow.advance(...)``.
"""

from __future__ import annotations

from ..models import ON_TIME_TOLERANCE_MINUTES, TARGET_DURATION_MINUTES
from .base import (
    BEFORE_EXECUTION,
    EVIDENCE_EXTENSIONS,
    EXECUTION_STAGES,
    LEAD_ROLES,
    MAX_SPEAKERS,
    PR_ROLES,
    UNTIL_EXECUTION,
    Blocker,
    ConflictError,
    Deadline,
    DeadlineStatus,
    EvaluationSummary,
    EvidenceError,
    FourEyesError,
    GateError,
    InvalidInput,
    InvalidTransition,
    SpokespersonError,
    StageProgress,
    WorkflowError,
    approvers,
    may_approve,
    permissions,
)
from .cautions import Caution, ConfirmationRequired, cautions
from .conference import (
    EDITABLE_FIELDS,
    EVALUATION_FIELDS,
    advance,
    cancel,
    complete_evaluation,
    create_conference,
    record_evaluation,
    record_execution,
    update_conference,
)
from .invitations import (
    RsvpLinkError,
    RsvpLinkExpired,
    invitation_for_token,
    invitation_subject,
    invitation_text,
    record_rsvp,
    rsvp_closed,
    rsvp_token,
    rsvp_url,
    sign_in_invitee,
    whatsapp_number,
    whatsapp_url,
)
from .mail import resend_invitation_email, send_pending_invitation_emails
from .material import (
    appoint_spokesperson,
    approve_material,
    clean_material,
    edit_material,
    record_briefing,
    remove_appointment,
    return_material,
    submit_material,
)
from .parts import (
    add_attendance,
    add_chronology,
    add_coverage,
    add_fact,
    add_open_question,
    add_prior_statement,
    add_rundown_item,
    assign_role,
    complete_follow_up,
    complete_item,
    edit_fact,
    invite,
    link_coverage,
    log_question,
    remove_rundown_item,
    reopen_item,
    resolve_open_question,
    set_readiness,
    update_invitation,
    validate_evidence_file,
    verify_fact,
)
from .queries import (
    blockers,
    can_advance,
    checklist_progress,
    deadlines,
    eligible_spokespeople,
    evaluation_summary,
    history,
    performance_queryset,
    spokesperson_problems,
    visible_conferences,
)
from .registers import (
    CONTACT_FIELDS,
    SPOKESPERSON_FIELDS,
    clean_contact_fields,
    clean_delegation,
    clean_spokesperson_fields,
    grant_delegation,
    revoke_delegation,
    save_media_contact,
    save_spokesperson,
)

__all__ = [
    "BEFORE_EXECUTION",
    "Blocker",
    "CONTACT_FIELDS",
    "Caution",
    "ConfirmationRequired",
    "ConflictError",
    "Deadline",
    "DeadlineStatus",
    "EDITABLE_FIELDS",
    "EVALUATION_FIELDS",
    "EVIDENCE_EXTENSIONS",
    "EXECUTION_STAGES",
    "EvaluationSummary",
    "EvidenceError",
    "FourEyesError",
    "GateError",
    "InvalidInput",
    "InvalidTransition",
    "LEAD_ROLES",
    "MAX_SPEAKERS",
    "ON_TIME_TOLERANCE_MINUTES",
    "PR_ROLES",
    "RsvpLinkError",
    "RsvpLinkExpired",
    "SPOKESPERSON_FIELDS",
    "SpokespersonError",
    "StageProgress",
    "TARGET_DURATION_MINUTES",
    "UNTIL_EXECUTION",
    "WorkflowError",
    "add_attendance",
    "add_chronology",
    "add_coverage",
    "add_fact",
    "add_open_question",
    "add_prior_statement",
    "add_rundown_item",
    "advance",
    "appoint_spokesperson",
    "approve_material",
    "approvers",
    "assign_role",
    "blockers",
    "can_advance",
    "cancel",
    "cautions",
    "checklist_progress",
    "clean_contact_fields",
    "clean_delegation",
    "clean_material",
    "clean_spokesperson_fields",
    "complete_evaluation",
    "complete_follow_up",
    "complete_item",
    "create_conference",
    "deadlines",
    "edit_fact",
    "edit_material",
    "eligible_spokespeople",
    "evaluation_summary",
    "grant_delegation",
    "history",
    "invitation_for_token",
    "invitation_subject",
    "invitation_text",
    "invite",
    "link_coverage",
    "log_question",
    "may_approve",
    "performance_queryset",
    "permissions",
    "record_briefing",
    "record_evaluation",
    "record_execution",
    "record_rsvp",
    "remove_appointment",
    "remove_rundown_item",
    "reopen_item",
    "resend_invitation_email",
    "resolve_open_question",
    "return_material",
    "revoke_delegation",
    "rsvp_closed",
    "rsvp_token",
    "rsvp_url",
    "save_media_contact",
    "save_spokesperson",
    "send_pending_invitation_emails",
    "set_readiness",
    "sign_in_invitee",
    "spokesperson_problems",
    "submit_material",
    "update_conference",
    "update_invitation",
    "validate_evidence_file",
    "verify_fact",
    "visible_conferences",
    "whatsapp_number",
    "whatsapp_url",
]
