"""Where the crisis playbook holds a data subject's values (organizations.privacy
.subjects): cases, assessments, the crisis log quoting them, notifications sent to
staff, clarifications and the signals' footprints (top accounts of a burst)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from prima.organizations.privacy.subjects import Finder, SubjectKind, Treatment, register

from .models import (
    Assessment,
    Case,
    CaseAction,
    CaseEvent,
    Clarification,
    Drill,
    Notification,
    Signal,
)

CRISIS_RECORD = _(
    "The crisis log is the office's record of how it handled a crisis (a public-task "
    "record); it is kept, with the person's name and account replaced by a pseudonym."
)
CASE = "case__office"

register(Finder(Case, ("title",), Treatment.PSEUDONYMISE, CRISIS_RECORD))
register(
    Finder(
        Assessment,
        ("factors", "explanation", "missing", "override_reason", "note"),
        Treatment.PSEUDONYMISE,
        CRISIS_RECORD,
        office=CASE,
    )
)
register(Finder(CaseAction, ("note",), Treatment.PSEUDONYMISE, CRISIS_RECORD, office=CASE))
register(Finder(CaseEvent, ("text", "data"), Treatment.PSEUDONYMISE, CRISIS_RECORD, office=CASE))
register(Finder(Signal, ("footprint",), Treatment.PSEUDONYMISE, CRISIS_RECORD))
register(
    Finder(
        Clarification,
        ("title", "claim", "facts", "title_en", "claim_en", "facts_en", "withdraw_reason"),
        Treatment.PSEUDONYMISE,
        _(
            "A published clarification is a public-task record and stays published; the "
            "person's name and account in it are replaced by a pseudonym."
        ),
    )
)
register(
    Finder(
        Notification,
        ("address", "subject", "body", "last_error"),
        Treatment.DELETE,
        _("A notification already delivered to staff is not needed any more: deleted."),
        kinds=frozenset(
            {SubjectKind.STAFF, SubjectKind.ACCOUNT, SubjectKind.JOURNALIST, SubjectKind.SUBMITTER}
        ),
        office=CASE,
    )
)
register(
    Finder(
        Drill,
        ("name", "description", "scenario"),
        Treatment.PSEUDONYMISE,
        _("An exercise scenario naming the person is kept with a pseudonym."),
    )
)
