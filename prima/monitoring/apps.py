from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "prima.monitoring"
    label = "monitoring"
    verbose_name = _("Media monitoring")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from prima.organizations import attention, audit_display, changes, health

        from . import demo  # noqa: F401 - registers the demo loader
        from .attention import monitoring_attention
        from .audit_labels import LABELS
        from .checks import CHECK_IDS, health_probe  # registers the system check

        attention.register(
            monitoring_attention, watch=("monitoring.IngestJob", "monitoring.Source")
        )
        audit_display.register_labels(LABELS)
        # The kept dashboard figures (views/dashboard.py): a person's correction of a
        # mention or an issue drops those of the sets of offices that include its office.
        changes.drop_on_audit(
            "monitoring.dashboard",
            object_types=("monitoring.mention", "monitoring.issue"),
            per_office=True,
        )
        # The mention stream's kept filter choices (views/mentions.py).
        changes.drop_on_audit(
            "monitoring.stream-choices",
            object_types=("monitoring.issue", "monitoring.watchlist", "organizations.office"),
        )
        for name in CHECK_IDS:
            health.register(name, health_probe(name))
