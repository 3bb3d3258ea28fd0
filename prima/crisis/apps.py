from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisisConfig(AppConfig):
    name = "prima.crisis"
    label = "crisis"
    verbose_name = _("Crisis playbook")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from prima.monitoring import hooks
        from prima.organizations import attention, audit_display, changes

        from . import checks, demo  # noqa: F401 - register the system check and demo loader
        from .attention import crisis_attention
        from .audit_labels import LABELS
        from .tasks import on_mentions_stored, on_scheduler_tick

        attention.register(
            crisis_attention,
            watch=(
                "crisis.Case", "crisis.Escalation", "crisis.Notification", "crisis.Clarification",
            ),
        )  # fmt: skip
        audit_display.register_labels(LABELS)
        # A case page's kept chart (views/case.py): a person's correction of a mention, an
        # issue merged or split, a watch-list changed, anything done on a case.
        changes.drop_on_audit(
            "crisis.case-chart",
            object_types=(
                "monitoring.mention", "monitoring.issue", "monitoring.watchlist", "crisis.",
            ),
        )  # fmt: skip
        # The board's kept response figures (views/board.py).
        changes.drop_on_audit("crisis.board-figures", object_types=("crisis.",))
        hooks.scheduler_ticked.connect(on_scheduler_tick, dispatch_uid="crisis.tick")
        hooks.mentions_stored.connect(on_mentions_stored, dispatch_uid="crisis.mentions")
