"""Where media monitoring holds a data subject's values (organizations.privacy.subjects):
the posts and articles collected (authors, accounts, words quoting them) and everything
derived from them: issues, top-author roll-ups, term counts, sentiment corrections,
watch-lists, sources and import jobs."""

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

from .models import (
    DailyActor,
    IngestJob,
    IngestRejection,
    Issue,
    Mention,
    SentimentCorrection,
    Source,
    TermStat,
    WatchList,
)

STATISTICS = _(
    "Kept for the office's monitoring statistics (counts, issues, sentiment); the "
    "person's name, account and the words naming them are replaced by a pseudonym."
)

register(
    Finder(
        Mention,
        (
            "author",
            "author_handle",
            "external_id",
            "url",
            "title",
            "text",
            "summary",
            "search_text",
        ),
        Treatment.PSEUDONYMISE,
        STATISTICS,
    )
)
register(Finder(DailyActor, ("name",), Treatment.PSEUDONYMISE, STATISTICS))
register(
    Finder(
        Issue, ("label", "name", "centroid", "words", "phrases"), Treatment.PSEUDONYMISE, STATISTICS
    )
)
register(
    Finder(
        TermStat,
        ("term",),
        Treatment.DELETE,
        _("A count of a word that names the person: deleted."),
    )
)
register(
    Finder(
        SentimentCorrection,
        ("text",),
        Treatment.PSEUDONYMISE,
        _(
            "A copy of a post's text kept to train the sentiment model; the person's name "
            "and account are replaced by a pseudonym."
        ),
    )
)
register(
    Finder(
        WatchList,
        ("name", "query", "description"),
        Treatment.PSEUDONYMISE,
        _("A watch-list that names the person is kept with a pseudonym; review its query."),
    )
)
register(
    Finder(
        Source,
        ("name", "url", "last_error"),
        Treatment.PSEUDONYMISE,
        _("A source following the person's account is kept with a pseudonym; disable it."),
    )
)
register(
    Finder(
        IngestJob,
        ("filename", "urls", "errors", "warnings"),
        Treatment.PSEUDONYMISE,
        _("The import's record is kept; its messages naming the person are pseudonymised."),
    )
)
register(
    Finder(
        IngestRejection,
        ("member", "reason"),
        Treatment.DELETE,
        _("A rejected row of an import: deleted."),
        office="job__office",
    )
)


@resolver(SubjectKind.ACCOUNT)
def account_values(query: str, office: Office) -> Iterable[str]:
    """The handle with and without "@", and the author names collected under it."""
    handle = query.strip().lstrip("@")
    if not handle:
        return
    yield from (handle, "@" + handle)
    authors = (
        Mention.objects.filter(office__in=office.subtree(), author_handle__iexact=handle)
        .exclude(author="")
        .values_list("author", flat=True)
        .distinct()[:20]
    )
    yield from authors
