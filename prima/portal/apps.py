from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "prima.portal"
    label = "portal"
    verbose_name = _("Public portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from prima.organizations import attention, audit_display

        from . import demo  # noqa: F401 - registers the demo loader
        from .attention import inquiry_attention
        from .audit_labels import LABELS

        attention.register(inquiry_attention, watch=("portal.Inquiry",))
        audit_display.register_labels(LABELS)
        self._connect_page_cache()

    @staticmethod
    def _connect_page_cache() -> None:
        """Published data changed: cached public pages are outdated."""
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from .pagecache import invalidate

        for label in (
            "organizations.Office",
            "catalogue.Service",
            "catalogue.ServiceVersion",
            "catalogue.Fee",
            "conferences.Conference",
            "conferences.MaterialVersion",
            "crisis.Clarification",
            "documents.GeneratedDocument",
            "portal.Publication",
            "portal.Announcement",
            "portal.PortalProfile",
        ):
            model = apps.get_model(label)
            post_save.connect(invalidate, sender=model, dispatch_uid=f"portal-page-{label}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"portal-page-{label}-d")
