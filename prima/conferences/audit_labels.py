"""Labels of the audit actions of press conferences and the office registers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LABELS = {
    "conference.create": _("Press conference opened"),
    "conference.update": _("Conference details changed"),
    "conference.advance": _("Moved to the next stage"),
    "conference.close": _("Conference closed"),
    "conference.cancel": _("Conference cancelled"),
    "conference.checklist.complete": _("Checklist item ticked"),
    "conference.checklist.reopen": _("Checklist item reopened"),
    "conference.fact.add": _("Fact recorded"),
    "conference.fact.edit": _("Fact changed"),
    "conference.fact.verify": _("Fact verified"),
    "conference.chronology.add": _("Chronology entry added"),
    "conference.open_question.add": _("Open question added"),
    "conference.open_question.resolve": _("Open question answered"),
    "conference.prior_statement.add": _("Prior statement added"),
    "conference.rundown.add": _("Run-down item added"),
    "conference.rundown.remove": _("Run-down item removed"),
    "conference.role.assign": _("Role assigned"),
    "conference.readiness.set": _("Equipment readiness recorded"),
    "conference.invitation.add": _("Journalist invited"),
    "conference.invitation.update": _("Invitation reply recorded"),
    "conference.invitation.rsvp": _("Journalist answered the invitation"),
    "conference.invitation.emailed": _("Invitation e-mail sent"),
    "conference.invitation.email_failed": _("Invitation e-mail not sent"),
    "conference.invitation.email_again": _("Invitation e-mail sent again"),
    "conference.spokesperson.appoint": _("Spokesperson appointed"),
    "conference.spokesperson.remove": _("Spokesperson appointment removed"),
    "conference.briefing.record": _("Briefing recorded"),
    "conference.execution.record": _("Start and end recorded"),
    "conference.attendance.add": _("Attendance recorded"),
    "conference.question.add": _("Question logged"),
    "conference.follow_up.done": _("Follow-up done"),
    "conference.evaluation.record": _("Evaluation saved"),
    "conference.coverage.add": _("News item added"),
    "conference.coverage.link": _("News item linked"),
    "material.edit": _("Material written (new version)"),
    "material.submit": _("Material submitted for approval"),
    "material.approve": _("Material approved"),
    "material.return": _("Material returned for changes"),
    "mediacontact.create": _("Journalist added to the media contacts"),
    "mediacontact.update": _("Media contact changed"),
    "mediacontact.retention_delete": _("Unused media contact deleted (retention)"),
    "mediacontact.retention_erase": _(
        "Phone and e-mail of an unused media contact erased (retention)"
    ),
    "spokesperson.create": _("Spokesperson added to the registry"),
    "spokesperson.update": _("Registry spokesperson changed"),
    "delegation.create": _("Right delegated"),
    "delegation.revoke": _("Delegation revoked"),
    "checklisttemplate.load": _("Checklist template loaded"),
    "checklisttemplate.create": _("Checklist template version created"),
    "checklisttemplate.update": _("Checklist template changed"),
}

# Keys of the conference's entries that are not model fields.
FIELD_LABELS = {
    "approval_voided": _("approval voided by the change"),
    "approved_by": _("approved by"),
    "proof": _("proved by"),
    "checklist_items": _("checklist items"),
    "contact_last_contact_on": _("last contact with the journalist"),
    "conference_holding_statement_at": _("holding statement approved"),
}
