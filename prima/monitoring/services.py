"""Staff actions on monitoring objects: one function each, called by pages, API and admin.

Every function checks the policy (404 for objects outside what the user may see, 403 for
an action they may not take), validates, changes state and writes exactly one audit
entry per changed object, in the same transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.organizations import audit, files, policy
from prima.organizations.models import ApiToken, Office, User

from . import rollups
from .analysis import ModelUnavailable
from .fetch import address_refusal
from .ingest import ingest_items
from .models import (
    ColumnMappingPreset,
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
from .parsers.base import clean_url
from .parsers.mapping import PRESETS, ColumnMapping, missing_required
from .parsers.social import FORMAT_ZIP, detect_format, inspect_columns, unreadable_reason
from .query import QuerySyntaxError, caret_line
from .query import parse as parse_query
from .sources.article import transport as article_transport
from .sources.manual.transport import item_from_clipping
from .sources.rss import transport as rss_transport

MANUAL_SOURCE_NAME = "Kliping manual"
SOURCE_FIELDS = ("name", "url", "platform", "outlet", "is_active", "mapping",
                 "poll_interval_minutes")  # fmt: skip


# --- sources ----------------------------------------------------------------------------------


# Kinds whose address PRIMA fetches: checked by the SSRF guard when saved.
FETCHED_KINDS = (SourceKind.RSS, SourceKind.ARTICLE)
PUSH_KEY_PREFIX = "prima_push_"


def clean_source(source: Source) -> None:
    """Validate a source before it is saved (also used by the admin's form): raises
    ValidationError by field, e.g. for a feed address the SSRF guard refuses."""
    if source.kind == SourceKind.RSS and not source.url:
        raise ValidationError({"url": _("A feed needs its address.")})
    if source.poll_interval_minutes < 5:
        raise ValidationError({"poll_interval_minutes": _("Poll a feed at most every 5 minutes.")})
    source.full_clean(exclude=["created_by", "office"])
    if (
        Source.objects.filter(office_id=source.office_id, name=source.name)
        .exclude(pk=source.pk)
        .exists()
    ):
        raise ValidationError({"name": _("This office already has a source with this name.")})
    if source.kind in FETCHED_KINDS and source.url:
        # The same guard as every fetch, now: an internal address is refused when saved,
        # not at the first poll.
        refusal = address_refusal(source.url)
        if refusal:
            raise ValidationError(
                {"url": _("PRIMA may not fetch this address: %(reason)s") % {"reason": refusal}}
            )


def create_source(user: User, office: Office, *, kind: str, **fields: Any) -> Source:
    """Add a media source to ``office`` (``source.manage``); the one function behind the
    page, the API, the admin and ``prima create-push-source``. Feeds are polled from now
    on. A push source gets its key at once: the key is on the returned source as
    ``new_push_key`` and nowhere else (only its hash is stored)."""
    policy.check(user, "source.manage", office)
    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise TypeError(f"unknown source fields: {', '.join(sorted(unknown))}")
    if kind not in SourceKind.values:
        raise ValidationError({"kind": _("Unknown kind of source.")})
    source = Source(office=office, kind=kind, created_by=user, **fields)
    clean_source(source)
    key = _new_push_key(source) if kind == SourceKind.PUSH else None
    with transaction.atomic():
        source.save()
        audit.log(user, "source.create", source, after=audit.snapshot(source))
    source.new_push_key = key
    if kind == SourceKind.RSS:
        from .tasks import ensure_scheduler

        ensure_scheduler()
    return source


def source_for_import(
    user: User, office: Office, name: str, *, kind: str = SourceKind.SOCIAL_IMPORT
) -> Source:
    """The office's source of ``kind`` called ``name`` to import into (``import.run``),
    created — with :func:`create_source`'s rules and audit entry — when the office has
    none of that name yet. A source of that name but another kind is refused, so that an
    import never lands in a feed by mistake."""
    policy.check(user, "import.run", office)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the new source a name."))
    same_name = Source.objects.filter(office=office, name=name).order_by("pk")
    source = same_name.filter(kind=kind).first()
    if source is not None:
        return source
    other = same_name.first()
    if other is not None:
        raise ValidationError(
            _(
                "“%(name)s” already names a source of another kind (%(kind)s) in this "
                "office: choose another name."
            )
            % {"name": name, "kind": other.get_kind_display()}
        )
    return create_source(user, office, kind=kind, name=name)


def _new_push_key(source: Source) -> str:
    key = PUSH_KEY_PREFIX + secrets.token_urlsafe(32)
    source.push_key_prefix = key[: len(PUSH_KEY_PREFIX) + 6]
    source.push_key_hash = ApiToken.hash_key(key)
    return key


def issue_push_key(user: User, source: Source) -> str:
    """Give a push source a new key (``source.manage``); the old key stops working at
    once. Returns the key: show it once, it is not stored. Audited (the key's prefix,
    never the key)."""
    policy.check(user, "source.manage", source)
    if source.kind != SourceKind.PUSH:
        raise ValidationError(_("Only push sources have a key."))
    with transaction.atomic():
        before = audit.snapshot(source, ["push_key_prefix"])
        key = _new_push_key(source)
        Source.objects.filter(pk=source.pk).update(
            push_key_prefix=source.push_key_prefix, push_key_hash=source.push_key_hash
        )
        audit.log(
            user,
            "source.push_key",
            source,
            before=before,
            after=audit.snapshot(source, ["push_key_prefix"]),
        )
    return key


def source_for_push_key(key: str) -> Source | None:
    """The active push source a key belongs to, or None."""
    if not key or not key.startswith(PUSH_KEY_PREFIX):
        return None
    return (
        Source.objects.select_related("office")
        .filter(kind=SourceKind.PUSH, push_key_hash=ApiToken.hash_key(key))
        .first()
    )


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
        clean_source(source)
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


PUBLIC_FORM_SOURCE_NAME = "Formulir publik"


def public_form_source(office: Office) -> Source:
    """The office's source for messages from the public portal (created on first use)."""
    source, _created = Source.objects.get_or_create(
        office=office, name=PUBLIC_FORM_SOURCE_NAME, defaults={"kind": SourceKind.PUBLIC_FORM}
    )
    return source


def ingest_public_messages(
    office: Office, messages: Iterable[tuple[str, str, str, datetime]]
) -> dict[str, int | None]:
    """Store messages the public sent through the portal — (reference, title, text,
    submitted at) — as mentions of ``office`` (source kind ``public_form``), analysed like
    any other mention. Idempotent: a reference handed over again is not stored twice.
    Returns {reference: mention id} (None for a message that could not be stored).

    Called by the portal's background work, not by a person: no policy check, and the
    job row (kind ``public_form``) is the record instead of an audit entry.
    """
    from .sources.public_form.transport import item_from_message

    rows = list(messages)
    if not rows:
        return {}
    items = [
        item_from_message(reference=ref, title=title, text=text, submitted_at=at)
        for ref, title, text, at in rows
    ]
    _job, results = ingest_items(
        public_form_source(office), items, kind=JobKind.PUBLIC_FORM, collect=True
    )
    return {ref: result.mention_id for (ref, *_rest), result in zip(rows, results, strict=True)}


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
    policy.check(user, "mention.create", office)
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
    try:
        with transaction.atomic():
            mention = _store_clipping(user, source, item)
    except ModelUnavailable:
        raise ValidationError(
            _(
                "The clipping was not stored: PRIMA cannot analyse text at the moment (a "
                "language or sentiment model is missing). Ask the administrator."
            ),
            code="analysis_unavailable",
        ) from None
    return mention


def _store_clipping(user: User, source: Source, item: Any) -> Mention:
    _job, results = ingest_items(source, [item], kind=JobKind.MANUAL, user=user, collect=True)
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


def correct_sentiments(user: User, mentions: Iterable[Mention], label: str) -> int:
    """Correct the sentiment of many mentions at once (staff select them in the stream):
    :func:`correct_sentiment` for each, all or none (one transaction). Every mention is
    checked against ``mention.correct`` first and gets its own audit entry. Returns how
    many changed."""
    mentions = list(mentions)
    if label not in Sentiment.values:
        raise ValidationError(_("Unknown sentiment."))
    for mention in mentions:
        policy.check(user, "mention.correct", mention)
    with transaction.atomic():
        return sum(1 for mention in mentions if correct_sentiment(user, mention, label) is not None)


def _move_sentiment(mention: Mention, old: str, new: str) -> None:
    """Move one mention from ``old`` to ``new`` sentiment in every rollup (see
    :mod:`.rollups`)."""
    rollups.move_sentiment([(rollups.Facts.of(mention, sentiment=old), new)])


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
    policy.check(user, "watchlist.manage", office)
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
    policy.check(user, "import.run", office)
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


@dataclass(frozen=True)
class UploadInspection:
    """What the mapping step needs to know about an uploaded export."""

    format: str | None
    columns: list[str]  # column names, or JSON paths
    suggested: ColumnMapping | None
    problem: str  # why no columns could be read ("" when they could, or no reason known)


INSPECT_HEAD_BYTES = 256 * 1024


def inspect_upload(upload: IO[bytes], filename: str = "") -> UploadInspection:
    """Format, columns and suggested mapping of an uploaded export (a seekable binary
    file), for the mapping step; when no column can be read, the reason the import would
    give (the same words as ``prima ingest``'s report). Reads the start of CSV/NDJSON
    files, JSON whole, and a zip's directory and first member."""
    head = upload.read(INSPECT_HEAD_BYTES)
    upload.seek(0)
    fmt = detect_format(head, filename)
    # A zip's directory is at its end: it needs the whole file, not its start.
    file_format, columns, suggested = inspect_columns(
        upload if fmt == FORMAT_ZIP else head, filename=filename
    )
    upload.seek(0)
    problem = "" if columns else unreadable_reason(upload, filename=filename)
    return UploadInspection(file_format, columns, suggested, problem)


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
    enqueue: bool = True,
) -> IngestJob:
    """Store the upload under MEDIA_ROOT and queue its import (``import.run``).

    The file is checked for size (``MONITORING_MAX_UPLOAD_BYTES``) and format before
    anything is stored; rows are read in the background (:func:`.tasks.run_ingest_job`),
    or, with ``enqueue=False``, by the caller (``prima ingest`` runs the job itself).
    """
    policy.check(user, "import.run", source.office)
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
    with files.atomic():
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
        files.store(job.file, filename, upload if isinstance(upload, File) else File(upload))
        job.save()
        audit.log(user, "import.start", job, after=audit.snapshot(job))
        _enqueue(job, enqueue)
    return job


def start_url_import(
    user: User, source: Source, urls: Iterable[str] | str, *, enqueue: bool = True
) -> IngestJob:
    """Queue the fetching of article pages (one URL per line) into an article source
    (``import.run``); ``enqueue=False`` leaves running the job to the caller."""
    policy.check(user, "import.run", source.office)
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
        _enqueue(job, enqueue)
    return job


def start_feed_import(
    user: User, source: Source, url: str = "", *, enqueue: bool = True
) -> IngestJob:
    """Fetch a feed once — ``url``, or the source's own address — and queue the import of
    its items into the feed source (``import.run``). Regular polling is separate (the
    scheduler polls active feed sources)."""
    policy.check(user, "import.run", source.office)
    if source.kind != SourceKind.RSS:
        raise ValidationError(_("A feed is imported into a feed source."))
    address = clean_url(url) if url else source.url
    if not address:
        raise ValidationError(_("A feed is given by its http(s) address."))
    fetched = rss_transport.fetch(source, url=address)
    if fetched.error:
        raise ValidationError(
            _("The feed could not be fetched: %(error)s") % {"error": fetched.error}
        )
    with files.atomic():
        job = rss_transport.store_fetch(
            source, fetched, url=address if address != source.url else "", user=user
        )
        audit.log(user, "import.start", job, after=audit.snapshot(job))
        _enqueue(job, enqueue)
    return job


def _enqueue(job: IngestJob, enqueue: bool = True) -> None:
    from .tasks import enqueue_job, ensure_scheduler

    if enqueue:
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


def retry_job(user: User, job: IngestJob, *, enqueue: bool = True) -> IngestJob:
    """Queue a failed import again; it resumes at its checkpoint (``import.run``).
    ``enqueue=False`` leaves running it to the caller."""
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
        _enqueue(job, enqueue)
    return job
