"""Press conferences: the PRIMA workflow's data.

Every rule that changes these rows lives in :mod:`prima.conferences.workflow`; nothing here
enforces a transition. Models only describe state and offer read-only helpers.

Objects that people edit from forms carry a ``version`` counter (optimistic concurrency):
the workflow refuses a change made against an older version. Rows that belong to a
conference reach their office through it (``.office`` property), so the policy and the
audit trail can place them.
"""

from __future__ import annotations

from .choices import (
    DEFAULT_READINESS,
    MAX_KEY_MESSAGES,
    ON_TIME_TOLERANCE_MINUTES,
    REQUIRED_MATERIAL,
    STAGE_ORDER,
    TARGET_DURATION_MINUTES,
    WORKING_STAGES,
    BriefingKind,
    Channel,
    ConferenceRole,
    ConferenceType,
    DelegatedRight,
    EmailStatus,
    EvidenceKind,
    IssueLevel,
    MaterialKind,
    MaterialState,
    MediaType,
    ReadinessKind,
    ReplyVia,
    Stage,
    Status,
    Tone,
    Topic,
    crisis_conference_minutes,
    crisis_holding_statement_minutes,
    rsvp_max_days,
)
from .conference import (
    ChecklistItem,
    ChronologyEntry,
    Conference,
    ConferencePart,
    ConferenceQuerySet,
    Fact,
    OpenQuestion,
    PriorStatement,
)
from .execution import (
    Attendance,
    CoverageLink,
    QuestionLog,
)
from .material import (
    Appointment,
    Briefing,
    Material,
    MaterialVersion,
)
from .planning import (
    Invitation,
    ReadinessItem,
    RoleAssignment,
    RundownItem,
)
from .registers import (
    ChecklistTemplate,
    ChecklistTemplateItem,
    Delegation,
    MediaContact,
    Spokesperson,
)

__all__ = [
    "Appointment",
    "Attendance",
    "Briefing",
    "BriefingKind",
    "Channel",
    "ChecklistItem",
    "ChecklistTemplate",
    "ChecklistTemplateItem",
    "ChronologyEntry",
    "Conference",
    "ConferencePart",
    "ConferenceQuerySet",
    "ConferenceRole",
    "ConferenceType",
    "CoverageLink",
    "DEFAULT_READINESS",
    "DelegatedRight",
    "EmailStatus",
    "Delegation",
    "EvidenceKind",
    "Fact",
    "Invitation",
    "IssueLevel",
    "MAX_KEY_MESSAGES",
    "ON_TIME_TOLERANCE_MINUTES",
    "Material",
    "MaterialKind",
    "MaterialState",
    "MaterialVersion",
    "MediaContact",
    "MediaType",
    "OpenQuestion",
    "PriorStatement",
    "QuestionLog",
    "REQUIRED_MATERIAL",
    "ReadinessItem",
    "ReadinessKind",
    "ReplyVia",
    "RoleAssignment",
    "RundownItem",
    "STAGE_ORDER",
    "TARGET_DURATION_MINUTES",
    "Spokesperson",
    "Stage",
    "Status",
    "Tone",
    "Topic",
    "WORKING_STAGES",
    "crisis_conference_minutes",
    "crisis_holding_statement_minutes",
    "rsvp_max_days",
]
