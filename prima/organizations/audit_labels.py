"""Labels of the audit actions the foundation writes (offices, people, log-ins)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LABELS = {
    "auth.login": _("Logged in"),
    "auth.login_failed": _("Log-in failed"),
    "auth.login_refused_locked": _("Log-in refused: locked"),
    "auth.locked_out": _("Log-in locked after repeated failures"),
    "user.create": _("Person added"),
    "user.update": _("Person changed"),
    "user.delete": _("Person deleted"),
    "user.password_change": _("Password changed"),
    "office.create": _("Office created"),
    "office.update": _("Office changed"),
    "office.delete": _("Office deleted"),
    "membership.create": _("Role given"),
    "membership.update": _("Role changed"),
    "membership.delete": _("Role taken away"),
    "apitoken.create": _("API token issued"),
    "apitoken.update": _("API token changed"),
    "apitoken.delete": _("API token deleted"),
    "loginfailure.delete": _("Failed log-in attempts cleared"),
    "audit.rekey": _("Audit trail key changed"),
    "audit.redact": _("Personal data erased from the audit trail"),
    "system.backup": _("Backup taken"),
    "system.restore": _("Backup restored"),
}
