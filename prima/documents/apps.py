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
        from .generation import demo as generation_demo  # noqa: F401 - registers its loader
        from .generation import reports  # noqa: F401 - registers the long reports
        from .generation import wiring as generation_wiring
        from .verification import demo, wiring  # noqa: F401 - demo registers its loader

        wiring.connect()
        generation_wiring.connect()
        audit_display.register_labels(LABELS)
