from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "prima.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from prima.organizations import audit_display

        from .audit_labels import LABELS

        audit_display.register_labels(LABELS)

        from prima.conferences.models import Conference
        from prima.monitoring import hooks as monitoring_hooks

        from . import (
            postevent_demo,  # noqa: F401 - registers the demo loader
            postevent_links,
        )
        from .postevent_tasks import on_conference_saved, on_scheduler_tick

        postevent_links.connect()
        monitoring_hooks.scheduler_ticked.connect(
            on_scheduler_tick, dispatch_uid="evaluation.postevent.tick"
        )
        post_save.connect(
            on_conference_saved, sender=Conference, dispatch_uid="evaluation.postevent.held"
        )
        from . import indicators_demo  # noqa: F401 - registers the demo loader
