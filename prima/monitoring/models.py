"""Media monitoring: sources, mentions, watch-lists, issues, imports and rollups.

Every object belongs to an office (``office`` foreign key), so the policy scopes it.

Storage rules that the ingestion pipeline (:mod:`prima.monitoring.ingest`) relies on:

- a :class:`Mention` is stored once per source and external id, once per office and
  canonical URL (``url_hash``), and once per office and content (``content_hash``: an
  exact copy of a post by the same account, or of an article by the same outlet, is a
  duplicate). These are unique constraints, so concurrent workers cannot store a mention
  twice;
- near-duplicates (syndicated articles, copy-paste posts by different accounts) are
  stored, each in its own row, and share a ``dup_group`` key; the first one stored is the
  group's ``is_original``. :class:`DupBand` is the LSH band index that finds the group;
- :class:`HourlyVolume`, :class:`DailyActor`, :class:`IssueVolume` and :class:`TermStat`
  are rollups kept current by ingestion in the same transaction as the mentions, so
  dashboards read thousands of rows instead of a million.

Personal data (UU No. 27/2022): a mention keeps only the author fields that monitoring
needs (name, handle, follower count); everything is deleted after
``MONITORING_RETENTION_DAYS`` by ``prima purge-mentions``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prima.organizations.files import PrivateUploadTo
from prima.organizations.models import Office
from prima.organizations.privacy import declarations as pdp


class SourceKind(models.TextChoices):
    RSS = "rss", _("RSS/Atom feed")
    ARTICLE = "article", _("Article pages")
    SOCIAL_IMPORT = "social_import", _("Social-media export")
    PUSH = "push", _("Push API")
    MANUAL = "manual", _("Manual clipping")
    PUBLIC_FORM = "public_form", _("Public questions and reports")


class Platform(models.TextChoices):
    NEWS = "news", _("Online news")
    TWITTER = "twitter", _("X (Twitter)")
    FACEBOOK = "facebook", _("Facebook")
    INSTAGRAM = "instagram", _("Instagram")
    TIKTOK = "tiktok", _("TikTok")
    YOUTUBE = "youtube", _("YouTube")
    PRINT = "print", _("Print")
    TV = "tv", _("Television")
    RADIO = "radio", _("Radio")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    INDONESIAN = "id", _("Indonesian")
    ENGLISH = "en", _("English")
    OTHER = "other", _("Other")


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


# --- Sources ------------------------------------------------------------------------------


class Source(models.Model):
    """Where mentions come from: a feed, a set of article pages, an export, a push client
    or manual clippings. How each kind gets its bytes lives in ``sources/<kind>/``.

    Feeds are polled every ``poll_interval_minutes`` with a conditional GET (``etag``,
    ``last_modified``); after a failure the next poll is pushed back exponentially
    (``failure_count``), capped by ``MONITORING_FEED_MAX_BACKOFF_MINUTES``, and the error
    is kept in ``last_error`` for the source's page.
    """

    personal_data = pdp.staff_record(
        pdp.Activity.MONITORING,
        _("Who set up a media source."),
        ("created_by",),
        visible_to=("source.view",),
    )

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="media_sources"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    platform = models.CharField(
        _("default platform"),
        max_length=20,
        choices=Platform.choices,
        blank=True,
        help_text=_("Used when an item does not say where it was published."),
    )
    outlet = models.CharField(
        _("outlet"),
        max_length=300,
        blank=True,
        help_text=_("Name of the outlet when the feed or file does not give one."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Social-media exports: the mapping used when an import does not choose one.
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    # Feed polling.
    poll_interval_minutes = models.PositiveIntegerField(_("polling interval (minutes)"), default=30)
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    next_poll_at = models.DateTimeField(_("next poll"), null=True, blank=True, editable=False)
    last_polled_at = models.DateTimeField(_("last poll"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(
        _("last successful poll"), null=True, blank=True, editable=False
    )
    failure_count = models.PositiveIntegerField(_("failures in a row"), default=0, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Push sources: the key a client sends with its posts (only a hash is stored; the key
    # is shown once, when it is issued).
    push_key_prefix = models.CharField(_("push key"), max_length=24, blank=True, editable=False)
    push_key_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    audit_exclude = ("etag", "last_modified", "next_poll_at", "last_polled_at",
                     "last_success_at", "failure_count", "last_error", "last_error_at",
                     "updated_at", "push_key_hash")  # fmt: skip
    # Not stored: the push key just issued by services.create_source, to be shown once.
    new_push_key: str | None = None

    class Meta:
        ordering = ["office", "name"]
        verbose_name = _("media source")
        verbose_name_plural = _("media sources")
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="monitoring_source_name"),
        ]
        indexes = [models.Index(fields=["kind", "is_active", "next_poll_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_failing(self) -> bool:
        return self.failure_count > 0


# --- Mentions -----------------------------------------------------------------------------


class Mention(models.Model):
    """A news article, a post or a clipping, stored once (see the module docstring).

    ``text`` is plain text (HTML flattened and sanitised by the parsers): escape it when
    showing it. ``search_text`` is ``prima.lib.text.normalise_for_search(title + text)``,
    indexed by FTS5 on SQLite and a GIN index on PostgreSQL (see :mod:`.search`).

    Migrations: on SQLite, altering a field of this model rebuilds the table and drops the
    full-text triggers; such a migration must put them back (see migration 0003).
    """

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.MONITORING,
        purpose=_(
            "Following what news and social media say about the office, to answer and correct "
            "in time."
        ),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(
            pdp.DataCategory.IDENTITY,
            pdp.DataCategory.ONLINE_ID,
            pdp.DataCategory.CONTENT,
            pdp.DataCategory.AUDIENCE,
        ),
        subjects=(pdp.Subject.AUTHORS,),
        fields=(
            "author",
            "author_handle",
            "author_followers",
            "title",
            "text",
            "summary",
            "url",
            "search_text",
        ),
        identifiers={pdp.Lookup.NAME: ("author",), pdp.Lookup.HANDLE: ("author_handle",)},
        retention=pdp.Retention(
            pdp.Start.PUBLISHED,
            days=365,
            setting="MONITORING_RETENTION_DAYS",
            purge="prima.monitoring.retention.apply_mentions",
            note=_("Deleted with their watch-list matches; counts without persons stay."),
        ),
        visible_to=("mention.view",),
    )

    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # covered by the (office, published_at) index
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="mentions",
        db_index=False,  # covered by the unique (source, external_id) index
    )
    kind = models.CharField(_("source kind"), max_length=20, choices=SourceKind.choices)
    external_id = models.CharField(_("external id"), max_length=255)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    # NULL when there is no URL (unique indexes let NULLs repeat on SQLite and PostgreSQL).
    url_hash = models.CharField(max_length=40, null=True, blank=True, editable=False)
    content_hash = models.CharField(max_length=40, editable=False)
    # Near-duplicates share a group key; the first stored member is the original.
    dup_group = models.BigIntegerField(_("story group"), editable=False)
    is_original = models.BooleanField(_("original"), default=True, editable=False)

    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    outlet = models.CharField(_("outlet"), max_length=300, blank=True)
    programme = models.CharField(_("programme"), max_length=300, blank=True)
    author = models.CharField(_("author"), max_length=300, blank=True)
    author_handle = models.CharField(_("account"), max_length=150, blank=True)
    author_followers = models.PositiveBigIntegerField(_("followers"), null=True, blank=True)
    likes = models.PositiveBigIntegerField(_("likes"), null=True, blank=True)
    shares = models.PositiveBigIntegerField(_("shares"), null=True, blank=True)
    comments = models.PositiveBigIntegerField(_("comments"), null=True, blank=True)
    engagement = models.PositiveBigIntegerField(
        _("engagement"), default=0, help_text=_("Likes + shares + comments.")
    )
    title = models.CharField(_("title"), max_length=1000, blank=True)
    text = models.TextField(_("text"))
    summary = models.TextField(_("summary"), blank=True)
    published_at = models.DateTimeField(_("published"))
    collected_at = models.DateTimeField(_("collected"), default=timezone.now)

    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    sentiment = models.CharField(_("sentiment"), max_length=10, choices=Sentiment.choices)
    sentiment_score = models.FloatField(_("sentiment confidence"), default=0.0)
    sentiment_corrected = models.BooleanField(_("sentiment corrected by staff"), default=False)

    issue = models.ForeignKey(
        "Issue",
        verbose_name=_("issue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentions",
        db_index=False,  # covered by (issue, published_at)
    )
    watchlists: models.ManyToManyField[WatchList, WatchListMatch] = models.ManyToManyField(
        "WatchList",
        through="WatchListMatch",
        related_name="mentions",
        blank=True,
        verbose_name=_("watch-lists"),
    )
    search_text = models.TextField(editable=False, blank=True)
    # The IngestJob that stored the mention (a plain number: no index, no foreign key).
    ingest_job_id = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="monitoring_mention_source_external_id"
            ),
            models.UniqueConstraint(
                fields=["office", "url_hash"], name="monitoring_mention_office_url_hash"
            ),
            models.UniqueConstraint(
                fields=["office", "content_hash"], name="monitoring_mention_office_content"
            ),
        ]
        indexes = [
            models.Index(fields=["office", "published_at"], name="monitoring_mention_office_pub"),
            # Streams over several offices (supervisors) walk time and filter the offices.
            models.Index(fields=["published_at", "id"], name="monitoring_mention_pub"),
            models.Index(fields=["issue", "published_at"], name="monitoring_mention_issue_pub"),
            # Finds a story's original directly (and a story's members for its size).
            models.Index(
                fields=["office", "dup_group", "is_original"], name="monitoring_mention_story"
            ),
            models.Index(fields=["office", "engagement"], name="monitoring_mention_engagement"),
        ]

    def __str__(self) -> str:
        label = self.title or self.text
        return label[:80] + ("…" if len(label) > 80 else "")

    @property
    def display_author(self) -> str:
        """Who posted it, as people on that platform read it: ``Budi Santoso · @budisan``
        on X, Instagram, TikTok and YouTube (the handle once, and only when it adds
        something to the name); a Facebook page or profile by its name, without "@"."""
        handle = self.author_handle.strip().lstrip("@")
        name = self.author.strip()
        if not handle:
            return name
        if self.platform not in HANDLE_PLATFORMS or " " in handle:
            account = handle
        else:
            account = f"@{handle}"
        if not name:
            return account
        if _same_person(name, handle):
            return account if account.startswith("@") else name
        return f"{name} · {account}"

    @property
    def is_social_post(self) -> bool:
        """A post on a social platform (not a news, print or broadcast item)."""
        return self.platform in SOCIAL_PLATFORMS


# Platforms where an account is an "@handle"; on Facebook people read the page's name.
HANDLE_PLATFORMS = frozenset({"twitter", "instagram", "tiktok", "youtube"})
SOCIAL_PLATFORMS = HANDLE_PLATFORMS | {"facebook"}


def _same_person(name: str, handle: str) -> bool:
    """``"Akun 12"`` and ``"akun12"``, ``"@Budi_S"`` and ``"budi_s"`` name one account."""

    def key(value: str) -> str:
        return "".join(ch for ch in value.lower() if ch.isalnum())

    return key(name) == key(handle)


class DupBand(models.Model):
    """One LSH band of a near-duplicate group's MinHash signature (see :mod:`.dedup`).

    Only each group's original is indexed; rows older than the dedup window are pruned.
    """

    personal_data = pdp.NO_PERSONAL_DATA

    office_id: int
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+", db_index=False)
    band = models.BigIntegerField()
    dup_group = models.BigIntegerField()
    day = models.DateField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["office", "band"], name="monitoring_dupband_lookup")]


# --- Watch-lists --------------------------------------------------------------------------


class WatchList(models.Model):
    """A Boolean query (AND, OR, NOT, "phrase", prefix*, parentheses) that tags every
    matching mention of its office. Validated by :mod:`prima.monitoring.query`."""

    personal_data = pdp.staff_record(
        pdp.Activity.MONITORING,
        _("Who wrote a watch-list."),
        ("created_by",),
        visible_to=("watchlist.view",),
    )

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="watchlists"
    )
    name = models.CharField(_("name"), max_length=200)
    query = models.TextField(_("query"))
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When existing mentions were last re-tagged against the current query.
    retagged_at = models.DateTimeField(null=True, blank=True, editable=False)

    audit_exclude = ("updated_at", "retagged_at")

    class Meta:
        ordering = ["office", "name"]
        verbose_name = _("watch-list")
        verbose_name_plural = _("watch-lists")
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="monitoring_watchlist_name"),
        ]

    def __str__(self) -> str:
        return self.name


class WatchListMatch(models.Model):
    personal_data = pdp.NO_PERSONAL_DATA

    watchlist = models.ForeignKey(
        WatchList, on_delete=models.CASCADE, related_name="matches", db_index=False
    )
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="watch_matches")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["watchlist", "mention"], name="monitoring_watchlistmatch_unique"
            ),
        ]


# --- Issues -------------------------------------------------------------------------------


class IssueStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged")


class IssueQuerySet(models.QuerySet):
    def shown(self) -> IssueQuerySet:
        """Issues big enough to show (``MONITORING_ISSUE_MIN_SIZE``), not merged away."""
        return self.filter(mention_count__gte=settings.MONITORING_ISSUE_MIN_SIZE).exclude(
            status=IssueStatus.MERGED
        )


class Issue(models.Model):
    """Related mentions clustered over a sliding window (see :mod:`.issues`).

    ``label`` is computed from the top terms; ``name`` is what staff renamed it to.
    ``centroid`` maps stemmed terms to weights and ``words`` maps them to a readable
    form. Hourly volumes are in :class:`IssueVolume`.
    """

    personal_data = pdp.NoPersonalData(
        reason=_("An issue's name and key words describe a topic; the authors are in its mentions.")
    )

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="issues"
    )
    label = models.CharField(_("label"), max_length=300)
    name = models.CharField(_("name"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=IssueStatus.choices, default=IssueStatus.OPEN
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    centroid = models.JSONField(default=dict, editable=False)
    words = models.JSONField(default=dict, editable=False)
    # Label phrases and how many posts used each, per language (see .issue_text).
    phrases = models.JSONField(default=dict, editable=False)
    mention_count = models.PositiveIntegerField(_("mentions"), default=0)
    negative_count = models.PositiveIntegerField(_("negative mentions"), default=0)
    engagement = models.PositiveBigIntegerField(_("engagement"), default=0)
    first_seen_at = models.DateTimeField(_("first mention"))
    last_seen_at = models.DateTimeField(_("latest mention"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = IssueQuerySet.as_manager()
    audit_exclude = ("centroid", "words", "phrases", "updated_at")

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        indexes = [
            models.Index(fields=["office", "status", "last_seen_at"],
                         name="monitoring_issue_open"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.label

    @property
    def top_terms(self) -> list[str]:
        """Readable top terms, strongest first."""
        ranked = sorted(self.centroid.items(), key=lambda kv: -kv[1])[:8]
        return [self.words.get(term, term) for term, _w in ranked]


class IssueVolume(models.Model):
    """Mentions of an issue per hour (UTC), by sentiment: the issue's volume series."""

    personal_data = pdp.NO_PERSONAL_DATA

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="volumes", db_index=False
    )
    hour = models.DateTimeField()
    mentions = models.PositiveIntegerField(default=0)
    positive = models.PositiveIntegerField(default=0)
    neutral = models.PositiveIntegerField(default=0)
    negative = models.PositiveIntegerField(default=0)
    engagement = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["hour"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "hour"], name="monitoring_issuevolume_hour"),
        ]


# --- Rollups ------------------------------------------------------------------------------


class HourlyVolume(models.Model):
    """Mentions per office × hour (UTC) × source kind × platform × sentiment × language.

    Kept current by ingestion (and by sentiment corrections), so the dashboard's volume,
    sentiment-share and comparison queries read this table, not :class:`Mention`.
    """

    personal_data = pdp.NO_PERSONAL_DATA

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+", db_index=False)
    hour = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    platform = models.CharField(max_length=20, choices=Platform.choices)
    sentiment = models.CharField(max_length=10, choices=Sentiment.choices)
    language = models.CharField(max_length=5, choices=Language.choices)
    mentions = models.PositiveIntegerField(default=0)
    engagement = models.PositiveBigIntegerField(default=0)
    reach = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "hour", "kind", "platform", "sentiment", "language"],
                name="monitoring_hourlyvolume_key",
            ),
        ]


class ActorRole(models.TextChoices):
    OUTLET = "outlet", _("Outlet")
    AUTHOR = "author", _("Author")


class DailyActor(models.Model):
    """Mentions per office × local day × outlet or author × platform (top outlets/authors).

    Author rows of finished days are compacted by the scheduler to the day's most active
    accounts plus one "others" row (``name=""``): a month of a busy office then reads a
    few thousand rows instead of one per account and day (see
    :func:`.analytics.compact_authors`).
    """

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.MONITORING,
        purpose=_("Daily figures per author and outlet: who drives a conversation."),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(
            pdp.DataCategory.IDENTITY,
            pdp.DataCategory.ONLINE_ID,
            pdp.DataCategory.AUDIENCE,
        ),
        subjects=(
            pdp.Subject.AUTHORS,
            pdp.Subject.JOURNALISTS,
        ),
        fields=("name",),
        identifiers={pdp.Lookup.NAME: ("name",), pdp.Lookup.HANDLE: ("name",)},
        retention=pdp.Retention(
            pdp.Start.PUBLISHED,
            days=365,
            setting="MONITORING_RETENTION_DAYS",
            purge="prima.monitoring.retention.apply_author_rows",
            note=_("Per-author rows are deleted with the mentions of the same age."),
        ),
        visible_to=("mention.view",),
    )

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()
    role = models.CharField(max_length=10, choices=ActorRole.choices)
    name = models.CharField(max_length=300)
    platform = models.CharField(max_length=20, choices=Platform.choices)
    mentions = models.PositiveIntegerField(default=0)
    negative = models.PositiveIntegerField(default=0)
    engagement = models.PositiveBigIntegerField(default=0)
    reach = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "day", "role", "name", "platform"],
                name="monitoring_dailyactor_key",
            ),
        ]


class ActorCompaction(models.Model):
    """A day whose per-author rows were compacted (see :func:`.analytics.compact_authors`)."""

    personal_data = pdp.NO_PERSONAL_DATA

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "day"], name="monitoring_actorcompaction_day"
            ),
        ]


class TermStat(models.Model):
    """Document frequency of a search term in an office's mentions (issue clustering).

    The row with ``term=""`` holds the office's number of documents.
    """

    personal_data = pdp.NO_PERSONAL_DATA

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+", db_index=False)
    term = models.CharField(max_length=100)
    df = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "term"], name="monitoring_termstat_key"),
        ]


# --- Imports ------------------------------------------------------------------------------


class JobKind(models.TextChoices):
    FILE = "file", _("File import")
    URLS = "urls", _("Article pages")
    FEED = "feed", _("Feed poll")
    PUSH = "push", _("Push API batch")
    MANUAL = "manual", _("Manual clipping")
    DEMO = "demo", _("Demo data")
    PUBLIC_FORM = "public", _("Public form messages")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


def _upload_to(instance: IngestJob, filename: str) -> str:
    """Kept for migration 0001, which names it; new files use ``PrivateUploadTo``."""
    return PrivateUploadTo("monitoring/imports")(instance, filename)


class IngestJob(models.Model):
    """One run of ingestion: a file import, a list of article URLs, a feed poll, a push batch.

    The input (upload, URL list, fetched feed bytes) is stored with the job (``file``
    under ``MEDIA_ROOT``, or ``urls``), so that a worker that dies mid-way can be
    replaced: ``position`` is the checkpoint (entries of the input fully processed),
    committed in the same transaction as the mentions of each chunk. Progress is
    ``position`` against ``total`` (None while unknown); the report is the counters plus
    :class:`IngestRejection` rows and ``errors``/``warnings``.

    Workers claim a job with a conditional UPDATE (see :func:`.ingest.claim_job`) and
    refresh ``heartbeat_at`` with every chunk; a running job whose heartbeat is older than
    ``MONITORING_JOB_LEASE_SECONDS`` may be claimed again and resumes at ``position``.
    """

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.MONITORING,
        purpose=_("Importing files and links of news and posts, and who imported them."),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(
            pdp.DataCategory.ACTIVITY,
            pdp.DataCategory.CONTENT,
        ),
        subjects=(
            pdp.Subject.STAFF,
            pdp.Subject.AUTHORS,
        ),
        fields=("created_by", "file", "urls"),
        identifiers={pdp.Lookup.USER: ("created_by",)},
        retention=pdp.KEPT_WITH_RECORD,
        visible_to=("import.view",),
        note=_("The uploaded file can hold authors' names and posts."),
    )

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="jobs"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=JobKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    file = models.FileField(
        _("file"), upload_to=PrivateUploadTo("monitoring/imports"), max_length=500, blank=True
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    format = models.CharField(_("format"), max_length=10, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    urls = models.TextField(_("URLs"), blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    preset = models.CharField(_("preset"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Claiming and the checkpoint.
    claimed_by = models.CharField(max_length=100, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveIntegerField(default=0, editable=False)
    position = models.PositiveBigIntegerField(_("entries processed"), default=0)
    total = models.PositiveBigIntegerField(_("entries"), null=True, blank=True)
    # The report.
    accepted = models.PositiveBigIntegerField(_("accepted"), default=0)
    duplicates = models.PositiveBigIntegerField(_("duplicates"), default=0)
    rejected = models.PositiveBigIntegerField(_("rejected"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    cancel_requested = models.BooleanField(default=False, editable=False)

    audit_exclude = ("claimed_by", "heartbeat_at", "attempts", "position", "mapping")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ingestion job")
        verbose_name_plural = _("ingestion jobs")
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="monitoring_job_status")]

    def __str__(self) -> str:
        what = self.filename or self.get_kind_display()
        return f"{what} → {self.source}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)

    @property
    def progress(self) -> float | None:
        """Fraction done between 0 and 1, or None while the number of entries is unknown."""
        if self.status == JobStatus.DONE:
            return 1.0
        if not self.total:
            return None
        return min(1.0, self.position / self.total)

    @property
    def percent(self) -> int | None:
        fraction = self.progress
        return None if fraction is None else int(fraction * 100)


class IngestRejection(models.Model):
    """Why one entry of a job's input was not stored (at most ``MAX_PER_JOB`` per job)."""

    personal_data = pdp.NoPersonalData(
        reason=_("A rejected line's position and reason; not its content.")
    )

    MAX_PER_JOB = 10_000

    job = models.ForeignKey(IngestJob, on_delete=models.CASCADE, related_name="rejections")
    position = models.PositiveBigIntegerField(_("row"))
    member = models.CharField(_("file in archive"), max_length=255, blank=True)
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        ordering = ["job", "position", "id"]


class ColumnMappingPreset(models.Model):
    """A column mapping saved by an office for its recurring exports."""

    personal_data = pdp.staff_record(
        pdp.Activity.MONITORING,
        _("Who saved a column mapping for imports."),
        ("created_by",),
        visible_to=("import.view",),
    )

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    mapping = models.JSONField(_("column mapping"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    audit_exclude = ("updated_at",)

    class Meta:
        ordering = ["office", "name"]
        verbose_name = _("column-mapping preset")
        verbose_name_plural = _("column-mapping presets")
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="monitoring_preset_name"),
        ]

    def __str__(self) -> str:
        return self.name


# --- Corrections --------------------------------------------------------------------------


class SentimentCorrection(models.Model):
    """A staff member's correction of a mention's sentiment; read by ``train-sentiment``.

    Keeps its own copy of the text (no author data), so a correction outlives the
    mention's retention period: it is training data, not a record about a person.
    """

    personal_data = pdp.PersonalData(
        activity=pdp.Activity.MONITORING,
        purpose=_("Teaching the sentiment model from staff corrections."),
        legal_basis=pdp.LegalBasis.PUBLIC_TASK,
        data=(
            pdp.DataCategory.CONTENT,
            pdp.DataCategory.ACTIVITY,
        ),
        subjects=(
            pdp.Subject.AUTHORS,
            pdp.Subject.STAFF,
        ),
        fields=("text", "corrected_by"),
        identifiers={pdp.Lookup.USER: ("corrected_by",)},
        retention=pdp.Retention(
            pdp.Start.KEPT,
            note=_(
                "The corrected text is kept as training data without the author's name or handle."
            ),
        ),
        visible_to=("mention.view",),
    )

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    mention = models.ForeignKey(
        Mention, null=True, blank=True, on_delete=models.SET_NULL, related_name="corrections"
    )
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    previous = models.CharField(_("was"), max_length=10, choices=Sentiment.choices)
    label = models.CharField(_("corrected to"), max_length=10, choices=Sentiment.choices)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("corrected by"),
    )
    created_at = models.DateTimeField(_("corrected at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sentiment correction")
        verbose_name_plural = _("sentiment corrections")

    def __str__(self) -> str:
        return f"{self.previous} → {self.label}"


# --- Scheduler ----------------------------------------------------------------------------


class SchedulerState(models.Model):
    """The single row behind the self-re-enqueuing ``monitoring_tick`` task.

    A tick runs only if it moves ``next_tick_at`` forward with a conditional UPDATE, so
    two chains of ticks collapse into one (see :mod:`.tasks`).
    """

    personal_data = pdp.NO_PERSONAL_DATA

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    next_tick_at = models.DateTimeField(null=True, blank=True)
    last_tick_at = models.DateTimeField(null=True, blank=True)


class SentimentModelVersion(models.Model):
    """A sentiment model retrained with staff corrections (see :mod:`.retraining`).

    The artefact (``model.json`` + ``model.npz``, zipped) is kept in the database so that
    every worker, on any machine, switches to the newest ready version within
    ``MONITORING_SENTIMENT_MODEL_CHECK_SECONDS``; none ready means the shipped model.
    """

    personal_data = pdp.NO_PERSONAL_DATA

    created_at = models.DateTimeField(_("trained"), auto_now_add=True)
    corrections = models.PositiveIntegerField(_("staff corrections used"), default=0)
    artefact = models.BinaryField(editable=False)
    metrics = models.JSONField(_("effect"), default=dict, blank=True)
    card = models.TextField(_("model card"), blank=True)
    seconds = models.FloatField(_("training time (s)"), default=0.0)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("sentiment model version")
        verbose_name_plural = _("sentiment model versions")

    def __str__(self) -> str:
        return f"#{self.pk} ({self.corrections})"
