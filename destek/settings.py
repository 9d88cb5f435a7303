"""Destek settings: environment variables only, with safe embedded defaults (DESIGN §2)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from destek.lib.crypto import new_key as _new_fernet_key
from destek.lib.env import (
    data_dir,
    env_bool,
    env_int,
    env_list,
    env_str,
    generated_secret,
)

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

DEBUG = env_bool("DESTEK_DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or generated_secret(DATA_DIR, "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
BASE_URL = env_str("DESTEK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [BASE_URL])
# A test run with real services switched on (CI) must not quietly skip them.
REQUIRE_SERVICES = env_bool("DESTEK_REQUIRE_SERVICES", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "js_lib_htmx",
    "huey.contrib.djhuey",
    # django-ninja's templates and static files: the API docs load Swagger UI from the package.
    "ninja",
    "destek.accounts",
    "destek.tickets",
    "destek.sla",
    "destek.mail",
    "destek.notifications",
    "destek.automation",
    "destek.api",
    "destek.portal",
    "destek.kb",
    "destek.search",
    "destek.followers",
    "destek.reports",
    "destek.privacy",
    "destek.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "destek.lib.security_headers.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "destek.urls"
WSGI_APPLICATION = "destek.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "destek.accounts.context_processors.workspace",
                "destek.mail.context_processors.failing_mailboxes",
                "destek.portal.context_processors.portal",
                "destek.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# Selects and inputs written out in Python, everything else by Django's form templates.
FORM_RENDERER = "destek.lib.form_renderer.FastWidgetRenderer"

# --- Database: SQLite file in the data directory unless DATABASE_URL is set --------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "destek.sqlite3",
            "OPTIONS": {
                # Writers take the lock when the transaction starts instead of failing half-way
                # with "database is locked" when web and worker write at the same time.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                    # Savepoint and statement journals in memory: past 64 KiB SQLite writes
                    # them to a temporary file, which an ingest batch did page by page, as
                    # often as it wrote to the WAL (bench/README.md, eleventh pass).
                    "PRAGMA temp_store=MEMORY;"
                    # 8 MiB of page cache instead of 2: a batch of mail no longer evicts the
                    # index pages it comes back to (two thirds fewer reads per mail).
                    "PRAGMA cache_size=-8192;"
                ),
            },
            # Tests use a real file too, so WAL and immediate transactions behave as in production.
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
            # Kept open between requests, as on PostgreSQL: a new connection per page would
            # repeat the pragmas and start with an empty page cache.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Secrets at rest (mailbox passwords): newest key first ------------------------------------
FERNET_KEYS = env_list("DESTEK_FERNET_KEYS", []) or [
    generated_secret(DATA_DIR, "fernet_key", make=lambda: _new_fernet_key())
]

# --- Cache and background jobs: embedded by default, Redis when REDIS_URL is set ----------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env_str("DESTEK_HUEY_NAME", "destek"),
        "url": REDIS_URL,
        "immediate": False,
        "consumer": {"workers": env_int("DESTEK_WORKER_THREADS", 2), "worker_type": "thread"},
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "destek",
        "filename": str(DATA_DIR / "jobs.sqlite3"),
        "immediate": False,
        "consumer": {"workers": env_int("DESTEK_WORKER_THREADS", 2), "worker_type": "thread"},
    }

# --- Accounts -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("DESTEK_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling: wrong passwords or codes per account, and per client address, within the
# window lock that account or address until the oldest failure leaves the window.
LOGIN_FAILURE_LIMIT = env_int("DESTEK_LOGIN_FAILURE_LIMIT", 5)
LOGIN_IP_FAILURE_LIMIT = env_int("DESTEK_LOGIN_IP_FAILURE_LIMIT", 20)
LOGIN_LOCKOUT_MINUTES = env_int("DESTEK_LOGIN_LOCKOUT_MINUTES", 15)
# Sessions end after this many hours, whatever happens in them (a shift and some).
SESSION_COOKIE_AGE = env_int("DESTEK_SESSION_HOURS", 12) * 3600
TRIAL_DAYS = env_int("DESTEK_TRIAL_DAYS", 7)
DEFAULT_SEAT_LIMIT = env_int("DESTEK_SEAT_LIMIT", 25)
INVITATION_DAYS = env_int("DESTEK_INVITATION_DAYS", 7)

# --- Language and time ----------------------------------------------------------------------------
LANGUAGE_CODE = "tr"
LANGUAGES = [("tr", _("Türkçe")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Istanbul"
USE_TZ = True

# --- Static files and uploads ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
# Served straight from the package: no collectstatic step for the embedded default.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "files"
MEDIA_URL = "/files/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# TrueType fonts for PDF transcripts (Turkish letters need a Unicode font; Debian package
# fonts-dejavu-core installs these).
PDF_FONT_DIR = env_str("DESTEK_PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu")
MAX_ATTACHMENT_BYTES = env_int("DESTEK_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Mailboxes: fetching over IMAP, connection checks ---------------------------------------------
# Seconds between two polls of every mailbox (IMAP IDLE brings new mail sooner where offered).
MAIL_POLL_SECONDS = env_int("DESTEK_POLL_SECONDS", 60)
# How long a worker's claim on a mailbox lasts without renewal; a fetch renews it per message.
MAIL_LEASE_SECONDS = env_int("DESTEK_MAIL_LEASE_SECONDS", 300)
# Socket timeout for IMAP/SMTP connections.
MAIL_TIMEOUT_SECONDS = env_int("DESTEK_MAIL_TIMEOUT_SECONDS", 30)
# Certificates are always verified. A CA bundle named here is trusted besides the system's: a
# company's private CA, or the self-signed certificate of a test server.
MAIL_CA_FILE = env_str("DESTEK_MAIL_CA_FILE")
if MAIL_CA_FILE and not Path(MAIL_CA_FILE).is_file():
    raise ImproperlyConfigured(f"DESTEK_MAIL_CA_FILE={MAIL_CA_FILE!r} is not a readable file.")
# Destek's own SMTP receiver (`destek smtpd`, started by `destek run`); empty: `run` skips it.
SMTPD_LISTEN = env_str("DESTEK_SMTPD_LISTEN", "127.0.0.1:2525")
# Largest message it accepts (bigger ones get 552): attachments up to the limit, base64-encoded.
SMTPD_MAX_BYTES = env_int("DESTEK_SMTPD_MAX_BYTES", 2 * MAX_ATTACHMENT_BYTES + 1024 * 1024)

# --- System mail (invitations, password resets): kept in the data directory by default ------------
EMAIL_URL = env_str("DESTEK_EMAIL_URL")
DEFAULT_FROM_EMAIL = env_str("DESTEK_FROM_EMAIL", "Destek <destek@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SYSTEM_MAIL_DIR = DATA_DIR / "system-mail"
if EMAIL_URL:
    from destek.lib.email_url import smtp_settings_from_url

    globals().update(smtp_settings_from_url(EMAIL_URL))
else:
    EMAIL_BACKEND = "destek.lib.system_mail.DataDirEmailBackend"

# --- REST API and webhooks -----------------------------------------------------------------------
# Requests per minute one API token may make (429 with Retry-After beyond).
API_RATE_LIMIT_PER_MINUTE = env_int("DESTEK_API_RATE_LIMIT", 120)
API_PAGE_SIZE_MAX = 100
# Webhooks go to public addresses only; loopback and private networks are allowed in debug mode
# (a receiver on the developer's machine) or when this is set (tests, an intranet install).
WEBHOOK_ALLOW_PRIVATE = env_bool("DESTEK_WEBHOOK_ALLOW_PRIVATE", DEBUG)
WEBHOOK_TIMEOUT_SECONDS = env_int("DESTEK_WEBHOOK_TIMEOUT_SECONDS", 10)
# Failed attempts in a row after which an endpoint is switched off and its admins emailed.
WEBHOOK_DISABLE_AFTER = env_int("DESTEK_WEBHOOK_DISABLE_AFTER", 15)

# --- Security: production-safe unless DESTEK_DEBUG is on ------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
_HTTPS = BASE_URL.startswith("https://")
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
if _HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DESTEK_HSTS_SECONDS", 31536000)

    # A proxy in front usually redirects plain HTTP itself; Destek does too unless told not to.
    SECURE_SSL_REDIRECT = env_bool("DESTEK_SSL_REDIRECT", True)
# HSTS for every subdomain or the preload list would bind the business's other sites too: the
# operator decides (`destek check --deploy` lists Destek's own findings).
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DESTEK_LOG_LEVEL", "INFO")},
    # With a handler of its own configured here, the Huey consumer does not add a second one
    # (every worker line would be printed twice); INFO shows its start-up and each job it runs.
    "loggers": {
        "huey": {
            "handlers": ["console"],
            "level": env_str("DESTEK_LOG_LEVEL", "INFO"),
            "propagate": False,
        }
    },
}
