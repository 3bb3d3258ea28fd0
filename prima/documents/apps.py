from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "prima.documents"
    label = "documents"
    verbose_name = _("Documents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from prima.organizations import audit_display

        from .audit_labels import LABELS
        from .verification import demo, wiring  # noqa: F401 - demo registers its loader

        wiring.connect()
        audit_display.register_labels(LABELS)
