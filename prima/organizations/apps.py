from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "prima.organizations"
    label = "organizations"
    verbose_name = _("Offices, people and audit trail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import accounts, audit_display, checks, throttle  # noqa: F401 - checks, receivers
        from .audit_labels import LABELS

        audit_display.register_labels(LABELS)
        from . import attention
        from .privacy import demo, demo_requests, subjects  # noqa: F401 - register their loaders
        from .privacy.breach import breach_attention

        attention.register(breach_attention, watch=("organizations.Breach",))
        self._connect_attention()
        subjects.autodiscover()  # each app's privacy.py: finders of a data subject's data

    @staticmethod
    def _connect_attention() -> None:
        """Audited changes drop kept answers (``changes``); every audited change may change
        what awaits someone, and so may a change of who holds which role."""
        from django.db.models.signals import post_save

        from . import attention, changes
        from .models import AuditEntry

        post_save.connect(changes.audited, sender=AuditEntry, dispatch_uid="shortcache-audit")
        changes.drop_on_audit(attention.NAMESPACE, except_actions=attention.UNRELATED_ACTIONS)
        changes.drop_on_save(
            attention.NAMESPACE, "organizations.Membership", "organizations.Office"
        )
