from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "prima.catalogue"
    label = "catalogue"
    verbose_name = _("Service catalogue")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from prima.organizations import audit_display

        from . import demo  # noqa: F401 - registers the demo loader
        from .audit_labels import LABELS

        audit_display.register_labels(LABELS)
