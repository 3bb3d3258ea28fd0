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
        from .views.base import CACHE

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
        # A person's kept detail page, API detail and the objections shown to approvers
        # (views/base.py CACHE): any audited change of what the page shows — the conference
        # and its parts, registers and delegations, people, memberships and offices, the
        # documents and evaluation linked from it, the catalogue that the automatic
        # verification reads — but not log-ins.
        changes.drop_on_audit(
            CACHE,
            object_types=(
                "conferences.", "organizations.", "documents.", "catalogue.", "evaluation.",
            ),
            except_actions=("auth.",),
        )  # fmt: skip
        changes.drop_on_save(CACHE, "conferences.Conference", "organizations.Office")
        audit_display.register_field_labels(FIELD_LABELS)
