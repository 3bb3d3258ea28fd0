"""Labels of the audit actions of documents."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LABELS = {
    "verification.waive": _("Verification finding waived"),
}
