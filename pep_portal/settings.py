"""PEP Portal settings: everything that varies between deployments comes from the environment.

With no environment at all the portal runs on a SQLite file in the checkout, with Celery tasks run
in-process, so a fresh clone works. Bad values stop start-up with a message naming the variable.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name, default=""):
    return os.environ.get(name, default).strip()


def envbool(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected one of true/false, yes/no, on/off, 1/0")


def envint(name, default, minimum=None):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r}: must be at least {minimum}")
    return value


def envlist(name, default=""):
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]


def envurl(name, default, schemes):
    value = envstr(name, default)
    if value and urlparse(value).scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name}={value!r}: expected a URL starting with one of {', '.join(s + '://' for s in schemes)}"
        )
    return value


DEBUG = envbool("DEBUG", False)
# Django's deploy check flags the "django-insecure-" prefix, so a production start without
# SECRET_KEY is reported by `manage.py check --deploy` rather than silently accepted.
SECRET_KEY = envstr("SECRET_KEY") or "django-insecure-development-key-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_ROOT = envstr("SITE_ROOT", "http://127.0.0.1:8000").rstrip("/")

PARTNERSHIP_NAME = envstr("PARTNERSHIP_NAME", "Northbridge Education Partnership")
PARTNERSHIP_LA_CODES = envlist("PARTNERSHIP_LA_CODES", "899")
for _code in PARTNERSHIP_LA_CODES:
    if not re.fullmatch(r"\d{3}", _code):
        raise ImproperlyConfigured(
            f"PARTNERSHIP_LA_CODES: {_code!r} is not a three-digit DfE local authority code (e.g. 851)"
        )
# The DfE publishes each LA's ten closest statistical neighbours; a partnership enters its own list.
STATISTICAL_NEIGHBOUR_LA_CODES = envlist("STATISTICAL_NEIGHBOUR_LA_CODES")
for _code in STATISTICAL_NEIGHBOUR_LA_CODES:
    if not re.fullmatch(r"\d{3}", _code):
        raise ImproperlyConfigured(f"STATISTICAL_NEIGHBOUR_LA_CODES: {_code!r} is not a three-digit LA code")

INSTALLED_APPS = [
    "pep_portal.admin_site.PortalAdminConfig",  # django.contrib.admin behind the portal login
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_tables2",
    "django_filters",
    "django_celery_beat",
    "csp",
    "pep_portal",
    "schools",
    "dashboard",
    "support",
    "refresh",
    "governance",
    "strategy",
    "communications",
    "events",
    "search",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "pep_portal.middleware.RequireTwoFactorMiddleware",
    "pep_portal.middleware.PrivateNoStoreMiddleware",
]

ROOT_URLCONF = "pep_portal.urls"
WSGI_APPLICATION = "pep_portal.wsgi.application"

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
                "csp.context_processors.nonce",
                "pep_portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envurl("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}", ("sqlite", "postgres", "postgresql")),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets pages read while an import or rating run writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = envurl("CACHE_URL", "", ("redis", "rediss"))
DATABASE_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "pep_portal_cache"}
if CACHE_URL:
    # While Redis does not answer, cache calls (and so sign-in limits) use the database cache.
    CACHES = {
        "default": {
            "BACKEND": "pep_portal.cache.RedisWithDatabaseFallback",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        },
        "fallback": DATABASE_CACHE,
    }
else:
    CACHES = {"default": DATABASE_CACHE}

SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "pep_portal.accounts.RoleBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "pep_portal.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Lock-outs are per account AND client address (AccountAdapter keys failures on both): a guesser
# locks only their own address out of that account, never other accounts or other addresses.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Email subjects and the TOTP issuer carry the partnership name saved in the portal (the adapters).
MFA_ADAPTER = "pep_portal.accounts.MFAAdapter"
USERSESSIONS_TRACK_ACTIVITY = True

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
# A mail server that stops answering must not hold a worker (or a bulletin delivery) for ever.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "portal@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-gb"
LOCALE_PATHS = [BASE_DIR / "locale"]  # sentence case for django-allauth's Title Case strings
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
STATIC_MANIFEST = envbool("STATIC_MANIFEST", not DEBUG and "PYTEST_VERSION" not in os.environ)
STORAGES = {
    # Uploads go through the storage API so a worker on another machine reads what the web
    # process received: a shared volume by default, object storage when STORAGE_BACKEND says so.
    "default": {"BACKEND": envstr("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage":
    AWS_STORAGE_BUCKET_NAME = envstr("AWS_STORAGE_BUCKET_NAME")
    AWS_S3_ENDPOINT_URL = envstr("AWS_S3_ENDPOINT_URL") or None
    if not AWS_STORAGE_BUCKET_NAME:
        raise ImproperlyConfigured("STORAGE_BACKEND is S3 but AWS_STORAGE_BUCKET_NAME is not set")
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST

UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", 200 * 1024 * 1024, minimum=1024)
# The largest governance paper attachment a member may upload.
GOVERNANCE_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024

# Imports over this size (or with more rows) are written by a background task with a progress bar.
IMPORT_BACKGROUND_BYTES = 2 * 1024 * 1024
IMPORT_BACKGROUND_ROWS = 20000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security headers. HTTPS-only settings are on by default when DEBUG is off; a plain-HTTP
# local run (tests, `make run`) turns them off explicitly through the environment.
HTTPS = envbool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
BEHIND_PROXY = envbool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# Behind the proxy every request comes from the proxy's address; allauth then takes the client's
# address from the last X-Forwarded-For entry (the one our proxy added), so limits are per client.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if BEHIND_PROXY else 0
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Plotly adds <style> elements when it draws; chart pages carry the nonce it needs.
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

CELERY_BROKER_URL = envurl("CELERY_BROKER_URL", "", ("redis", "rediss", "amqp"))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
# Without this a worker killed mid-task acknowledges the message and the task is lost.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 30 * 60, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 5
# Redelivery after a dead worker waits for the visibility timeout: keep it just above the time limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 300, minimum=20),
    # kombu looks for messages of dead workers every 10 s but by default scans only every 10th time
    # (about 100 s measured); scanning each time bounds redelivery by the visibility timeout + 10 s.
    "unacked_restore_throttle": 1,
}
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must be greater than CELERY_TASK_TIME_LIMIT")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With no broker, "run the ratings now" runs in a thread of the web process, so its page shows the
# progress; tests run it inline (eager) so it sees their transaction.
RATINGS_RUN_IN_THREAD = envbool("RATINGS_RUN_IN_THREAD", not CELERY_BROKER_URL and "PYTEST_VERSION" not in os.environ)
# The bulletin (communications.sending): recipients per Celery task, how long a claimed delivery may
# stay "being sent" before it is taken as interrupted (above any SMTP timeout), and subscribe limits.
BULLETIN_BATCH_SIZE = envint("BULLETIN_BATCH_SIZE", 200, minimum=1)
BULLETIN_CLAIM_STALE_SECONDS = envint("BULLETIN_CLAIM_STALE_SECONDS", 300, minimum=1)
BULLETIN_MAX_ATTEMPTS = envint("BULLETIN_MAX_ATTEMPTS", 5, minimum=1)
SUBSCRIBE_RATE_PER_ADDRESS = envint("SUBSCRIBE_RATE_PER_ADDRESS", 3, minimum=1)  # emails an hour to one address
SUBSCRIBE_RATE_PER_CLIENT = envint("SUBSCRIBE_RATE_PER_CLIENT", 20, minimum=1)  # attempts an hour from one client
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
