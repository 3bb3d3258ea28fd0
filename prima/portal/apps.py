from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "prima.portal"
    label = "portal"
    verbose_name = _("Public portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from prima.organizations import attention

        from . import demo  # noqa: F401 - registers the demo loader
        from .attention import inquiry_attention

        attention.register(inquiry_attention)
