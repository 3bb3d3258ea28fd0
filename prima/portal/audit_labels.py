"""Labels of the audit actions of the public portal."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LABELS = {
    "portalprofile.update": _("Public office page changed"),
    "publication.create": _("Publication written"),
    "publication.publish": _("Publication published"),
    "publication.withdraw": _("Publication withdrawn"),
    "announcement.save": _("Announcement saved"),
    "announcement.unlist": _("Announcement taken down"),
    "inquiry.answer": _("Question from the public answered"),
    "inquiry.close": _("Question from the public closed"),
    "inquiry.erase_personal_data": _("Personal data of a question erased"),
}
