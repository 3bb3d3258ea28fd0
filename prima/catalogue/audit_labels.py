"""Labels of the audit actions of the service catalogue."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LABELS = {
    "service.create": _("Service added to the catalogue"),
    "service_version.create": _("New version of a service written"),
    "service_version.update": _("Service version changed"),
    "service_version.submit": _("Service version submitted for approval"),
    "service_version.publish": _("Service version published"),
    "service_version.return": _("Service version returned for changes"),
    "service_version.discard": _("Service version discarded"),
}
