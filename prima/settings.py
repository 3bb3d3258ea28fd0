"""PRIMA settings: one module, driven by environment variables.

Every variable read here is documented in ``docs/configuration.md``; a test keeps the two in
step. Defaults are safe for development: SQLite under ``var/``, ``DEBUG`` on, a development
secret key that is refused as soon as ``DEBUG`` is off.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from prima.lib.loopback import non_loopback_hosts

# Django's generic classes (ModelAdmin[Office], QuerySet[Office], …) accept type
# parameters at run time too, as the type-checked code writes them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

DEV_SECRET_KEY = "prima-development-secret-key-do-not-use-in-production"  # noqa: S105


def envstr(name: str, default: str = "") -> str:
    """Read a string; ``NAME_FILE`` (a path) wins over ``NAME`` for secrets."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("PRIMA_DEBUG", True)
SECRET_KEY = envstr("PRIMA_SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "PRIMA_SECRET_KEY (or PRIMA_SECRET_KEY_FILE) must be set when PRIMA_DEBUG is off."
    )

VAR_DIR = Path(os.environ.get("PRIMA_VAR_DIR", str(BASE_DIR / "var")))
ALLOWED_HOSTS = envlist("PRIMA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("PRIMA_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("PRIMA_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "prima.front",
    "prima.front.admin_site.PrimaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "prima.organizations",
    "prima.monitoring",
    "prima.conferences",
    "prima.catalogue",
    "prima.crisis",
    "prima.documents",
    "prima.portal",
    "prima.evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "prima.front.middleware.SecurityHeadersMiddleware",
    "prima.front.middleware.LoopbackOnlyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "prima.front.middleware.PrivateCacheMiddleware",
    "prima.organizations.sessions.SessionMiddleware",
    "prima.front.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "prima.organizations.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "prima.front.middleware.BadParameterMiddleware",
    "prima.front.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "prima.urls"
WSGI_APPLICATION = "prima.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "prima.front.context_processors.shell",
            ],
            "builtins": ["prima.front.templatetags.prima"],
        },
    }
]

# --- Database -------------------------------------------------------------------------
# SQLite (WAL, busy timeout, IMMEDIATE transactions) by default; PostgreSQL with
# DATABASE_URL=postgres://user:password@host:5432/name.
SQLITE_PATH = VAR_DIR / "prima.sqlite3"
DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{SQLITE_PATH}")
DATABASES = {
    # Health checks: a kept connection that died (the server restarted) is replaced at the
    # start of the next request instead of failing it.
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=envint("PRIMA_DB_CONN_MAX_AGE", 0), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": envint("PRIMA_SQLITE_BUSY_TIMEOUT", 20),
        "transaction_mode": "IMMEDIATE",
        # A page cache per connection (KiB) and a WAL of ~40 MB between checkpoints: large
        # imports re-read and rewrite the same index pages less often
        # (benchmarks/ingest.py).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            f"PRAGMA cache_size=-{envint('PRIMA_SQLITE_CACHE_MB', 64) * 1024}; "
            "PRAGMA wal_autocheckpoint=10000;"
        ),
    }
    VAR_DIR.mkdir(parents=True, exist_ok=True)
# Test databases get a per-process suffix so that several test runs (developers, CI
# passes) on one machine never share one; PRIMA_TEST_DB_SUFFIX overrides it.
_TEST_SUFFIX = os.environ.get("PRIMA_TEST_DB_SUFFIX") or str(os.getpid())
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: live-server and concurrency tests need several connections.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-prima-{_TEST_SUFFIX}.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{_TEST_SUFFIX}"}
# Where `prima backup`/`prima restore` find pg_dump/pg_restore; empty: the server's major
# version under /usr/lib/postgresql (Debian), else the PATH.
BACKUP_PG_BIN_DIR = os.environ.get("PRIMA_BACKUP_PG_BIN_DIR", "")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTHENTICATION_BACKENDS = ["prima.organizations.throttle.ThrottledModelBackend"]

# --- Background tasks -----------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("PRIMA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Authentication and sessions ------------------------------------------------------
AUTH_USER_MODEL = "organizations.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": envint("PRIMA_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "prima.organizations.passwords.CharacterClassValidator"},
]
# Idle timeout: the session's end is pushed back by requests (rewritten at most about once
# a minute, not on every page: prima.organizations.sessions).
SESSION_IDLE_MINUTES = envint("PRIMA_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_ENGINE = "prima.organizations.sessions"
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Login throttling: this many failures for one user name (or from one address) within the
# window lock further attempts for the window.
LOGIN_MAX_FAILURES = envint("PRIMA_LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_MINUTES = envint("PRIMA_LOGIN_LOCKOUT_MINUTES", 15)
# Password hashes (deliberately slow) computed at once per server process; a log-in that
# finds them all taken gets "try again in a few seconds" (503) and frees its thread.
LOGIN_CONCURRENT_HASHES = envint("PRIMA_LOGIN_CONCURRENT_HASHES", 1)
# The password hash runs on threads this much lower in CPU priority (nice) than the pages
# (0: on the request's own thread). Django's PBKDF2, stored hashes unchanged.
LOGIN_HASH_NICENESS = envint("PRIMA_LOGIN_HASH_NICENESS", 10)
PASSWORD_HASHERS = [
    "prima.organizations.passwords.LowPriorityPBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Two-step verification (TOTP): the name authenticator apps show for PRIMA's entries,
# how many one-time recovery codes a person gets, and how recent a second factor (or,
# for people without one, the password) must be before a sensitive action (approving
# material, changing roles, exporting personal data: prima.organizations.reauth).
TWOFACTOR_ISSUER = os.environ.get("PRIMA_TWOFACTOR_ISSUER", "PRIMA")
TWOFACTOR_RECOVERY_CODES = envint("PRIMA_TWOFACTOR_RECOVERY_CODES", 10)
REAUTH_MINUTES = envint("PRIMA_REAUTH_MINUTES", 15)
# Account lifecycle (prima.organizations.accounts): an invitation link works once, for
# this many hours; a password-reset link for this many minutes; reset e-mails are limited
# per address and per client address, per hour.
INVITATION_HOURS = envint("PRIMA_INVITATION_HOURS", 72)
PASSWORD_RESET_TIMEOUT = envint("PRIMA_PASSWORD_RESET_MINUTES", 60) * 60
PASSWORD_RESET_PER_ADDRESS = envint("PRIMA_PASSWORD_RESET_PER_ADDRESS", 3)
PASSWORD_RESET_PER_IP = envint("PRIMA_PASSWORD_RESET_PER_IP", 10)
# Number of reverse proxies in front of PRIMA that append to X-Forwarded-For; 0 = trust
# only REMOTE_ADDR.
PROXY_COUNT = envint("PRIMA_PROXY_COUNT", 0)

# --- Audit trail ----------------------------------------------------------------------
# Entries are chained with HMAC-SHA256 under this key, which must not live in the
# database (a file readable by the PRIMA user only). Refused, like the secret key, when
# DEBUG is off and it is missing. Older keys stay listed so that entries signed with them
# still verify after a key change.
DEV_AUDIT_KEY = "prima-development-audit-key-do-not-use-in-production"
AUDIT_KEY = envstr("PRIMA_AUDIT_KEY", DEV_AUDIT_KEY)
if not DEBUG and AUDIT_KEY == DEV_AUDIT_KEY:
    raise ImproperlyConfigured(
        "PRIMA_AUDIT_KEY (or PRIMA_AUDIT_KEY_FILE) must be set when PRIMA_DEBUG is off: "
        "the audit trail's key, kept outside the database."
    )
AUDIT_PREVIOUS_KEYS = [
    k.strip() for k in envstr("PRIMA_AUDIT_PREVIOUS_KEYS").split(",") if k.strip()
]
# Where `prima audit-checkpoint` appends signed checkpoints and `prima verify-audit` reads
# them (best on another machine or append-only storage); empty: printed only.
AUDIT_CHECKPOINT_FILE = os.environ.get("PRIMA_AUDIT_CHECKPOINT_FILE", "")

# --- Personal data (UU No. 27/2022) -------------------------------------------------------
# Retention periods in days; each model declares its own default in its `personal_data`
# (prima.organizations.privacy.declarations) and these override them.
PDP_MEDIA_CONTACT_DAYS = envint("PRIMA_PDP_MEDIA_CONTACT_DAYS", 730)
PDP_API_TOKEN_DAYS = envint("PRIMA_PDP_API_TOKEN_DAYS", 90)
PDP_LOGIN_FAILURE_DAYS = envint("PRIMA_PDP_LOGIN_FAILURE_DAYS", 30)
# Hours between two retention runs of the background worker (prima apply-retention by hand).
PDP_RETENTION_INTERVAL_HOURS = envint("PRIMA_PDP_RETENTION_INTERVAL_HOURS", 24)

# --- Security headers (production) ----------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Plain HTTP with production settings, for the loopback load benchmark only
# (benchmarks/load.py): cookies without Secure, no HTTPS redirect, no HSTS. Refused at
# start-up unless every allowed host name is a loopback one, and every request from a
# non-loopback address is then refused (prima.front.middleware.LoopbackOnlyMiddleware).
LOOPBACK_PLAIN_HTTP = envbool("PRIMA_LOOPBACK_PLAIN_HTTP", False)
if LOOPBACK_PLAIN_HTTP and not DEBUG and (non_loopback_hosts(ALLOWED_HOSTS) or not ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        "PRIMA_LOOPBACK_PLAIN_HTTP serves without TLS and is allowed only on loopback: "
        "PRIMA_ALLOWED_HOSTS must name only 127.0.0.1, localhost or ::1 (found "
        f"{', '.join(non_loopback_hosts(ALLOWED_HOSTS)) or 'nothing'})."
    )
if not DEBUG and not LOOPBACK_PLAIN_HTTP:
    SECURE_SSL_REDIRECT = envbool("PRIMA_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("PRIMA_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("PRIMA_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("PRIMA_HSTS_PRELOAD", True)
    if PROXY_COUNT:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy sent on every response (see prima.front.middleware).
CONTENT_SECURITY_POLICY = os.environ.get(
    "PRIMA_CONTENT_SECURITY_POLICY",
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    "form-action 'self'",
)

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale", PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("PRIMA_STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing one
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("PRIMA_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("PRIMA_UPLOAD_MAX_MEMORY_BYTES", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PRIMA_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # trafilatura logs ERROR lines for every page it cannot extract; PRIMA reports
        # those pages itself as rejected items with a reason.
        "trafilatura": {"level": "CRITICAL"},
        # WeasyPrint (posters) logs every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Mail ---------------------------------------------------------------------------------
# Django's mail backends. With DEBUG on (the demo) mail is written as files to
# var/mail/ (one .log file per batch) unless PRIMA_EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = os.environ.get(
    "PRIMA_EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("PRIMA_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("PRIMA_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("PRIMA_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("PRIMA_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("PRIMA_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("PRIMA_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("PRIMA_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("PRIMA_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("PRIMA_DEFAULT_FROM_EMAIL", "PRIMA <prima@localhost>")

# --- Feature settings -----------------------------------------------------------------
# Outgoing HTTP (media monitoring): hosts or networks that the SSRF guard lets through
# although they resolve to private/loopback addresses (comma-separated, CIDR allowed).
FETCH_ALLOWED_PRIVATE_NETWORKS = envlist("PRIMA_FETCH_ALLOWED_PRIVATE_NETWORKS")
FETCH_TIMEOUT_SECONDS = envint("PRIMA_FETCH_TIMEOUT_SECONDS", 15)
FETCH_MAX_BYTES = envint("PRIMA_FETCH_MAX_BYTES", 10 * 1024 * 1024)
# Demo data may be loaded only with DEBUG on.
DEMO_PASSWORD = "Demo#Prima2026"  # noqa: S105 - documented demo password, refused when DEBUG is off

# --- Home page ------------------------------------------------------------------------
# How long a person's "needs your attention" list is kept (seconds; 0: computed on every
# look). Changes drop it at once; only what time alone changes can show this much later.
HOME_ATTENTION_CACHE_SECONDS = envint("PRIMA_HOME_ATTENTION_CACHE_SECONDS", 20)

# --- Media monitoring -----------------------------------------------------------------
# Biggest import file accepted (bytes); bigger uploads are refused with a message.
MONITORING_MAX_UPLOAD_BYTES = envint("PRIMA_MONITORING_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)
# Mentions (with their author data) older than this many days are deleted by
# `prima purge-mentions` (UU No. 27/2022: keep personal data only as long as needed).
MONITORING_RETENTION_DAYS = envint("PRIMA_MONITORING_RETENTION_DAYS", 365)
# Items per pipeline chunk (one transaction each, with the job's checkpoint).
MONITORING_CHUNK_SIZE = envint("PRIMA_MONITORING_CHUNK_SIZE", 2000)
# Most posts one push-API request may carry.
MONITORING_PUSH_MAX_BATCH = envint("PRIMA_MONITORING_PUSH_MAX_BATCH", 500)
# Issues: a mention joins an open issue seen within this many hours whose terms it shares
# (cosine similarity in percent); an issue is shown from this many mentions on.
MONITORING_ISSUE_WINDOW_HOURS = envint("PRIMA_MONITORING_ISSUE_WINDOW_HOURS", 72)
MONITORING_ISSUE_SIMILARITY_PERCENT = envint("PRIMA_MONITORING_ISSUE_SIMILARITY_PERCENT", 25)
MONITORING_ISSUE_MIN_SIZE = envint("PRIMA_MONITORING_ISSUE_MIN_SIZE", 3)
MONITORING_ISSUE_MERGE_PERCENT = envint("PRIMA_MONITORING_ISSUE_MERGE_PERCENT", 30)
# Near-duplicates are looked for among stories first seen within this many days.
MONITORING_DEDUP_WINDOW_DAYS = envint("PRIMA_MONITORING_DEDUP_WINDOW_DAYS", 14)
# Feed polling: back-off after failures doubles the interval up to this cap (minutes).
MONITORING_FEED_MAX_BACKOFF_MINUTES = envint("PRIMA_MONITORING_FEED_MAX_BACKOFF_MINUTES", 24 * 60)
# A running job whose worker has not reported for this long is taken over by another.
MONITORING_JOB_LEASE_SECONDS = envint("PRIMA_MONITORING_JOB_LEASE_SECONDS", 300)
# Seconds between two runs of the monitoring scheduler (feed polls, stale jobs, pruning).
MONITORING_TICK_SECONDS = envint("PRIMA_MONITORING_TICK_SECONDS", 60)
# The dashboard's figures for one set of offices and period are kept this many seconds
# in each server process (many people watching the same dashboard; 0: always computed).
MONITORING_DASHBOARD_CACHE_SECONDS = envint("PRIMA_MONITORING_DASHBOARD_CACHE_SECONDS", 20)
# The mention stream's filter choices (watch-lists, recent issues) of one scope are kept
# this many seconds in each server process (0: always read).
MONITORING_STREAM_CHOICES_CACHE_SECONDS = envint(
    "PRIMA_MONITORING_STREAM_CHOICES_CACHE_SECONDS", 20
)
# Sentiment retraining with staff corrections (prima.monitoring.retraining).
MONITORING_SENTIMENT_RETRAIN_MINUTES = envint("PRIMA_MONITORING_SENTIMENT_RETRAIN_MINUTES", 60)
MONITORING_SENTIMENT_MODEL_CHECK_SECONDS = envint(
    "PRIMA_MONITORING_SENTIMENT_MODEL_CHECK_SECONDS", 60
)
# Helper processes that analyse the next chunk of an import while the worker stores the
# current one (0: analyse in the worker itself).
MONITORING_ANALYSIS_WORKERS = envint(
    "PRIMA_MONITORING_ANALYSIS_WORKERS", 1 if (os.cpu_count() or 1) > 1 else 0
)
# Development only: the public datasets that `prima train-sentiment`, the model-quality
# tests and the benchmarks read (PRIMA itself never reads them when it runs).
MONITORING_SHARED_DATA = Path(
    os.environ.get("PRIMA_SHARED_DATA") or BASE_DIR.parent / "shared" / "data"
)

# --- Press conferences ----------------------------------------------------------------
# How long the conference list's body is kept for everyone with the same scope (seconds;
# 0: rendered on every request). Changes drop it at once.
CONFERENCES_LIST_CACHE_SECONDS = envint("PRIMA_CONFERENCES_LIST_CACHE_SECONDS", 20)
# Crisis fast track: deadlines counted from the moment a crisis conference is opened.
CRISIS_HOLDING_STATEMENT_MINUTES = envint("PRIMA_CRISIS_HOLDING_STATEMENT_MINUTES", 60)
CRISIS_CONFERENCE_MINUTES = envint("PRIMA_CRISIS_CONFERENCE_MINUTES", 240)
# Biggest checklist evidence file accepted (bytes).
CONFERENCE_EVIDENCE_MAX_BYTES = envint("PRIMA_CONFERENCE_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# A journalist's personal RSVP link works this many days after it was made at most (and
# never once the conference has started).
CONFERENCE_RSVP_MAX_DAYS = envint("PRIMA_CONFERENCE_RSVP_MAX_DAYS", 30)
# A person's conference page (and API detail) is kept this many seconds (any audited change
# drops it at once; an e-mail's delivery status or time passing shows this much later; 0:
# always made).
CONFERENCE_DETAIL_CACHE_SECONDS = envint("PRIMA_CONFERENCE_DETAIL_CACHE_SECONDS", 20)


# --- Service catalogue ----------------------------------------------------------------


# --- Crisis playbook ------------------------------------------------------------------
# Storm detection reads a 5-minute bucket this many seconds after it closed (time for its
# mentions to arrive); mentions that arrive later are not fed to the detector again.
CRISIS_LAG_SECONDS = envint("PRIMA_CRISIS_LAG_SECONDS", 60)
# A case page's volume chart is kept this many seconds in each server process (0: always
# computed).
CRISIS_CASE_CHART_CACHE_SECONDS = envint("PRIMA_CRISIS_CASE_CHART_CACHE_SECONDS", 20)
# The crisis board's response figures of one scope are kept this many seconds in each
# server process (0: always computed).
CRISIS_BOARD_FIGURES_CACHE_SECONDS = envint("PRIMA_CRISIS_BOARD_FIGURES_CACHE_SECONDS", 20)
# Days of history a new volume series reads (without raising signals) to learn what is
# usual before it watches for bursts.
CRISIS_WARMUP_DAYS = envint("PRIMA_CRISIS_WARMUP_DAYS", 7)
# A burst smaller than this many mentions in its 5-minute bucket raises no signal.
CRISIS_SIGNAL_MIN_MENTIONS = envint("PRIMA_CRISIS_SIGNAL_MIN_MENTIONS", 3)
# A new signal joins an open case of its office that was active within this many hours
# when they share an issue or watch-list, or when it comes within
# CRISIS_SAME_STORM_MINUTES of one of the case's signals.
CRISIS_GROUP_HOURS = envint("PRIMA_CRISIS_GROUP_HOURS", 24)
CRISIS_SAME_STORM_MINUTES = envint("PRIMA_CRISIS_SAME_STORM_MINUTES", 60)
# Target for notifying the first responder after a signal (minutes).
CRISIS_NOTIFY_TARGET_MINUTES = envint("PRIMA_CRISIS_NOTIFY_TARGET_MINUTES", 5)
# Notification delivery: a worker's claim on a message lasts this long (a message whose
# worker died is sent by another after it); a message is given up after this many
# failed attempts (the in-app notice stays).
CRISIS_DELIVERY_LEASE_SECONDS = envint("PRIMA_CRISIS_DELIVERY_LEASE_SECONDS", 120)
CRISIS_DELIVERY_MAX_ATTEMPTS = envint("PRIMA_CRISIS_DELIVERY_MAX_ATTEMPTS", 5)
# Optional chat webhook (e.g. a Slack-compatible incoming webhook) for escalations of the
# levels whose playbook lists the webhook channel. Empty: no webhook.
CRISIS_WEBHOOK_URL = envstr("PRIMA_CRISIS_WEBHOOK_URL")


# --- Documents ------------------------------------------------------------------------


# --- Public portal --------------------------------------------------------------------
# Name, phone and e-mail left with a public question or report are erased after this
# many days (UU No. 27/2022: keep personal data only as long as the purpose needs).
PORTAL_PERSONAL_DATA_DAYS = envint("PRIMA_PORTAL_PERSONAL_DATA_DAYS", 90)
# Questions and reports accepted from one address per hour and per day (then 429).
PORTAL_INQUIRIES_PER_HOUR = envint("PRIMA_PORTAL_INQUIRIES_PER_HOUR", 5)
PORTAL_INQUIRIES_PER_DAY = envint("PRIMA_PORTAL_INQUIRIES_PER_DAY", 20)
# A form sent back sooner than this many seconds after it was shown is taken for a robot.
PORTAL_FORM_MIN_SECONDS = envint("PRIMA_PORTAL_FORM_MIN_SECONDS", 3)
# Open-data API requests per client address and minute (then 429 with Retry-After).
PORTAL_API_REQUESTS_PER_MINUTE = envint("PRIMA_PORTAL_API_REQUESTS_PER_MINUTE", 120)
# How long browsers and shared caches may keep public pages and open data (seconds).
PORTAL_CACHE_SECONDS = envint("PRIMA_PORTAL_CACHE_SECONDS", 60)
# How long a rendered public page is reused by the server itself (0: render every time).
PORTAL_PAGE_CACHE_SECONDS = envint("PRIMA_PORTAL_PAGE_CACHE_SECONDS", 10)
# Seconds between two runs of the portal's periodic work (hand public messages over to
# media monitoring, erase expired personal data).
PORTAL_TICK_SECONDS = envint("PRIMA_PORTAL_TICK_SECONDS", 30)


# --- Evaluation and indicators --------------------------------------------------------
# Post-event evaluation: mentions published this many hours after a conference (and, for
# the tone before it, as many hours before) are read as its coverage.
EVALUATION_COVERAGE_WINDOW_HOURS = envint("PRIMA_EVALUATION_COVERAGE_WINDOW_HOURS", 72)
# Minutes between two refreshes of the current and previous month's indicator figures by
# the background worker (prima.evaluation.indicators_tasks).
EVALUATION_REFRESH_MINUTES = envint("PRIMA_EVALUATION_REFRESH_MINUTES", 60)
