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

        from prima.conferences import hooks as conference_hooks
        from prima.conferences.models import Conference
        from prima.monitoring import hooks as monitoring_hooks

        from . import postevent_demo  # noqa: F401 - registers the demo loader
        from .postevent_links import report_link
        from .postevent_tasks import on_conference_saved, on_scheduler_tick

        conference_hooks.register_page_link(report_link)
        monitoring_hooks.scheduler_ticked.connect(
            on_scheduler_tick, dispatch_uid="evaluation.postevent.tick"
        )
        post_save.connect(
            on_conference_saved, sender=Conference, dispatch_uid="evaluation.postevent.held"
        )
