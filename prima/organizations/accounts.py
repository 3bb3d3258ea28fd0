"""The account lifecycle: invitations, deactivation and reactivation, signed-in sessions
and password resets. Pages, the admin site and commands call these functions; each checks
the policy and writes its audit entry, so a rule lives here once.

- An administrator invites a person by e-mail (:func:`invite`): a single-use link that
  expires after ``INVITATION_HOURS``; only the token's hash is stored. The person chooses
  a user name and password (:func:`accept_invitation`) and holds the role at the office.
- :func:`deactivate` ends every session of the person and revokes their API tokens at
  once; roles and history are kept. :func:`reactivate` lets them sign in again (tokens
  stay revoked: an administrator issues new ones).
- Each signed-in session is indexed in :class:`UserSession` (from Django's
  ``user_logged_in`` signal; the log-in view is not touched), so people see their own
  sessions and end one or all others, and administrators end someone's.
- A password reset by e-mail (:func:`request_password_reset`) does the same work whether
  or not the address belongs to anybody: it records a rate-limit row and hands the address
  to a background task, which looks the person up and sends the link. The answer and the
  request's path are the same for every address.
- An administrator's reset (:func:`reset_password_by_admin`) makes the current password
  stop working at once, ends the sessions and sends the person a reset link.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.dispatch import receiver
from django.http import Http404, HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from . import audit, policy
from .middleware import client_ip
from .models import (
    ApiToken,
    AuditEntry,
    Invitation,
    Membership,
    Office,
    PasswordResetRequest,
    Role,
    User,
    UserSession,
)

try:  # Django 6 ships tasks; on 5.2 the django-tasks backport provides them
    from django.tasks import task
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task

logger = logging.getLogger("prima.security")


class AccountError(Exception):
    """A lifecycle step that cannot be done, with a message for the person (and the form
    field it belongs to, if any)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def acting_user(request: HttpRequest) -> User:
    """The signed-in person making a request (PermissionDenied for anyone else)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _now() -> Any:
    return timezone.now()


def check_user(actor: policy.AnyUser | None, action: str, user: User) -> None:
    """:func:`policy.check` for a person: their home office decides; a person without one
    (made with ``createsuperuser``) belongs to the top of the tree."""
    if user.office is not None:
        policy.check(actor, action, user)
        return
    if not policy.can_at_top(actor, policy.view_action(action)):
        raise Http404
    if not policy.can_at_top(actor, action):
        raise PermissionDenied


def people(actor: policy.AnyUser | None, action: str = "user.view") -> QuerySet[User]:
    """The people ``actor`` may perform ``action`` on (by home office; people without one
    only for those who hold the action at the top), with their last activity annotated as
    ``last_seen`` (the latest renewal of any of their sessions)."""
    q = policy.office_q(actor, action)
    if policy.can_at_top(actor, action):
        q |= Q(office__isnull=True)
    return (
        User.objects.filter(q)
        .select_related("office")
        .annotate(last_seen=Max("sessions__last_seen_at"))
    )


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(to: str, subject_template: str, body_template: str, context: dict[str, Any]) -> None:
    """Render and send one plain-text e-mail in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to]).send()


# --- Sessions ---------------------------------------------------------------------------


def _live_keys() -> QuerySet[Session]:
    return Session.objects.filter(expire_date__gt=_now())


def active_sessions(user: User) -> QuerySet[UserSession]:
    """The person's sessions that are still open, the most recently used first."""
    return UserSession.objects.filter(
        user=user, session_key__in=_live_keys().values("session_key")
    ).order_by("-last_seen_at")


@receiver(user_logged_in)
def record_session(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """Index the new session (Django's log-in has already given it a fresh key) and drop
    the person's index rows whose sessions have ended since."""
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if request is None or not key:
        return
    UserSession.objects.filter(user=user).exclude(
        session_key__in=_live_keys().values("session_key")
    ).delete()
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "user_agent": str(request.META.get("HTTP_USER_AGENT", ""))[:300],
            "ip": client_ip(request),
            "started_at": _now(),
            "last_seen_at": _now(),
        },
    )


@receiver(user_logged_out)
def forget_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Drop the session from the index and record the sign-out in the audit trail."""
    key = getattr(getattr(request, "session", None), "session_key", None)
    with transaction.atomic():
        if key:
            UserSession.objects.filter(session_key=key).delete()
        if isinstance(user, User):
            audit.log(user, "auth.logout", user, ip=client_ip(request) if request else None)


def touch_session(session_key: str | None) -> None:
    """Record that a session was used now (called when the session store renews the
    session, about once a minute: never on every request)."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).update(last_seen_at=_now())


def _end(keys: list[str]) -> int:
    Session.objects.filter(session_key__in=keys).delete()
    return UserSession.objects.filter(session_key__in=keys).delete()[0]


def end_session(actor: User, user: User, session_id: int) -> None:
    """End one of ``user``'s sessions (``actor`` is the person themselves, or someone who
    may ``user.end_sessions``)."""
    if actor.pk != user.pk:
        check_user(actor, "user.end_sessions", user)
    row = UserSession.objects.filter(user=user, pk=session_id).first()
    if row is None:
        raise Http404
    with transaction.atomic():
        _end([row.session_key])
        audit.log(
            actor,
            "user.session_ended",
            user,
            after={"browser": row.user_agent[:120], "ip": row.ip or ""},
        )


def end_sessions(actor: User | None, user: User, *, keep: str | None = None) -> int:
    """End every session of ``user`` except the one with key ``keep`` (the caller's own,
    for "sign out everywhere else"); returns how many ended. The policy is checked when
    ``actor`` is someone else."""
    if actor is not None and actor.pk != user.pk:
        check_user(actor, "user.end_sessions", user)
    with transaction.atomic():
        count = _end_all(user, keep=keep)
        audit.log(
            actor,
            "user.sessions_ended",
            user,
            after={"sessions": count, "own_session_kept": keep is not None},
        )
    return count


def _end_all(user: User, *, keep: str | None = None) -> int:
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    return _end([k for k in keys if k != keep])


# --- Deactivation -----------------------------------------------------------------------


def deactivate(actor: User, user: User, *, reason: str = "") -> tuple[int, int]:
    """Deactivate ``user``: they cannot sign in, their open sessions end and their API
    tokens are revoked at once; roles and history stay. Returns (sessions ended, tokens
    revoked)."""
    check_user(actor, "user.deactivate", user)
    if actor.pk == user.pk:
        raise AccountError(_("You cannot deactivate your own account."))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.is_active:
            raise AccountError(_("This account is already inactive."))
        before = audit.snapshot(locked)
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        tokens = ApiToken.objects.filter(user=locked, revoked_at__isnull=True).update(
            revoked_at=_now()
        )
        sessions = _end_all(locked)
        after = audit.snapshot(locked) or {}
        after.update({"reason": reason, "sessions_ended": sessions, "tokens_revoked": tokens})
        audit.log(actor, "user.deactivate", locked, before=before, after=after)
    user.is_active = False
    return sessions, tokens


def last_deactivation(user: User) -> AuditEntry | None:
    """The audit entry of the person's latest deactivation (who, when, why), if any."""
    return (
        AuditEntry.objects.filter(
            action="user.deactivate", object_type="organizations.user", object_id=str(user.pk)
        )
        .select_related("actor")
        .order_by("-seq")
        .first()
    )


def reactivate(actor: User, user: User, *, reason: str = "") -> None:
    """Let a deactivated person sign in again (their revoked API tokens stay revoked)."""
    check_user(actor, "user.deactivate", user)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.is_active:
            raise AccountError(_("This account is already active."))
        before = audit.snapshot(locked)
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        after = audit.snapshot(locked) or {}
        if reason:
            after["reason"] = reason
        audit.log(actor, "user.reactivate", locked, before=before, after=after)
    user.is_active = True


# --- Invitations ------------------------------------------------------------------------


def invitation_url(token: str) -> str:
    return _site_url(reverse("invitation-accept", kwargs={"token": token}))


def invite(
    actor: User, *, email: str, office: Office, role: str, full_name: str = ""
) -> tuple[Invitation, bool]:
    """Invite ``email`` to hold ``role`` at ``office``: withdraws earlier open invitations
    of the address, stores the new one (the token's hash only), audits it and sends the
    link by e-mail. Returns the invitation and whether the e-mail went out (a failure is
    logged; the administrator can send a new invitation)."""
    policy.check(actor, "user.invite", office)
    email = email.strip()
    role = Role(role)
    if not email:
        raise AccountError(_("Enter an e-mail address."), field="email")
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError(
            _(
                "Someone with this e-mail address already has an account: give them the "
                "role on their page instead."
            ),
            field="email",
        )
    token = secrets.token_urlsafe(32)
    now = _now()
    with transaction.atomic():
        Invitation.objects.filter(
            email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            email=email,
            full_name=full_name.strip(),
            office=office,
            role=role,
            token_hash=Invitation.hash_token(token),
            invited_by=actor,
            created_at=now,
            expires_at=now + timedelta(hours=settings.INVITATION_HOURS),
        )
        audit.log(actor, "invitation.send", invitation, after=audit.snapshot(invitation))
    try:
        _send(
            email,
            "organizations/mail/invitation_subject.txt",
            "organizations/mail/invitation.txt",
            {
                "invitation": invitation,
                "url": invitation_url(token),
                "inviter": actor,
                "role": Role(role).label,
                "hours": settings.INVITATION_HOURS,
            },
        )
    except Exception:
        logger.exception("Invitation e-mail to %s could not be sent", email)
        return invitation, False
    return invitation, True


def open_invitation(token: str) -> Invitation | None:
    """The invitation a link's token belongs to, if it can still be accepted."""
    if not token:
        return None
    invitation = (
        Invitation.objects.select_related("office")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )
    return invitation if invitation is not None and invitation.is_open() else None


def accept_invitation(token: str, *, username: str, full_name: str, password: str) -> User:
    """Turn an open invitation into an account with the invited role (once: a second use
    of the link, or one after it expired, is refused). ``password`` must already have
    passed the password validators (the form does that)."""
    username = username.strip()
    with transaction.atomic():
        invitation = open_invitation(token)
        now = _now()
        if invitation is None:
            raise AccountError(_("This invitation link has expired or has already been used."))
        if User.objects.filter(username__iexact=username).exists():
            raise AccountError(_("This user name is taken: choose another."), field="username")
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).update(accepted_at=now)
        if not claimed:  # another request used the link first
            raise AccountError(_("This invitation link has expired or has already been used."))
        user = User.objects.create_user(
            username=username,
            email=invitation.email,
            password=password,
            full_name=full_name.strip() or invitation.full_name,
            office=invitation.office,
            is_staff=Role(invitation.role) in policy.roles_with("adminsite.access"),
        )
        membership = Membership.objects.create(
            user=user, office=invitation.office, role=invitation.role
        )
        Invitation.objects.filter(pk=invitation.pk).update(accepted_user=user)
        audit.log(user, "user.create", user, after=audit.snapshot(user))
        audit.log(user, "membership.create", membership, after=audit.snapshot(membership))
        audit.log(user, "invitation.accept", invitation, after={"user": user.username})
    return user


def withdraw_invitation(actor: User, invitation: Invitation) -> None:
    """Withdraw an invitation that has not been accepted: its link stops working."""
    policy.check(actor, "user.invite", invitation)
    with transaction.atomic():
        changed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=_now())
        if not changed:
            raise AccountError(_("This invitation was already accepted or withdrawn."))
        audit.log(actor, "invitation.withdraw", invitation)


def pending_invitations(actor: policy.AnyUser | None) -> QuerySet[Invitation]:
    """Invitations not yet accepted nor withdrawn that ``actor`` may manage (expired ones
    included: the page marks them)."""
    return policy.scope(
        actor,
        "user.invite",
        Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True),
    ).select_related("office", "invited_by")


# --- Password resets --------------------------------------------------------------------


def reset_url(user: User) -> str:
    """A single-use link to set a new password (Django's token: it stops working once the
    password changes, and after ``PASSWORD_RESET_TIMEOUT``)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return _site_url(reverse("password-reset-confirm", kwargs={"uidb64": uid, "token": token}))


def _send_reset_mail(user: User, *, by_admin: bool) -> None:
    _send(
        user.email,
        "organizations/mail/password_reset_subject.txt",
        "organizations/mail/password_reset.txt",
        {
            "user": user,
            "url": reset_url(user),
            "by_admin": by_admin,
            "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        },
    )


def request_password_reset(email: str, *, ip: str | None) -> bool:
    """Someone asked for a reset link for ``email``. The same work happens whether or not
    the address belongs to an account (no enumeration by answer or timing): a rate-limit
    row, and — within ``PASSWORD_RESET_PER_ADDRESS`` per address and
    ``PASSWORD_RESET_PER_IP`` per client address per hour — a background task that looks
    the address up and sends the link. Returns False when the limit refused it."""
    email_hash = PasswordResetRequest.hash_email(email)
    since = _now() - timedelta(hours=1)
    with transaction.atomic():
        recent = PasswordResetRequest.objects.filter(at__gte=since)
        over = recent.filter(email_hash=email_hash).count() >= settings.PASSWORD_RESET_PER_ADDRESS
        if ip and recent.filter(ip=ip).count() >= settings.PASSWORD_RESET_PER_IP:
            over = True
        PasswordResetRequest.objects.create(email_hash=email_hash, ip=ip)
        if over:
            logger.warning("Password-reset requests over the limit (from %s)", ip)
            return False
        transaction.on_commit(lambda: send_password_reset.enqueue(email.strip()))
    return True


@task()  # type: ignore[untyped-decorator]
def send_password_reset(email: str) -> int:
    """Background task: send a reset link to each active account with ``email``; returns
    how many were sent (usually 0 or 1)."""
    sent = 0
    for user in User.objects.filter(email__iexact=email, is_active=True):
        with transaction.atomic():
            audit.log(None, "user.password_reset_requested", user)
        _send_reset_mail(user, by_admin=False)
        sent += 1
    return sent


def password_reset_completed(user: User, *, ip: str | None = None) -> None:
    """The person set a new password through a reset link: every session of theirs ends
    (Django's session hash would refuse them anyway) and the trail records it."""
    with transaction.atomic():
        _end_all(user)
        audit.log(user, "user.password_reset", user, ip=ip)


def reset_password_by_admin(actor: User, user: User) -> None:
    """An administrator resets ``user``'s password: the current one stops working at once,
    the sessions end, and a link to choose a new one goes to the person's e-mail (the
    administrator never learns or sets the password)."""
    check_user(actor, "user.reset_password", user)
    if not user.email:
        raise AccountError(
            _("This person has no e-mail address: add one before resetting the password.")
        )
    if not user.is_active:
        raise AccountError(_("Reactivate the account before resetting its password."))
    with transaction.atomic():
        user.set_unusable_password()
        user.save(update_fields=["password"])
        sessions = _end_all(user)
        audit.log(actor, "user.password_reset_by_admin", user, after={"sessions_ended": sessions})
    _send_reset_mail(user, by_admin=True)
