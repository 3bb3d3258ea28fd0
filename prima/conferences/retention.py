"""Retention of media contacts (UU No. 27/2022): a journalist's phone and e-mail are kept
only while the office uses them.

``MediaContact.personal_data`` declares the period (``PDP_MEDIA_CONTACT_DAYS`` after the
last contact); the personal-data retention run (``prima apply-retention``) calls
:func:`apply_media_contacts` with its cut-off.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet

from prima.organizations import audit

from .models import MediaContact


def unused_contacts(limit_at: datetime) -> QuerySet[MediaContact]:
    """Contacts nobody has used since ``limit_at``: last contacted before it (or, never
    contacted, last changed before it) and not invited since."""
    return MediaContact.objects.filter(
        Q(last_contact_on__lt=limit_at.date())
        | Q(last_contact_on__isnull=True, updated_at__lt=limit_at)
    ).exclude(invitations__invited_at__gte=limit_at)


def apply_media_contacts(limit_at: datetime, *, dry_run: bool = False) -> int:
    """Remove the contacts unused since ``limit_at``: deleted when no invitation names
    them; otherwise (past conference records name them) only the journalist's name and
    outlet stay — phone, e-mail and notes are erased and the contact is made inactive. One
    audit entry per contact, without the removed values. Returns how many contacts were
    (or would be) deleted or erased."""
    unused = unused_contacts(limit_at)
    deletable = unused.filter(invitations__isnull=True)
    erasable = (
        unused.filter(invitations__isnull=False)
        .filter(Q(phone__gt="") | Q(email__gt="") | Q(notes__gt=""))
        .distinct()
    )
    if dry_run:
        return deletable.count() + erasable.count()
    removed = 0
    for contact in deletable.select_related("office").order_by("pk"):
        with transaction.atomic():
            audit.log(
                None,
                "mediacontact.retention_delete",
                contact,
                after={"unused_since": limit_at.date().isoformat()},
            )
            contact.delete()
        removed += 1
    for contact in erasable.select_related("office").order_by("pk"):
        with transaction.atomic():
            erased = [name for name in ("phone", "email", "notes") if getattr(contact, name)]
            # update(): the erasure is not a use, so updated_at stays as it was.
            MediaContact.objects.filter(pk=contact.pk).update(
                phone="", email="", notes="", is_active=False
            )
            audit.log(
                None,
                "mediacontact.retention_erase",
                contact,
                after={"erased": erased, "unused_since": limit_at.date().isoformat()},
            )
        removed += 1
    return removed
