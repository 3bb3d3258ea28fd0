from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisisConfig(AppConfig):
    name = "prima.crisis"
    label = "crisis"
    verbose_name = _("Crisis playbook")
    default_auto_field = "django.db.models.BigAutoField"
