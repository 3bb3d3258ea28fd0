"""Staff actions on monitoring objects: one function each, called by pages, API and admin.

Every function checks the policy (404 for objects outside what the user may see, 403 for
an action they may not take), validates, changes state and writes exactly one audit
entry per changed object, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.organizations import audit, policy
from prima.organizations.models import Office, User

from .bulk import hour_of, subtract, upsert_add
from .ingest import ingest_items
from .models import (
    ColumnMappingPreset,
    HourlyVolume,
    IngestJob,
    JobKind,
    JobStatus,
    Mention,
    Platform,
    Sentiment,
    SentimentCorrection,
    Source,
    SourceKind,
    WatchList,
)
from .parsers.mapping import PRESETS, ColumnMapping, missing_required
from .parsers.social import detect_format, inspect_columns
from .query import QuerySyntaxError, caret_line
from .query import parse as parse_query
from .sources.article import transport as article_transport
from .sources.manual.transport import item_from_clipping

MANUAL_SOURCE_NAME = "Kliping manual"
SOURCE_FIELDS = ("name", "url", "platform", "outlet", "is_active", "mapping",
                 "poll_interval_minutes")  # fmt: skip


def _require(user: User, action: str, office: Office) -> None:
    if not policy.can(user, action, office):
        if not policy.can(user, policy.view_action(action), office):
            from django.http import Http404

            raise Http404
        raise PermissionDenied


# --- sources ----------------------------------------------------------------------------------


def _clean_source(source: Source) -> None:
    if source.kind == SourceKind.RSS and not source.url:
        raise ValidationError({"url": _("A feed needs its address.")})
    if source.poll_interval_minutes < 5:
        raise ValidationError({"poll_interval_minutes": _("Poll a feed at most every 5 minutes.")})
    source.full_clean(exclude=["created_by", "office"])


def create_source(user: User, office: Office, *, kind: str, **fields: Any) -> Source:
    """Add a media source to ``office`` (``source.manage``). Feeds are polled from now on."""
    _require(user, "source.manage", office)
    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise TypeError(f"unknown source fields: {', '.join(sorted(unknown))}")
    source = Source(office=office, kind=kind, created_by=user, **fields)
    _clean_source(source)
    with transaction.atomic():
        source.save()
        audit.log(user, "source.create", source, after=audit.snapshot(source))
    if kind == SourceKind.RSS:
        from .tasks import ensure_scheduler

        ensure_scheduler()
    return source


def update_source(user: User, source: Source, **fields: Any) -> Source:
    """Change a source's settings (``source.manage``); the kind never changes."""
    policy.check(user, "source.manage", source)
    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise TypeError(f"unknown source fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        before = audit.snapshot(source)
        for name, value in fields.items():
            setattr(source, name, value)
        if "url" in fields:
            # A new address: forget the old validators and failures.
            source.etag = source.last_modified = source.last_error = ""
            source.failure_count = 0
            source.next_poll_at = None
        _clean_source(source)
        source.save()
        audit.log(user, "source.update", source, before=before, after=audit.snapshot(source))
    return source


def delete_source(user: User, source: Source) -> None:
    """Remove a source that never stored anything; others can only be deactivated."""
    policy.check(user, "source.manage", source)
    if source.mentions.exists() or source.jobs.exists():
        raise ValidationError(
            _("This source has stored mentions or imports: deactivate it instead.")
        )
    audit.log_deletion(user, "source.delete", source)


def manual_source(office: Office) -> Source:
    """The office's source for manual clippings (created on first use; not audited: it is
    infrastructure, not a staff decision)."""
    source, _created = Source.objects.get_or_create(
        office=office, name=MANUAL_SOURCE_NAME, defaults={"kind": SourceKind.MANUAL}
    )
    return source


def push_source(office: Office, name: str = "Push API") -> Source:
    """A push source of the office (created on first use)."""
    source, _created = Source.objects.get_or_create(
        office=office, name=name, defaults={"kind": SourceKind.PUSH}
    )
    return source


def poll_now(user: User, source: Source) -> None:
    """Poll a feed as soon as a worker is free (``source.manage``)."""
    from .tasks import claim_feed, poll_source

    policy.check(user, "source.manage", source)
    if source.kind != SourceKind.RSS:
        raise ValidationError(_("Only feeds are polled."))
    if claim_feed(source.pk, force=True):
        transaction.on_commit(lambda: poll_source.enqueue(source.pk))


# --- clippings and corrections -----------------------------------------------------------------

CLIPPING_PLATFORMS = (Platform.PRINT, Platform.TV, Platform.RADIO, Platform.NEWS, Platform.OTHER)


def add_clipping(
    user: User,
    office: Office,
    *,
    outlet: str,
    platform: str,
    published_at: date | datetime,
    title: str,
    summary: str,
    programme: str = "",
    url: str = "",
    text: str = "",
    author: str = "",
) -> Mention:
    """Store a manual clipping (print, TV, radio…) through the pipeline (``mention.create``).

    Raises ValidationError when it is a duplicate or cannot be stored.
    """
    _require(user, "mention.create", office)
    if platform not in CLIPPING_PLATFORMS:
        raise ValidationError({"platform": _("Choose print, TV, radio, online news or other.")})
    if not outlet.strip():
        raise ValidationError({"outlet": _("Name the outlet.")})
    if not (title.strip() or summary.strip() or text.strip()):
        raise ValidationError({"summary": _("Give a title or a summary.")})
    item = item_from_clipping(
        outlet=outlet,
        platform=platform,
        published=published_at,
        title=title,
        summary=summary,
        programme=programme,
        url=url,
        text=text,
        author=author,
        tz=office.timezone,
    )
    source = manual_source(office)
    with transaction.atomic():
        job, results = ingest_items(source, [item], kind=JobKind.MANUAL, user=user, collect=True)
        result = results[0]
        if result.status != "accepted" or result.mention_id is None:
            raise ValidationError(
                _("This clipping was not stored: %(reason)s")
                % {"reason": result.reason or result.status}
            )
        mention = Mention.objects.get(pk=result.mention_id)
        audit.log(user, "mention.create_clipping", mention, after=audit.snapshot(mention))
    return mention


def correct_sentiment(user: User, mention: Mention, label: str) -> SentimentCorrection | None:
    """Correct a mention's sentiment (``mention.correct``); the correction is kept for the
    next ``prima train-sentiment``. Rollups move the mention to its new sentiment.
    Returns None when the label is unchanged."""
    policy.check(user, "mention.correct", mention)
    if label not in Sentiment.values:
        raise ValidationError(_("Unknown sentiment."))
    if label == mention.sentiment:
        return None
    with transaction.atomic():
        before = audit.snapshot(mention, fields=["sentiment", "sentiment_corrected"])
        previous = mention.sentiment
        mention.sentiment = label
        mention.sentiment_corrected = True
        mention.save(update_fields=["sentiment", "sentiment_corrected"])
        correction = SentimentCorrection.objects.create(
            office=mention.office,
            mention=mention,
            text=f"{mention.title}\n{mention.text}".strip()[:20_000],
            language=mention.language,
            previous=previous,
            label=label,
            corrected_by=user,
        )
        _move_sentiment(mention, previous, label)
        audit.log(
            user,
            "mention.correct_sentiment",
            mention,
            before=before,
            after=audit.snapshot(mention, fields=["sentiment", "sentiment_corrected"]),
        )
    return correction


def _move_sentiment(mention: Mention, old: str, new: str) -> None:
    """Move one mention from ``old`` to ``new`` sentiment in the rollups and its issue."""
    from django.db.models import F

    from .models import Issue, IssueVolume

    hour = hour_of(mention.published_at.astimezone(UTC))
    key = (mention.office_id, hour, mention.kind, mention.platform)
    reach = mention.author_followers or 0
    table = HourlyVolume._meta.db_table
    keys = ("office_id", "hour", "kind", "platform", "sentiment", "language")
    numbers = ("mentions", "engagement", "reach")
    subtract(table, keys, numbers,
             [((*key, old, mention.language), (1, mention.engagement, reach))])  # fmt: skip
    upsert_add(table, keys, numbers,
               [((*key, new, mention.language), (1, mention.engagement, reach))])  # fmt: skip
    if mention.issue_id:
        volume = IssueVolume._meta.db_table
        subtract(volume, ("issue_id", "hour"), (old,), [((mention.issue_id, hour), (1,))])
        # Every column in the insert: its NOT NULL checks run before the conflict is seen.
        columns = ("mentions", "positive", "neutral", "negative", "engagement")
        upsert_add(
            volume,
            ("issue_id", "hour"),
            columns,
            [((mention.issue_id, hour), tuple(int(c == new) for c in columns))],
        )
        delta = (new == "negative") - (old == "negative")
        if delta:
            Issue.objects.filter(pk=mention.issue_id).update(
                negative_count=F("negative_count") + delta
            )


# --- watch-lists -----------------------------------------------------------------------------


def validate_query(query: str) -> None:
    """Raise ValidationError for a malformed watch-list query, pointing at the position."""
    try:
        parsed = parse_query(query)
    except QuerySyntaxError as exc:
        raise ValidationError(
            _("%(message)s (at position %(position)s):\n%(caret)s")
            % {
                "message": exc.message,
                "position": exc.position + 1,
                "caret": caret_line(query, exc),
            },  # fmt: skip
            code="query_syntax",
            params={"position": exc.position},
        ) from None
    if parsed.compiled(_search_tokens()) is None:
        raise ValidationError(
            _("The query has only common words that are not indexed; add a specific word."),
            code="query_empty",
        )


def _search_tokens():
    from .search import search_tokens

    return search_tokens


def _enqueue_retag(watchlist: WatchList) -> None:
    from .tasks import retag_watchlist

    transaction.on_commit(lambda: retag_watchlist.enqueue(watchlist.pk))


def create_watchlist(
    user: User, office: Office, name: str, query: str, description: str = ""
) -> WatchList:
    """Create a watch-list (``watchlist.manage``); existing mentions are tagged in the
    background."""
    _require(user, "watchlist.manage", office)
    validate_query(query)
    watchlist = WatchList(office=office, name=name.strip(), query=query.strip(),
                          description=description, created_by=user)  # fmt: skip
    watchlist.full_clean(exclude=["created_by", "office"])
    if WatchList.objects.filter(office=office, name=watchlist.name).exists():
        raise ValidationError({"name": _("This office already has a watch-list of that name.")})
    with transaction.atomic():
        watchlist.save()
        audit.log(user, "watchlist.create", watchlist, after=audit.snapshot(watchlist))
        _enqueue_retag(watchlist)
    return watchlist


def update_watchlist(user: User, watchlist: WatchList, **fields: Any) -> WatchList:
    """Change name, query, description or active flag; a changed query re-tags."""
    policy.check(user, "watchlist.manage", watchlist)
    allowed = {"name", "query", "description", "is_active"}
    if set(fields) - allowed:
        raise TypeError(f"unknown watch-list fields: {', '.join(sorted(set(fields) - allowed))}")
    if "query" in fields:
        validate_query(fields["query"])
    with transaction.atomic():
        before = audit.snapshot(watchlist)
        retag = any(
            k in fields and fields[k] != getattr(watchlist, k) for k in ("query", "is_active")
        )
        for key, value in fields.items():
            setattr(watchlist, key, value.strip() if isinstance(value, str) else value)
        watchlist.full_clean(exclude=["created_by", "office"])
        watchlist.save()
        audit.log(user, "watchlist.update", watchlist, before=before,
                  after=audit.snapshot(watchlist))  # fmt: skip
        if retag:
            _enqueue_retag(watchlist)
    return watchlist


def delete_watchlist(user: User, watchlist: WatchList) -> None:
    policy.check(user, "watchlist.manage", watchlist)
    audit.log_deletion(user, "watchlist.delete", watchlist)


# --- imports ---------------------------------------------------------------------------------


# What people see instead of the built-in presets' code names.
PRESET_LABELS = {
    "generic_csv": gettext_lazy("Standard spreadsheet (CSV): id, text, author, posted_at, likes…"),
    "twitter_v2_json": gettext_lazy("X (Twitter) API v2 export (JSON)"),
    "generic_ndjson": gettext_lazy("One post per line (NDJSON): id, text, author, created_at…"),
}


def available_presets(office: Office) -> list[tuple[str, str]]:
    """``(value, label)`` of the built-in presets (described in words) and the office's
    saved ones (named by the people who saved them)."""
    builtin = [(name, str(PRESET_LABELS.get(name, name))) for name in PRESETS]
    saved = [(p.name, p.name) for p in ColumnMappingPreset.objects.filter(office=office)]
    return builtin + saved


def resolve_mapping(office: Office, preset: str = "", mapping: Any = None) -> dict:
    """The mapping (as a dict) for an import: an explicit one, else a preset by name (the
    office's saved presets first, then built-in ones), else {} (suggest from the file)."""
    if mapping:
        if isinstance(mapping, ColumnMapping):
            return mapping.to_dict()
        ColumnMapping.from_dict(mapping)  # raises ValueError for unknown fields
        return dict(mapping)
    if preset:
        saved = ColumnMappingPreset.objects.filter(office=office, name=preset).first()
        if saved is not None:
            return dict(saved.mapping)
        if preset in PRESETS:
            return PRESETS[preset].to_dict()
        raise ValidationError({"preset": _("Unknown preset “%(name)s”.") % {"name": preset}})
    return {}


def save_preset(
    user: User, office: Office, name: str, mapping: ColumnMapping | dict
) -> ColumnMappingPreset:
    """Save (or replace) a named column mapping for the office (``import.run``)."""
    _require(user, "import.run", office)
    data = mapping.to_dict() if isinstance(mapping, ColumnMapping) else dict(mapping)
    try:
        parsed = ColumnMapping.from_dict(data)
    except (TypeError, ValueError) as exc:
        raise ValidationError(str(exc)) from None
    if missing_required(parsed):
        raise ValidationError(_("Choose the column that holds the post text."))
    name = name.strip()[:100]
    if not name:
        raise ValidationError({"name": _("Give the preset a name.")})
    if name in PRESETS:
        raise ValidationError({"name": _("This name is used by a built-in preset.")})
    data["name"] = name
    with transaction.atomic():
        preset = ColumnMappingPreset.objects.filter(office=office, name=name).first()
        if preset is None:
            preset = ColumnMappingPreset(office=office, name=name, mapping=data, created_by=user)
            preset.save()
            audit.log(user, "import.save_preset", preset, after=audit.snapshot(preset))
        else:
            before = audit.snapshot(preset)
            preset.mapping = data
            preset.save()
            audit.log(user, "import.save_preset", preset, before=before,
                      after=audit.snapshot(preset))  # fmt: skip
    return preset


def delete_preset(user: User, preset: ColumnMappingPreset) -> None:
    policy.check(user, "import.run", preset)
    audit.log_deletion(user, "import.delete_preset", preset)


def inspect_upload(
    head: bytes, filename: str = ""
) -> tuple[str | None, list[str], ColumnMapping | None]:
    """``(format, columns or JSON paths, suggested mapping)`` of an uploaded file's start,
    for the mapping step."""
    return inspect_columns(head, filename=filename)


def check_upload_size(size: int) -> None:
    """Refuse files above ``MONITORING_MAX_UPLOAD_BYTES`` with a message saying the limit."""
    limit = settings.MONITORING_MAX_UPLOAD_BYTES
    if size > limit:
        raise ValidationError(
            _(
                "The file is %(size)s; files up to %(limit)s can be imported. Split the export "
                "into smaller files (or zip it)."
            )
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )


def start_file_import(
    user: User,
    source: Source,
    upload: File,
    *,
    mapping: ColumnMapping | dict | None = None,
    preset: str = "",
) -> IngestJob:
    """Store the upload under MEDIA_ROOT and queue its import (``import.run``).

    The file is checked for size (``MONITORING_MAX_UPLOAD_BYTES``) and format before
    anything is stored; rows are read in the background (:func:`.tasks.run_ingest_job`).
    """
    _require(user, "import.run", source.office)
    if source.kind != SourceKind.SOCIAL_IMPORT:
        raise ValidationError(_("Files are imported into a social-media export source."))
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    check_upload_size(size)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    filename = get_valid_filename(getattr(upload, "name", "") or "import")[-200:] or "import"
    upload.seek(0)
    head = upload.read(64 * 1024)
    upload.seek(0)
    fmt = detect_format(head, filename)
    if fmt is None:
        raise ValidationError(
            _("This is not a CSV, JSON, NDJSON or zip file that PRIMA can read."), code="format"
        )
    mapping_data = resolve_mapping(source.office, preset, mapping)
    with transaction.atomic():
        job = IngestJob(
            office=source.office,
            source=source,
            kind=JobKind.FILE,
            filename=filename,
            file_size=size,
            format=fmt,
            mapping=mapping_data,
            preset=preset[:100],
            created_by=user,
        )
        job.file.save(filename, upload if isinstance(upload, File) else File(upload), save=False)
        job.save()
        audit.log(user, "import.start", job, after=audit.snapshot(job))
        _enqueue(job)
    return job


def start_url_import(user: User, source: Source, urls: Iterable[str] | str) -> IngestJob:
    """Queue the fetching of article pages (one URL per line) into an article source."""
    _require(user, "import.run", source.office)
    if source.kind != SourceKind.ARTICLE:
        raise ValidationError(_("Article addresses are imported into an article-pages source."))
    text = urls if isinstance(urls, str) else "\n".join(urls)
    clean = article_transport.split_urls(text)
    if not clean:
        raise ValidationError(_("Give at least one address."))
    if len(clean) > article_transport.MAX_URLS:
        raise ValidationError(
            _("At most %(n)s addresses per import.") % {"n": article_transport.MAX_URLS}
        )
    with transaction.atomic():
        job = IngestJob.objects.create(
            office=source.office,
            source=source,
            kind=JobKind.URLS,
            urls="\n".join(clean),
            total=len(clean),
            created_by=user,
        )
        audit.log(user, "import.start", job, after=audit.snapshot(job))
        _enqueue(job)
    return job


def _enqueue(job: IngestJob) -> None:
    from .tasks import enqueue_job, ensure_scheduler

    enqueue_job(job)
    ensure_scheduler()


def cancel_job(user: User, job: IngestJob) -> IngestJob:
    """Ask a queued or running import to stop after its current chunk (``import.run``)."""
    policy.check(user, "import.run", job)
    if job.is_finished:
        raise ValidationError(_("This import has already finished."))
    with transaction.atomic():
        before = audit.snapshot(job)
        job.cancel_requested = True
        fields = ["cancel_requested"]
        if job.status == JobStatus.QUEUED:
            job.status = JobStatus.CANCELLED
            job.finished_at = timezone.now()
            fields += ["status", "finished_at"]
        job.save(update_fields=fields)
        audit.log(user, "import.cancel", job, before=before, after=audit.snapshot(job))
    return job


def retry_job(user: User, job: IngestJob) -> IngestJob:
    """Queue a failed import again; it resumes at its checkpoint (``import.run``)."""
    policy.check(user, "import.run", job)
    if job.status != JobStatus.FAILED:
        raise ValidationError(_("Only a failed import can be retried."))
    with transaction.atomic():
        before = audit.snapshot(job)
        job.status = JobStatus.QUEUED
        job.finished_at = None
        job.errors = []
        job.save(update_fields=["status", "finished_at", "errors"])
        audit.log(user, "import.retry", job, before=before, after=audit.snapshot(job))
        _enqueue(job)
    return job
