"""Where press conferences hold a data subject's values (organizations.privacy.subjects):
the media-contacts register, invitations, attendance and question logs, and the free
text of a conference and its material."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prima.organizations.models import Office
from prima.organizations.privacy.subjects import (
    Finder,
    SubjectKind,
    Treatment,
    digits,
    register,
    resolver,
)

from .models import (
    Attendance,
    Briefing,
    ChecklistItem,
    ChronologyEntry,
    Conference,
    CoverageLink,
    Fact,
    Invitation,
    MaterialVersion,
    MediaContact,
    OpenQuestion,
    PriorStatement,
    QuestionLog,
    RoleAssignment,
    RundownItem,
    Spokesperson,
)

PUBLIC_TASK = _(
    "A record of the office's public task (UU 27/2022 Ps. 15: processing for public "
    "service duties); it is kept, with the person's name replaced by a pseudonym."
)
CONFERENCE = "conference__office"

register(
    Finder(
        Invitation,
        ("email_error",),
        Treatment.DELETE,
        _("The invitations sent to the contact are deleted with the contact."),
        kinds=frozenset({SubjectKind.JOURNALIST}),
        linked=("contact__journalist", "contact__phone", "contact__email"),
        office=CONFERENCE,
        also_export=("conference", "channel", "invited_at", "confirmed_at", "declined_at"),
    )
)
register(
    Finder(
        MediaContact,
        ("journalist", "phone", "email", "notes"),
        Treatment.DELETE,
        _(
            "The media-contacts register is kept for inviting journalists; a person who "
            "asks to be erased is removed from it."
        ),
        kinds=frozenset({SubjectKind.JOURNALIST}),
        order=10,
        also_export=("outlet", "media_type", "beat", "created_at"),
    )
)
register(
    Finder(
        Attendance,
        ("journalist",),
        Treatment.PSEUDONYMISE,
        PUBLIC_TASK,
        office=CONFERENCE,
        also_export=("conference", "outlet", "signed_in_at"),
    )
)
register(
    Finder(
        QuestionLog,
        ("asker", "question", "answered_by", "answer_summary", "follow_up_note"),
        Treatment.PSEUDONYMISE,
        PUBLIC_TASK,
        office=CONFERENCE,
        also_export=("conference", "outlet", "question"),
    )
)
register(
    Finder(
        Conference,
        (
            "title",
            "summary",
            "venue_notes",
            "execution_notes",
            "lessons_learned",
            "evaluation_notes",
            "cancel_reason",
        ),
        Treatment.PSEUDONYMISE,
        PUBLIC_TASK,
    )
)
for model, fields in (
    (Fact, ("statement", "source")),
    (ChronologyEntry, ("description", "source")),
    (OpenQuestion, ("question", "answer")),
    (PriorStatement, ("title", "summary")),
    (CoverageLink, ("title", "url")),
    (ChecklistItem, ("evidence_note", "evidence_link")),
    (RundownItem, ("activity", "person")),
    (RoleAssignment, ("name",)),
):
    register(Finder(model, fields, Treatment.PSEUDONYMISE, PUBLIC_TASK, office=CONFERENCE))
register(
    Finder(
        MaterialVersion,
        ("title", "body", "items", "return_reason"),
        Treatment.PSEUDONYMISE,
        _(
            "Approved material is the record of what the office said (a public-task "
            "record); versions are immutable, so the name is replaced by a pseudonym."
        ),
        office="material__conference__office",
    )
)
register(
    Finder(
        Briefing,
        ("notes",),
        Treatment.PSEUDONYMISE,
        PUBLIC_TASK,
        office="appointment__conference__office",
    )
)
register(
    Finder(
        Spokesperson,
        ("name", "position", "notes"),
        Treatment.PSEUDONYMISE,
        _("An appointment by decree (Surat Keputusan) is a public-task record; it is kept."),
        kinds=frozenset({SubjectKind.STAFF}),
    )
)


@resolver(SubjectKind.JOURNALIST)
def journalist_values(query: str, office: Office) -> Iterable[str]:
    """The name, phone and e-mail of each media contact of the office's subtree named,
    called or mailed as ``query`` (phone numbers compared by their digits)."""
    query = query.strip()
    wanted = digits(query)
    contacts = MediaContact.objects.filter(office__in=office.subtree())
    matched = list(contacts.filter(Q(journalist__iexact=query) | Q(email__iexact=query)))
    if len(wanted) >= 6:
        matched += [c for c in contacts.exclude(phone="") if digits(c.phone) == wanted]
    for contact in matched:
        yield from (contact.journalist, contact.phone, contact.email)
