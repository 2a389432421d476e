"""Settings for Repairs Online, read from the environment in one place.

The defaults give the embedded run (SQLite, eager Celery tasks, local memory cache). Production sets
DATABASE_URL, CELERY_BROKER_URL, REDIS_URL, SECRET_KEY and ALLOWED_HOSTS; a missing SECRET_KEY with
DEBUG off is a clear start-up error rather than a silently insecure install.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

from config.logging_setup import build_logging, configure_structlog

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=true for a local run)."
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"
# Fernet keys, newest first, that encrypt scheduler credentials at rest (scheduling/encryption.py).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
if not FIELD_ENCRYPTION_KEYS and not DEBUG:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS must be set when DEBUG is off (make one with "
        "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Ours, innermost first (see DESIGN.md: dependencies point inward).
    "properties",
    "repairs",
    "workflows",
    "scheduling",
    "notifications",
    "cms",
    "backoffice",
    "reports",
    "api",
    # Wagtail.
    "wagtail_localize",
    "wagtail_localize.locales",  # Wagtail's Locales admin, with wagtail-localize's tree sync
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Third party.
    "django_filters",
    "django_tables2",
    "import_export",
    # Django.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# Connections stay open between requests (a new PostgreSQL connection costs 4-5 ms a request) and are
# health-checked before reuse, so a restarted database costs one failed check, not a failed request.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL, BEGIN IMMEDIATE and a busy timeout: two residents booking at once never see "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -----------------------------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
# A Redis that is down or silent is a cache miss, never a failed request (config/cache.py).
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "1"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Public pages are cached until an editor's change (cms/page_cache.py); this bounds a per-process cache.
CMS_PAGE_CACHE_SECONDS = int(os.environ.get("CMS_PAGE_CACHE_SECONDS", "300"))

# --- Celery ----------------------------------------------------------------------------------------

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
# No broker means the embedded default: tasks run in-process as soon as they are sent.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
# A task taken by a worker that died is handed out again after the visibility timeout (docs/deploy.md,
# Fault drills). It must outlast the longest countdown a task is sent with (an hour, the last retry of a
# cancellation or completion sent to a scheduler): a worker holds such a task unacknowledged until it is
# due, and one held past the timeout would be handed to a second worker and run twice.
# Sending a task to a broker that is down or silent gives up within seconds: the outbox rows in
# PostgreSQL are sent by beat's sweeps once it is back, so a resident never waits on the broker.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "7200")),
    # How often a worker looks for such tasks (kombu's default is about 100 s).
    "unacked_restore_interval": int(os.environ.get("CELERY_RESTORE_SECONDS", "60")),
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULE = {
    # Jobs an outside scheduler could not take yet ("needs booking"), retried with backoff.
    "scheduling-retry-needs-booking": {"task": "scheduling.tasks.retry_needs_booking", "schedule": 120.0},
    # Confirmed property imports whose task never reached the broker.
    "properties-run-queued-imports": {"task": "properties.tasks.run_queued_imports", "schedule": 300.0},
    # GOV.UK Notify: re-queue messages left unsent, remind residents the day before, warn of due dates.
    "notifications-sweep-unsent": {"task": "notifications.tasks.sweep_unsent", "schedule": 60.0},
    "notifications-appointment-reminders": {
        "task": "notifications.tasks.send_appointment_reminders",
        "schedule": crontab(hour=17, minute=0),
    },
    "notifications-due-soon": {
        "task": "notifications.tasks.alert_jobs_due_soon",
        "schedule": crontab(minute=5),
    },
    # Awaab's Law: staff alerts at 50% and 80% of each hazard clock, and breaches recorded as they happen.
    "workflows-hazard-clocks": {"task": "workflows.hazards.tasks.watch_hazard_clocks", "schedule": 300.0},
    # Jobs, reports and costs changed since the last run, as CSV for finance and the HMS (docs/reports.md).
    "reports-export-for-hms": {
        "task": "reports.tasks.export_for_hms",
        "schedule": crontab(hour=2, minute=30),
    },
}

# --- GOV.UK Notify (notifications/, docs/notifications.md) ------------------------------------------

# No key: messages are recorded with a preview and shown in the admin instead of being sent.
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_TIMEOUT = float(os.environ.get("NOTIFY_TIMEOUT", "10"))
NOTIFY_CALLBACK_TOKEN = os.environ.get("NOTIFY_CALLBACK_TOKEN", "")
# Notify allows 3,000 messages a minute per key, rolling; the count is shared by all workers in Redis.
NOTIFY_RATE_LIMIT = int(os.environ.get("NOTIFY_RATE_LIMIT", "3000"))
NOTIFY_RATE_WINDOW = float(os.environ.get("NOTIFY_RATE_WINDOW", "60"))
NOTIFY_RATE_REDIS_URL = os.environ.get("NOTIFY_RATE_REDIS_URL", REDIS_URL)
NOTIFY_CLAIM_TIMEOUT = int(os.environ.get("NOTIFY_CLAIM_TIMEOUT", "360"))
NOTIFY_SWEEP_AFTER = int(os.environ.get("NOTIFY_SWEEP_AFTER", "300"))
NOTIFY_DUE_SOON_HOURS = int(os.environ.get("NOTIFY_DUE_SOON_HOURS", "24"))

# --- Auth ------------------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "/admin/"

# Staff sign-in (docs/back-office.md, Signing in): both checks are on in production and off in the
# embedded demo unless set. Two-factor: staff confirm a TOTP code (django-otp) after the password, on
# every sign-in, before any admin or back-office page. Lock-out (django-axes): after
# STAFF_LOCKOUT_ATTEMPTS wrong passwords for one username, that username is refused for
# STAFF_LOCKOUT_MINUTES; the lock-outs are listed (and can be cleared) in the Django admin.
STAFF_TWO_FACTOR = env_bool("STAFF_TWO_FACTOR", not DEBUG)
STAFF_LOCKOUT = env_bool("STAFF_LOCKOUT", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("COUNCIL_NAME", "Repairs Online")
AXES_ENABLED = STAFF_LOCKOUT
AXES_FAILURE_LIMIT = int(os.environ.get("STAFF_LOCKOUT_ATTEMPTS", "5"))
AXES_COOLOFF_TIME = int(os.environ.get("STAFF_LOCKOUT_MINUTES", "30")) / 60  # hours
# By username only: a council's staff often share one office address, and locking the address would lock
# out the whole contact centre after one person's typos (axes warns of this choice: W006, silenced).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "backoffice.two_factor.locked_out"
AXES_VERBOSE = False
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "axes", "simple_history"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
    "backoffice.two_factor.RequireTwoFactorMiddleware",
)
# The audit trail (django-simple-history, backoffice/history.py) records who made each change.
MIDDLEWARE += ["simple_history.middleware.HistoryRequestMiddleware", "axes.middleware.AxesMiddleware"]

# --- Internationalisation --------------------------------------------------------------------------

# English and Welsh (docs/welsh.md). The public pages live in both: English at the addresses they always
# had, Welsh under /cy/ (config/urls.py); staff pages follow the browser or stay English.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static_build"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Where the scheduled export writes (reports/tasks.py): a folder outside the web root by default; any
# Django storage backend (an object store through django-storages) with its options as JSON.
REPORTS_EXPORT_DIR = Path(os.environ.get("REPORTS_EXPORT_DIR", BASE_DIR / "exports"))
STORAGES["reports_exports"] = {
    "BACKEND": os.environ.get("REPORTS_EXPORT_STORAGE", "django.core.files.storage.FileSystemStorage"),
    "OPTIONS": json.loads(os.environ["REPORTS_EXPORT_STORAGE_OPTIONS"])
    if os.environ.get("REPORTS_EXPORT_STORAGE_OPTIONS")
    else {"location": str(REPORTS_EXPORT_DIR)},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Security (docs/deploy.md) ----------------------------------------------------------------------

# Production sits behind TLS: HSTS, the https redirect and secure cookies follow HTTPS, which is on
# unless DEBUG is. The embedded default (DEBUG=true) keeps working over plain http.
HTTPS = env_bool("HTTPS", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
# The load balancer's health probe speaks plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600) if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Status-page links carry the resident's token: never send the path to another site.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Wagtail's preview frames override this per view (xframe_options_sameorigin_override).
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
# GOV.UK Frontend and MOJ Frontend run as nonce'd modules; the one inline script (js-enabled) carries it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],  # django-csp swaps the sentinel for this response's nonce
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        **({"upgrade-insecure-requests": True} if HTTPS else {}),
    },
    # The Wagtail admin ships inline scripts of its own; the CSP guards the public pages.
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
}
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", STATIC_ROOT))

# --- Health and metrics (config/health.py, config/metrics.py) --------------------------------------

INSTALLED_APPS += ["config.apps.ProjectConfig", "health_check", "django_prometheus"]
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    *MIDDLEWARE,
    "django_structlog.middlewares.RequestMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
# /metrics/ answers a bearer token or an address in the allow-list (IPs or networks); else 403.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1" if DEBUG else "")

# --- Personal data and abuse (docs/personal-data.md) ------------------------------------------------

# Contact details, words and photos leave a report this long after its job ended; the job stays.
PERSONAL_DATA_RETENTION_DAYS = int(os.environ.get("PERSONAL_DATA_RETENTION_DAYS", "730"))
CELERY_BEAT_SCHEDULE["repairs-apply-retention"] = {
    "task": "repairs.tasks.apply_retention",
    "schedule": crontab(hour=3, minute=15),
}
# The reports page's daily summary rebuilt from the source for the last 62 days, for changes that bypassed
# the model signals (docs/reports.md).
CELERY_BEAT_SCHEDULE["reports-rebuild-summary"] = {
    "task": "reports.tasks.rebuild_report_summary",
    "schedule": crontab(hour=1, minute=40),
}
# Reports sent from one client address in a window (seconds); the status look-up has its own limit.
REPORT_RATE_LIMIT = int(os.environ.get("REPORT_RATE_LIMIT", "20"))
REPORT_RATE_WINDOW = int(os.environ.get("REPORT_RATE_WINDOW", "3600"))
# Reverse proxies in front of gunicorn that append to X-Forwarded-For: the limits count residents, not them.
TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))
# More per-address limits (repairs/abuse.py, docs/deploy.md "Abuse"), each a count in a window (seconds):
# tries of the status look-up by reference and postcode; requests to status-page links; links that match
# no repair (a client guessing tokens); calls to the APIs without a valid key (Open311 reads).
STATUS_LOOKUP_RATE_LIMIT = int(os.environ.get("STATUS_LOOKUP_RATE_LIMIT", "10"))
STATUS_LOOKUP_RATE_WINDOW = int(os.environ.get("STATUS_LOOKUP_RATE_WINDOW", "900"))
STATUS_LINK_RATE_LIMIT = int(os.environ.get("STATUS_LINK_RATE_LIMIT", "300"))
STATUS_LINK_RATE_WINDOW = int(os.environ.get("STATUS_LINK_RATE_WINDOW", "300"))
STATUS_MISS_RATE_LIMIT = int(os.environ.get("STATUS_MISS_RATE_LIMIT", "20"))
STATUS_MISS_RATE_WINDOW = int(os.environ.get("STATUS_MISS_RATE_WINDOW", "900"))
API_ANONYMOUS_RATE_LIMIT = int(os.environ.get("API_ANONYMOUS_RATE_LIMIT", "60"))
API_ANONYMOUS_RATE_WINDOW = int(os.environ.get("API_ANONYMOUS_RATE_WINDOW", "60"))

# --- Wagtail ---------------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = os.environ.get("COUNCIL_NAME", "Repairs Online")
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "txt", "xlsx"]
# Diagnosis content in English and Welsh: the Welsh tree is synced from the English one and
# translated with wagtail-localize (docs/welsh.md).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Import/export ---------------------------------------------------------------------------------

IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True

# --- Logging (config/logging_setup.py) -------------------------------------------------------------

# JSON lines for production log shippers, plain lines on the demo console; personal data masked in both.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "console" if DEBUG else "json")
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False  # a resident's IP address is personal data
DJANGO_STRUCTLOG_CELERY_ENABLED = False
configure_structlog()
LOGGING = build_logging(
    json_lines=LOG_FORMAT == "json",
    level=os.environ.get("LOG_LEVEL", "INFO"),
    quiet_eager_tasks=CELERY_TASK_ALWAYS_EAGER,
)
