from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "prima.conferences"
    label = "conferences"
    verbose_name = _("Press conferences")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from prima.organizations import attention, audit_display, changes

        from . import demo  # noqa: F401 - registers the demo loader
        from .attention import conference_attention
        from .audit_labels import FIELD_LABELS, LABELS

        attention.register(
            conference_attention,
            watch=(
                "conferences.Conference", "conferences.Fact", "conferences.Material",
                "conferences.MaterialVersion", "conferences.Appointment", "conferences.Briefing",
                "conferences.Delegation", "conferences.ChecklistItem",
                "conferences.ReadinessItem", "conferences.RoleAssignment",
            ),
        )  # fmt: skip
        audit_display.register_labels(LABELS)
        # The kept conference lists (views/pages.py): any audited change of a conference or
        # its parts, a conference saved by a loader, an office renamed or moved.
        changes.drop_on_audit("conferences.list", object_types=("conferences.",))
        changes.drop_on_save("conferences.list", "conferences.Conference", "organizations.Office")
        audit_display.register_field_labels(FIELD_LABELS)
