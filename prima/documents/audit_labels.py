"""Labels of the audit actions of documents."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LABELS = {
    "verification.waive": _("Verification finding waived"),
    "document.generate": _("Document generation requested"),
    "document.generated": _("Document generated"),
    "document.failed": _("Document generation failed"),
    "document.english_text": _("English text of material saved"),
}
