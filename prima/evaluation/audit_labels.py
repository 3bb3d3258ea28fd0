"""Labels of the audit actions of the evaluation app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LABELS = {
    "postevent.query.edit": _("Coverage query of a conference changed"),
    "postevent.proposals.refresh": _("Coverage looked for again"),
    "postevent.proposal.confirmed": _("Proposed coverage confirmed"),
    "postevent.proposal.rejected": _("Proposed coverage rejected"),
    "postevent.proposal.pending": _("Proposed coverage put back to review"),
}
