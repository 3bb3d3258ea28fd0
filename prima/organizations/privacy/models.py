"""Models of the personal-data package (registered in the organizations app, re-exported
by ``prima.organizations.models``)."""

from __future__ import annotations

from django.db import models

from . import declarations as pdp


class RetentionSchedulerState(models.Model):
    """The single row that keeps one retention chain alive (see :mod:`.tasks`)."""

    personal_data = pdp.NO_PERSONAL_DATA

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    next_tick_at = models.DateTimeField(null=True, blank=True)
    last_tick_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "organizations"
