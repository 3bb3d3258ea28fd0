"""Translated names for the record of processing where a model or field has only Django's
automatic English name (a field without ``verbose_name`` is named after its attribute:
"done by", "created by"). Giving those models a verbose name would mean a migration in
every app for a label; the record reads this table first instead."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FIELDS: dict[str, Promise] = {
    "user": _("user"),
    "last_used_at": _("last used"),
    "username": _("user name"),
    "ip": _("IP address"),
    "actor": _("actor"),
    "done_by": _("done by"),
    "entered_by": _("entered by"),
    "raised_by": _("raised by"),
    "resolved_by": _("resolved by"),
    "submitted_by": _("submitted by"),
    "returned_by": _("returned by"),
    "checked_by": _("checked by"),
    "contributors": _("contributors"),
    "created_by": _("created by"),
    "edited_by": _("edited by"),
    "decided_by": _("decided by"),
    "url": _("link"),
    "search_text": _("search text"),
    "name": _("name"),
    "contact": _("media contact"),
    "invited_by": _("invited by"),
    "appointed_by": _("appointed by"),
    "recorded_by": _("recorded by"),
    "closed_by": _("closed by"),
    "recipient": _("recipient"),
    "address": _("address"),
    "subject": _("subject"),
    "body": _("message"),
    "written_by": _("written by"),
    "published_by": _("published by"),
    "started_by": _("started by"),
    "client_hash": _("hashed network address"),
    "acknowledged_by": _("acknowledged by"),
}

MODELS: dict[str, Promise] = {
    "organizations.LoginFailure": _("Failed sign-ins"),
    "organizations.RecoveryCode": _("Recovery codes"),
    "organizations.PasswordResetRequest": _("Password-reset requests"),
    "organizations.UserSession": _("Sessions by device"),
    "monitoring.DailyActor": _("Daily figures per author"),
    "crisis.CaseAction": _("Required crisis actions"),
    "crisis.Escalation": _("Escalations"),
    "crisis.Notification": _("Crisis notifications"),
}
