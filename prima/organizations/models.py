"""Offices, people, roles, API tokens and the audit trail."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OfficeLevel(models.TextChoices):
    DIRECTORATE_GENERAL = "directorate_general", _("Directorate general")
    REGIONAL_OFFICE = "regional_office", _("Regional office (Kanwil)")
    OFFICE = "office", _("Immigration office")


# The level a parent must have for each level of office.
PARENT_LEVEL = {
    OfficeLevel.DIRECTORATE_GENERAL: None,
    OfficeLevel.REGIONAL_OFFICE: OfficeLevel.DIRECTORATE_GENERAL,
    OfficeLevel.OFFICE: OfficeLevel.REGIONAL_OFFICE,
}


class TimeZoneChoice(models.TextChoices):
    WIB = "Asia/Jakarta", "WIB"
    WITA = "Asia/Makassar", "WITA"
    WIT = "Asia/Jayapura", "WIT"


class Office(models.Model):
    """A unit in the hierarchy directorate general → regional office → office.

    ``path`` is a materialised path ("/1/4/9/") kept by :meth:`save`, so that a sub-tree is
    one indexed ``startswith`` query on SQLite and PostgreSQL alike.
    """

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    level = models.CharField(_("level"), max_length=30, choices=OfficeLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    timezone = models.CharField(
        _("time zone"), max_length=40, choices=TimeZoneChoice.choices, default=TimeZoneChoice.WIB
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name

    @property
    def office(self) -> Office:
        """An office is governed by itself (the policy reads ``obj.office``)."""
        return self

    def clean(self) -> None:
        expected = PARENT_LEVEL.get(OfficeLevel(self.level)) if self.level else None
        if expected is None and self.parent_id:
            raise ValidationError({"parent": _("A directorate general has no parent office.")})
        if expected is not None:
            if self.parent is None:
                raise ValidationError({"parent": _("This level of office needs a parent office.")})
            if self.parent.level != expected:
                raise ValidationError(
                    {
                        "parent": _("The parent office must be a %(level)s.")
                        % {"level": OfficeLevel(expected).label}
                    }
                )
            if self.pk and self.parent.path.startswith(self.path):
                raise ValidationError({"parent": _("An office cannot be placed under itself.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        parent_path = self.parent.path if self.parent is not None else "/"
        old_path = self.path
        with transaction.atomic():
            if self.pk is None:
                super().save(*args, **kwargs)
                self.path = f"{parent_path}{self.pk}/"
                Office.objects.filter(pk=self.pk).update(path=self.path)
                return
            self.path = f"{parent_path}{self.pk}/"
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                # Moved: rewrite the paths of the sub-tree below it.
                for child in Office.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    new_path = self.path + child.path[len(old_path) :]
                    Office.objects.filter(pk=child.pk).update(path=new_path)

    def subtree(self) -> models.QuerySet[Office]:
        """This office and every office below it (one query)."""
        return Office.objects.filter(path__startswith=self.path)

    def ancestors(self) -> list[Office]:
        """Offices above this one, top first (one query)."""
        ids = [int(part) for part in self.path.strip("/").split("/")[:-1] if part]
        by_id = Office.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def is_within(self, other: Office) -> bool:
        return self.path.startswith(other.path)


class Role(models.TextChoices):
    PR_STAFF = "pr_staff", _("PR staff")
    PR_LEAD = "pr_lead", _("PR lead")
    SPOKESPERSON = "spokesperson", _("Official spokesperson")
    HEAD = "head", _("Head of office")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    """A person using PRIMA. Roles come from :class:`Membership` rows, never from code."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    title = models.CharField(
        _("job title"), max_length=200, blank=True, help_text=_("e.g. Kepala Seksi TIKIM")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("home office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )

    audit_exclude = ("password", "last_login")
    # The user's memberships, cached by prima.organizations.policy.memberships().
    _prima_memberships: list[Membership] | None = None

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class Membership(models.Model):
    """A role a person holds in an office."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "office", "role"], name="unique_membership")
        ]
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.office.short_name}"


class ApiToken(models.Model):
    """A bearer token for machine clients of ``/api/v1/``. Only a hash is stored."""

    PREFIX = "prima_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    audit_exclude = ("key_hash", "last_used_at")

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class LoginFailure(models.Model):
    """A failed log-in attempt, for throttling."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit trail is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only.")

    def _raw_delete(self, using: str | None) -> int:  # used by cascades
        raise PermissionError("The audit trail is append-only.")


class AuditEntry(models.Model):
    """One state change: who, when (UTC), what, before → after, from where.

    Written only by :func:`prima.organizations.audit.log`. Entries are chained: each
    ``hash`` is an HMAC (under the audit key named by ``key_id``) of the entry's content
    and the previous entry's hash.
    """

    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(_("time (UTC)"), editable=False, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    actor_label = models.CharField(_("actor"), max_length=200, editable=False)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=100, editable=False, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, editable=False)
    object_id = models.CharField(_("object id"), max_length=64, editable=False)
    object_label = models.CharField(_("object"), max_length=255, editable=False)
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    before = models.JSONField(_("before"), null=True, blank=True, editable=False)
    after = models.JSONField(_("after"), null=True, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)
    # Which audit key signed the entry ("" for the plain SHA-256 chain of older PRIMA).
    key_id = models.CharField(max_length=16, blank=True, default="", editable=False)
    # Format of the hashed content (audit.FORMAT_*): 2 hashes digests of the values that
    # may hold personal data, so that they can be erased without breaking the chain.
    version = models.PositiveSmallIntegerField(default=2, editable=False)
    # The digests of values erased on a data subject's request (audit.redact): the value
    # itself is replaced by a marker, its digest keeps the chain verifiable.
    redacted = models.JSONField(null=True, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_label}"

    def changes(self) -> list[tuple[str, object, object]]:
        """(field label, before, after) rows for display; labels are the model's translated
        field names when the object type is still a known model."""
        from django.apps import apps

        before, after = self.before or {}, self.after or {}
        try:
            model = apps.get_model(self.object_type) if self.object_type else None
        except (LookupError, ValueError):
            model = None

        def label(name: str) -> str:
            if model is None:
                return name
            try:
                return str(model._meta.get_field(name).verbose_name)
            except Exception:  # noqa: BLE001 - a field removed since the entry was written
                return name

        return [(label(k), before.get(k), after.get(k)) for k in sorted(set(before) | set(after))]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not kwargs.pop("_from_audit_log", False):
            raise PermissionError("The audit trail is append-only; use audit.log().")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only.")


class AuditChainHead(models.Model):
    """The single row that serialises appends and remembers the chain's last link."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)


# The data-subject request lives with the rest of privacy; imported so that Django finds it.
from .privacy.request_models import DataSubjectRequest  # noqa: E402, F401
