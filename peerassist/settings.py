"""Settings for peerassist.

Everything that differs between a laptop and a server is read from environment
variables through the small helpers below. They fail loudly on a bad value rather
than guess, like healthchecks' ``envbool``. The defaults run on a laptop.
"""

import datetime
import ipaddress
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default).strip()
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envips(name: str, default: str = "") -> list[str]:
    addresses = envlist(name, default)
    for address in addresses:
        try:
            ipaddress.ip_address(address)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be IP addresses separated by commas, not {address!r}"
            ) from None
    return addresses


DEBUG = envbool("DEBUG", "1")

if DEBUG:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
else:
    # Production refuses to start without what it needs, and says which is missing.
    _missing = [name for name in ("SECRET_KEY", "ALLOWED_HOSTS") if not os.environ.get(name)]
    if _missing:
        raise ImproperlyConfigured(
            "With DEBUG=0 these environment variables must be set: " + ", ".join(_missing)
        )
    SECRET_KEY = os.environ["SECRET_KEY"]
    ALLOWED_HOSTS = envlist("ALLOWED_HOSTS")

# The demo sign-in (demo / peerassist-demo) exists in development only.
DEMO_USER_ALLOWED = envbool("DEMO_USER_ALLOWED", "1" if DEBUG else "0")

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "peerassist",
    "sessions_app",
    "aar",
    "lessons",
    "trends",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "peerassist.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A database failure in a view: 503 with the words that were sent, not a 500.
    "peerassist.middleware.DatabaseFailureMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "peerassist.urls"

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
                "django.template.context_processors.i18n",
            ],
            "builtins": ["sessions_app.templatetags.peerassist"],
        },
    },
]

WSGI_APPLICATION = "peerassist.wsgi.application"

# SQLite under var/ by default (SQLITE_PATH); DATABASE_URL names PostgreSQL, or SQLite as
# sqlite:///path. Connections are kept between requests (CONN_MAX_AGE seconds, checked
# before reuse): opening a SQLite connection (its functions and PRAGMAs) cost each page
# ~2.5 ms.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
CONN_MAX_AGE = envint("CONN_MAX_AGE", "600")
# Seconds a SQLite writer waits for the write lock before giving up (the participant then
# gets the "not saved yet, your text is here" page). Below gunicorn's worker timeout, so
# a waiting write ends in that page, never in a killed worker.
SQLITE_BUSY_TIMEOUT = envint("SQLITE_BUSY_TIMEOUT", "20")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "var" / "peerassist.sqlite3")),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One SQLite configuration however it is named: WAL (readers never wait for the
    # writer), IMMEDIATE transactions (writers queue for the lock at BEGIN instead of
    # failing with "database is locked" when a read turns into a write) and a busy timeout.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Refuses the demo accounts and their published password unless DEMO_USER_ALLOWED.
    "peerassist.auth.DemoAccountBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in locks a username on one address out after repeated failures. Only that pair:
# someone elsewhere cannot lock a user out, and the user can still sign in from home.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Password spraying (a few tries at many usernames): one address is refused for every
# username after this many failures within the cool-off time. 0 switches it off.
LOGIN_FAILURES_PER_ADDRESS = envint("LOGIN_FAILURES_PER_ADDRESS", "30")
AXES_HANDLER = "peerassist.auth.AxesHandler"
AXES_CLIENT_IP_CALLABLE = "peerassist.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "peerassist.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "sessions_app:home"
LOGOUT_REDIRECT_URL = "login"

# Thai first: Thai is the default whatever the browser says; English is one click away.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "peerassist_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
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

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: the console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", "587")
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "1")
    EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", "0")
else:
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
    )
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "peerassist <noreply@localhost>")
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: one file a message.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))

# Background work (email): django-tasks with its database backend, run by
# `manage.py db_worker` (`make run` starts one beside the web server). TASKS_BACKEND
# "immediate" runs each task inside the request instead (the tests do).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Follow-up reminders (send_aar_reminders).
AAR_REMINDER_DAYS_BEFORE = envint("AAR_REMINDER_DAYS_BEFORE", "2")
AAR_REMINDER_DAYS_AFTER = envint("AAR_REMINDER_DAYS_AFTER", "7")
AAR_REMINDER_MAX = envint("AAR_REMINDER_MAX", "3")
WALKIN_MAX_PARTICIPANTS = envint("WALKIN_MAX_PARTICIPANTS", "200")

# PDPA: participants of sessions older than this many years are anonymised by the daily
# time-driven command (send_aar_reminders). 0 keeps everything.
RETENTION_YEARS = envint("RETENTION_YEARS", "5")

# Security. Safe defaults everywhere; the HTTPS-only ones are switched on by environment.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "0")
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "0")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "0")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "0")
if envbool("BEHIND_PROXY", "0"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies whose X-Forwarded-For is believed, for the client address of rate limits and
# sign-in lock-outs (peerassist.ratelimit.client_ip). Empty: the connecting address is it.
TRUSTED_PROXIES = envips("TRUSTED_PROXIES")
# No inline scripts or styles anywhere: all JS and CSS are our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "peerassist.views.csrf_failure"

# Every record ends at the root's console handler, whose filter redacts personal links.
# Naming "django" and "django.server" here drops the handlers Django gives them by default
# (unfiltered: django.security.csrf printed "Forbidden: /join/<code>/"), and they propagate
# to the root. gunicorn's loggers are left to gunicorn.conf.py: listing them here emptied
# their handlers, and gunicorn's access log went silent.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "peerassist.logging.RedactTokensFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]}},
    # Logger-level filters too: records are redacted before any handler sees them.
    "loggers": {
        "django": {"level": "INFO", "propagate": True},
        "django.request": {"filters": ["redact_tokens"], "level": "INFO"},
        "django.server": {"filters": ["redact_tokens"], "level": "INFO", "propagate": True},
        "axes": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Rate limits per client IP and minute on the public endpoints (429 beyond).
RATELIMIT_TOKEN_PER_MINUTE = envint("RATELIMIT_TOKEN_PER_MINUTE", "60")
RATELIMIT_WALKIN_PER_MINUTE = envint("RATELIMIT_WALKIN_PER_MINUTE", "20")

# Rate limits are counted in the cache, shared by every worker in production; a
# per-process locmem would give each of them its own allowance.
# - PostgreSQL: the database cache (`manage.py createcachetable`), shared by every server.
# - SQLite (one machine by nature): files under var/cache, shared by every worker. The
#   database cache would queue each count behind SQLite's one write lock, so one long
#   write would stall every personal-link page (issue: "no stall for everyone").
USES_SQLITE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
CACHE_BACKEND = os.environ.get(
    "CACHE_BACKEND", "locmem" if DEBUG else ("file" if USES_SQLITE else "db")
)
if CACHE_BACKEND == "db":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "peerassist_cache",
        }
    }
elif CACHE_BACKEND == "file":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
        }
    }
elif CACHE_BACKEND == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(f"CACHE_BACKEND must be locmem, file or db, not {CACHE_BACKEND!r}")

# SQLite has one write lock. A form post waits for one of these per-process writer slots
# (up to a second) before it may wait for the lock, so writers stuck behind a long write
# never take every thread: the rest keep serving pages. Default: half of gunicorn's threads.
SQLITE_WRITE_SLOTS = envint("SQLITE_WRITE_SLOTS", str(max(1, envint("GUNICORN_THREADS", "8") // 2)))
# How long a form post waits for a writer slot before the 503 page (what was typed is on
# it, to send again). A room of 50 pressing Submit together queues for a few seconds on a
# busy 2-core machine; 1 s refused some of them (tests/test_concurrency.py under CI load).
SQLITE_SLOT_WAIT_SECONDS = envint("SQLITE_SLOT_WAIT_SECONDS", "5")
