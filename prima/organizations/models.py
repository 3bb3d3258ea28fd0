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

from .privacy import declarations as pdp


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

    personal_data = pdp.NoPersonalData(
        reason=_(
            "The office's address, phone and e-mail are institutional contact details, not a "
            "person's."
        )
    )

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

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.ACCOUNTS,
        purpose=_("Signing staff in and giving each the rights of their role in their office."),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(
            pdp.DataCategory.IDENTITY,
            pdp.DataCategory.CONTACT,
            pdp.DataCategory.ACCOUNT,
            pdp.DataCategory.ACTIVITY,
        ),
        subjects=(pdp.Subject.STAFF,),
        fields=(
            "username",
            "first_name",
            "last_name",
            "full_name",
            "title",
            "email",
            "phone",
            "password",
            "last_login",
            "date_joined",
        ),
        identifiers={
            pdp.Lookup.NAME: ("full_name", "first_name", "last_name", "username"),
            pdp.Lookup.EMAIL: ("email",),
            pdp.Lookup.PHONE: ("phone",),
        },
        retention=pdp.Retention(
            pdp.Start.ACCOUNT,
            note=_(
                "A deactivated account is kept so that the audit trail and the records can still "
                "name who did what."
            ),
        ),
        visible_to=("user.view",),
    )

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
    # The user's memberships, cached by prima.organizations.policy.memberships(), and
    # what policy derives from them once per user object (keyed by that list).
    _prima_memberships: list[Membership] | None = None
    _prima_actions: tuple[list[Membership], frozenset[str]] | None = None
    _prima_reach: tuple[list[Membership], list[Office]] | None = None

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

    personal_data = pdp.staff_record(
        pdp.Activity.ACCOUNTS,
        _("Which role a staff member holds in which office."),
        ("user",),
        visible_to=("user.view",),
        data=(pdp.DataCategory.ACCOUNT,),
        retention=pdp.KEPT_WITH_ACCOUNT,
    )

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

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.ACCOUNTS,
        purpose=_("Letting another system of the office use the API on a staff member's behalf."),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(
            pdp.DataCategory.ACCOUNT,
            pdp.DataCategory.ACTIVITY,
        ),
        subjects=(pdp.Subject.STAFF,),
        fields=("user", "name", "last_used_at"),
        identifiers={pdp.Lookup.USER: ("user",)},
        retention=pdp.Retention(
            pdp.Start.REVOKED,
            days=90,
            setting="PDP_API_TOKEN_DAYS",
            purge="prima.organizations.privacy.retention.purge_revoked_tokens",
            note=_(
                "A revoked token is deleted after the period; its use stays in the audit trail."
            ),
        ),
        visible_to=("apitoken.manage",),
        office="user__office",
    )

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

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.ACCOUNTS,
        purpose=_(
            "Slowing down password guessing: failed sign-ins by user name and network address."
        ),
        legal_basis=pdp.LegalBasis.LEGAL_OBLIGATION,
        data=(
            pdp.DataCategory.ACCOUNT,
            pdp.DataCategory.ONLINE_ID,
        ),
        subjects=(
            pdp.Subject.STAFF,
            pdp.Subject.VISITORS,
        ),
        fields=("username", "ip"),
        identifiers={pdp.Lookup.NAME: ("username",), pdp.Lookup.IP: ("ip",)},
        retention=pdp.Retention(
            pdp.Start.CREATED,
            days=30,
            setting="PDP_LOGIN_FAILURE_DAYS",
            purge="prima.organizations.privacy.retention.purge_login_failures",
        ),
        visible_to=("adminsite.access",),
        office="",
    )

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

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.AUDIT,
        purpose=_("A tamper-evident record of who did what, for supervision and accountability."),
        legal_basis=pdp.LegalBasis.LEGAL_OBLIGATION,
        data=(
            pdp.DataCategory.IDENTITY,
            pdp.DataCategory.ONLINE_ID,
            pdp.DataCategory.ACTIVITY,
        ),
        subjects=(
            pdp.Subject.STAFF,
            pdp.Subject.VISITORS,
        ),
        fields=("actor", "actor_label", "ip", "object_label", "before", "after"),
        identifiers={
            pdp.Lookup.USER: ("actor",),
            pdp.Lookup.NAME: ("actor_label",),
            pdp.Lookup.IP: ("ip",),
        },
        retention=pdp.Retention(
            pdp.Start.KEPT,
            note=_(
                "The audit trail is never shortened, or its hash chain would no longer verify; an "
                "erasure is recorded without the erased values."
            ),
        ),
        visible_to=("audit.view",),
    )

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

    personal_data = pdp.NO_PERSONAL_DATA

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)


class TwoFactorDevice(models.Model):
    """A person's authenticator app (TOTP, RFC 6238): the shared secret, confirmed with a
    first code at enrolment. At most one per person; re-enrolling replaces it.

    ``last_step`` is the 30-second time step of the last accepted code, so that a code
    seen over someone's shoulder cannot be used a second time.
    """

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.ACCOUNTS,
        purpose=_(
            "Two-step verification: the shared secret of a staff member's authenticator app."
        ),
        legal_basis=pdp.LegalBasis.LEGAL_OBLIGATION,
        data=(pdp.DataCategory.ACCOUNT,),
        subjects=(pdp.Subject.STAFF,),
        fields=("user", "secret", "created_at", "last_used_at"),
        identifiers={pdp.Lookup.USER: ("user",)},
        retention=pdp.Retention(
            pdp.Start.ACCOUNT,
            note=_("Deleted when the person turns two-step verification off or it is reset."),
        ),
        visible_to=("twofactor.reset",),
        office="user__office",
    )

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="twofactor_device"
    )
    secret = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_step = models.BigIntegerField(default=0, editable=False)

    audit_exclude = ("secret", "last_step", "last_used_at")

    class Meta:
        verbose_name = _("two-step verification device")
        verbose_name_plural = _("two-step verification devices")

    def __str__(self) -> str:
        return f"{self.user} · TOTP"


class RecoveryCode(models.Model):
    """A one-time recovery code for when the phone is lost. Only a hash is stored."""

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.ACCOUNTS,
        purpose=_("Two-step verification: one-time recovery codes (hashes only)."),
        legal_basis=pdp.LegalBasis.LEGAL_OBLIGATION,
        data=(pdp.DataCategory.ACCOUNT,),
        subjects=(pdp.Subject.STAFF,),
        fields=("user", "used_at"),
        identifiers={pdp.Lookup.USER: ("user",)},
        retention=pdp.Retention(
            pdp.Start.ACCOUNT,
            note=_("Replaced when a new set is made; deleted with the second factor."),
        ),
        visible_to=("twofactor.reset",),
        office="user__office",
    )

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    audit_exclude = ("code_hash",)

    class Meta:
        indexes = [models.Index(fields=["user", "code_hash"])]


class TwoFactorRequirement(models.Model):
    """Whether holders of a role must sign in with two-step verification. One row per
    role, edited by administrators in the admin; a role without a row follows
    :data:`TWOFACTOR_REQUIRED_BY_DEFAULT`."""

    personal_data = pdp.NO_PERSONAL_DATA

    role = models.CharField(_("role"), max_length=30, choices=Role.choices, unique=True)
    required = models.BooleanField(_("two-step verification required"), default=True)

    class Meta:
        ordering = ["role"]
        verbose_name = _("two-step verification requirement")
        verbose_name_plural = _("two-step verification requirements")

    def __str__(self) -> str:
        return self.get_role_display()


# Roles whose holders must use two-step verification unless an administrator changes it.
TWOFACTOR_REQUIRED_BY_DEFAULT = frozenset({Role.HEAD, Role.SUPERVISOR, Role.ADMIN})


class UserSession(models.Model):
    """One signed-in browser session of a person: the index that lets a person see and end
    their own sessions, and an administrator end someone's at once.

    Written when a person signs in (``user_logged_in``), its ``last_seen_at`` refreshed
    when the session store renews the session (about once a minute), removed when the
    session ends. The session itself stays Django's row (``django_session``); a row here
    whose session has expired or been removed is shown nowhere.
    """

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.ACCOUNTS,
        purpose=_(
            "Showing staff their signed-in devices so that they (or an administrator) can end "
            "a session at once."
        ),
        legal_basis=pdp.LegalBasis.LEGAL_OBLIGATION,
        data=(pdp.DataCategory.ACCOUNT, pdp.DataCategory.ONLINE_ID),
        subjects=(pdp.Subject.STAFF,),
        fields=("user", "user_agent", "ip", "started_at", "last_seen_at"),
        identifiers={pdp.Lookup.USER: ("user",), pdp.Lookup.IP: ("ip",)},
        retention=pdp.Retention(
            pdp.Start.EXPIRED,
            days=0,
            purge="prima.organizations.sessions.purge_ended_user_sessions",
            note=_("Removed when the session ends or expires."),
        ),
        visible_to=("user.end_sessions",),
        office="user__office",
    )

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def office(self) -> Office | None:
        return self.user.office


class Invitation(models.Model):
    """An invitation to become a PRIMA user with ``role`` at ``office``: a single-use link
    (only the token's hash is stored) that expires at ``expires_at``."""

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.ACCOUNTS,
        purpose=_("Inviting a future staff member to create their account."),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(pdp.DataCategory.IDENTITY, pdp.DataCategory.CONTACT, pdp.DataCategory.MESSAGES),
        subjects=(pdp.Subject.STAFF,),
        fields=("email", "full_name", "invited_by", "accepted_user"),
        identifiers={
            pdp.Lookup.EMAIL: ("email",),
            pdp.Lookup.NAME: ("full_name",),
            pdp.Lookup.USER: ("invited_by", "accepted_user"),
        },
        retention=pdp.Retention(
            pdp.Start.EXPIRED,
            days=90,
            purge="prima.organizations.privacy.retention.purge_unaccepted_invitations",
            note=_("An invitation that was not accepted is deleted after the period."),
        ),
        visible_to=("user.invite",),
    )

    email = models.EmailField(_("e-mail"))
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    audit_exclude = ("token_hash",)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} · {self.get_role_display()} · {self.office.short_name}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def is_open(self, now: Any = None) -> bool:
        """Not yet accepted, not withdrawn, not expired."""
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


class PasswordResetRequest(models.Model):
    """A request for a password-reset e-mail, for rate limiting (per address and per IP).
    Only a hash of the address is kept: the row must not tell who has an account."""

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.ACCOUNTS,
        purpose=_("Limiting password-reset e-mails per address and per network address."),
        legal_basis=pdp.LegalBasis.LEGAL_OBLIGATION,
        data=(pdp.DataCategory.ONLINE_ID,),
        subjects=(pdp.Subject.STAFF, pdp.Subject.VISITORS),
        fields=("email_hash", "ip"),
        identifiers={pdp.Lookup.IP: ("ip",)},
        retention=pdp.Retention(
            pdp.Start.CREATED,
            days=2,
            purge="prima.organizations.privacy.retention.purge_password_reset_requests",
            note=_("Only needed for the hourly limits."),
        ),
        visible_to=("adminsite.access",),
        office="",
    )

    email_hash = models.CharField(max_length=64, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    @staticmethod
    def hash_email(email: str) -> str:
        return hashlib.sha256(email.strip().lower().encode()).hexdigest()


# The personal-data package keeps its models in its own module (registered here).
from .privacy.models import Breach as Breach  # noqa: E402
from .privacy.models import RetentionSchedulerState as RetentionSchedulerState  # noqa: E402

# The data-subject request lives with the rest of privacy; imported so that Django finds it.
from .privacy.request_models import DataSubjectRequest as DataSubjectRequest  # noqa: E402
