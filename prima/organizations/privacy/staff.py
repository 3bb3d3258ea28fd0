"""Where the foundation holds a data subject's values: staff accounts and failed log-ins
(the audit trail is searched by ``audit.entries_holding``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import cast

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prima.organizations.models import (
    ApiToken,
    Invitation,
    LoginFailure,
    Membership,
    Office,
    User,
    UserSession,
)

from .request_models import DataSubjectRequest
from .subjects import (
    Exact,
    Finder,
    Hit,
    Subject,
    SubjectKind,
    Treatment,
    register,
    resolver,
)

STAFF = frozenset({SubjectKind.STAFF})


class UserFinder(Finder):
    """A staff account is pseudonymised, never deleted: the audit trail and the records
    the person signed (approvals, appointments) refer to it."""

    def erase(self, hit: Hit, subject: Subject, pseudonym: str) -> None:
        user = cast(User, hit.obj)
        slug = re.sub(r"[^a-z0-9]+", "-", pseudonym.lower()).strip("-")
        user.username = slug
        user.first_name = user.last_name = ""
        user.full_name = pseudonym
        user.email = user.phone = ""
        user.is_active = False
        user.set_unusable_password()
        User.objects.filter(pk=user.pk).update(
            username=user.username,
            first_name="",
            last_name="",
            full_name=pseudonym,
            email="",
            phone="",
            is_active=False,
            password=user.password,
        )


register(
    UserFinder(
        User,
        ("username", "first_name", "last_name", "full_name", "email", "phone", "title"),
        Treatment.PSEUDONYMISE,
        _(
            "Kept as a deactivated, pseudonymised account: the audit trail and the records "
            "the person signed (approvals, appointments) refer to it."
        ),
        kinds=STAFF,
        office="memberships__office",
    )
)
register(
    Finder(
        LoginFailure,
        ("username",),
        Treatment.DELETE,
        _("Failed log-ins only serve the lock-out; they are deleted."),
        kinds=STAFF,
        office="",
    )
)


@resolver(SubjectKind.STAFF)
def staff_values(query: str, office: Office) -> Iterable[str]:
    """The user name, names, e-mail and phone of the staff member named by ``query``
    (user name or e-mail) who holds a role in the office's subtree."""
    members = Membership.objects.filter(office__in=office.subtree()).values("user")
    wanted = Q(username__iexact=query.strip()) | Q(email__iexact=query.strip())
    for user in User.objects.filter(pk__in=members).filter(wanted):
        # The user name only as a whole value: "humas" is also an ordinary word.
        yield from (Exact(user.username), user.full_name, user.get_full_name(), user.email)
        yield user.phone


register(
    Finder(
        DataSubjectRequest,
        ("subject_query", "requester", "requester_contact", "details", "outcome"),
        Treatment.PSEUDONYMISE,
        _(
            "Earlier requests of the person are kept as proof that they were answered; who "
            "asked is replaced by the pseudonym."
        ),
        clear_fields=("requester_contact",),
    )
)

register(
    Finder(
        Invitation,
        ("email", "full_name"),
        Treatment.DELETE,
        _("An invitation to become a user is not needed once answered or expired: deleted."),
        kinds=STAFF,
    )
)
ACCOUNT_LINKS = ("user__username", "user__email")
for model, why in (
    (UserSession, _("The person's signed-in sessions end and are deleted.")),
    (ApiToken, _("The person's API tokens are deleted.")),
    (Membership, _("The roles of a pseudonymised, deactivated account are removed.")),
):
    register(Finder(model, (), Treatment.DELETE, why, kinds=STAFF, linked=ACCOUNT_LINKS, office=""))
