"""Where the public portal holds a data subject's values (organizations.privacy.subjects):
questions and reports sent by the public (found by their reference), published releases
and announcements, and the office's press contact."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from prima.organizations.models import Office
from prima.organizations.privacy.subjects import (
    Finder,
    SubjectKind,
    Treatment,
    register,
    resolver,
)

from .models import Announcement, Inquiry, PortalProfile, Publication

register(
    Finder(
        Inquiry,
        ("reference", "name", "phone", "email", "message", "answer"),
        Treatment.PSEUDONYMISE,
        _(
            "Questions and reports are records of complaint handling (Permenpan-RB "
            "15/2014); the sender's name, phone and e-mail are erased and the message is "
            "kept with a pseudonym."
        ),
        clear_fields=("name", "phone", "email"),
        also_export=("kind", "message", "submitted_at", "status", "answer"),
    )
)
PUBLISHED = _(
    "Published on the portal as a public-task record; it stays published with the "
    "person's name replaced by a pseudonym."
)
register(
    Finder(
        Publication, ("title", "lead", "body", "withdraw_reason"), Treatment.PSEUDONYMISE, PUBLISHED
    )
)
register(Finder(Announcement, ("title", "note"), Treatment.PSEUDONYMISE, PUBLISHED))
register(
    Finder(
        PortalProfile,
        (
            "press_contact_name",
            "press_contact_title",
            "press_phone",
            "press_whatsapp",
            "press_email",
        ),
        Treatment.PSEUDONYMISE,
        _("The office's public press contact: the person's details are removed from it."),
        kinds=frozenset({SubjectKind.STAFF}),
        clear_fields=("press_contact_name", "press_phone", "press_whatsapp", "press_email"),
    )
)


@resolver(SubjectKind.SUBMITTER)
def submitter_values(query: str, office: Office) -> Iterable[str]:
    """The reference, name, phone and e-mail of the submission with reference ``query``."""
    for inquiry in Inquiry.objects.filter(
        office__in=office.subtree(), reference__iexact=query.strip()
    ):
        yield from (inquiry.reference, inquiry.name, inquiry.phone, inquiry.email)
