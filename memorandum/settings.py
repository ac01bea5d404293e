"""Settings for the Memorandum platform.

One module, driven by environment variables. Production is the default and fails safe:
``DEBUG`` is off and start-up refuses a development key, missing ``ALLOWED_HOSTS``, a
``SITE_URL`` on localhost or demo accounts (the ``memorandum.E0xx`` checks in
``memorandum/checks.py``). Development is chosen explicitly with
``MEMORANDUM_ENV=development`` (``make demo``, the test suite and ``.ci/run`` do). Without a
``DATABASE_URL`` the platform runs on an embedded SQLite database under ``var/``.
Nothing here touches the file system: directories are created by what needs them.
"""

import os
from pathlib import Path

import dj_database_url

from memorandum.lib.security import static_file_headers

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MEMORANDUM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_header(name: str) -> tuple[str, str] | None:
    """A header and the value that marks a request as secure: ``X-Forwarded-Proto=https``.

    Returns Django's form (``("HTTP_X_FORWARDED_PROTO", "https")``) or None when unset.
    """
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    header, _, expected = value.partition("=")
    header = header.strip().upper().replace("-", "_")
    if not header.startswith("HTTP_"):
        header = "HTTP_" + header
    return header, expected.strip() or "https"


# --- Environment ----------------------------------------------------------------------
# "production" unless development is chosen explicitly; DEBUG can only be on in development
# (and can be switched off there, e.g. by benchmarks that want production-like speed).
MEMORANDUM_ENV = os.environ.get("MEMORANDUM_ENV", "production").strip().lower()
DEVELOPMENT = MEMORANDUM_ENV == "development"
DEBUG = DEVELOPMENT and env_bool("DEBUG", True)
# The development key and localhost defaults exist for development only; outside it the
# memorandum.E001-E003 checks stop every start (runserver, migrate, gunicorn) until they are set.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEVELOPMENT else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_tasks_rq",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "memorandum",
    "memorandum.catalogue",
    "memorandum.consultation",
    "memorandum.survey",
    "memorandum.assembly",
    "memorandum.publication",
    "memorandum.roadmap",
    "memorandum.impact",
    "memorandum.audit",
    "memorandum.accounts",
    "memorandum.imports",
    "memorandum.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Oversized bodies and control characters in addresses never reach a view. After the
    # frame protection, so that its 400 and 413 pages carry X-Frame-Options like every page.
    "memorandum.lib.middleware.RequestLimitsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "memorandum.urls"
WSGI_APPLICATION = "memorandum.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "memorandum.context_processors.site",
            ],
            "builtins": ["memorandum.templatetags.content"],
        },
    }
]

# --- Database -------------------------------------------------------------------------
# SQLite (WAL, so readers never wait for the writer) is the embedded default;
# production and CI pass DATABASE_URL=postgres://…
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # psycopg prepares only the statements that ask for it (memorandum.lib.compiled, the
        # ballot's hot path): a threshold no other statement reaches. Django's default, None,
        # would refuse those too. See docs/deploy.md on connection poolers.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 2**31)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "memorandum.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
# Several app servers share one Redis when REDIS_URL is set; otherwise a local cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background work ------------------------------------------------------------------
# E-mail, counting and document rendering run in a worker, never inside a request.
# django-tasks is the backport of Django 6's task framework (same API, so moving to Django 6
# is an import change). The embedded default keeps the queue in the database
# (`manage.py db_worker`, started by `make demo`); production with Redis sets
# TASKS_BACKEND=rq and runs `manage.py rqworker --job-class django_tasks_rq.Job default`.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "rq" if REDIS_URL else "database")
if TASKS_BACKEND == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# No RQ dashboard in the back office: it would let every staff member requeue or delete jobs
# (use `rqinfo` on a worker machine instead).
RQ_SHOW_ADMIN_LINK = False
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 900}}
# An import bigger than this (bytes, or rows its sheets declare) is checked and applied by the
# worker while the page shows its progress, instead of inside the upload's request.
IMPORT_IN_REQUEST_BYTES = int(os.environ.get("IMPORT_IN_REQUEST_BYTES", 1024 * 1024))
IMPORT_IN_REQUEST_ROWS = int(os.environ.get("IMPORT_IN_REQUEST_ROWS", 1000))

# --- Authentication -------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account or address is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "memorandum.catalogue.auth.NoDemoPasswordInProductionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
DEMO_PASSWORD = "demo"

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("fr", "Français"), ("en", "English")]
# Content is written in these languages; English readers get Dutch with a visible note.
CONTENT_LANGUAGES = ["nl", "fr"]
LOCALE_PATHS = [BASE_DIR / "memorandum" / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
# One date format per language, Belgian usage (memorandum/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["memorandum.formats"]

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
# `collectstatic` creates STATIC_ROOT (production); development serves from the apps' folders.
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEVELOPMENT
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_AUTOREFRESH = DEVELOPMENT
WHITENOISE_USE_FINDERS = DEVELOPMENT
# Source maps (the API documentation page's, several MB) are for developers' tools only:
# compressing them would double the time collectstatic takes, for nothing.
from whitenoise.compress import Compressor  # noqa: E402

WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
# Static files get the same frame and sniffing protection as pages.
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEVELOPMENT
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "memorandum@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Refused outside development while it points at this machine (memorandum.E003).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The secretariat's address, shown where a voter is stuck (e.g. an invalid ballot link).
SECRETARIAT_EMAIL = os.environ.get("SECRETARIAT_EMAIL", DEFAULT_FROM_EMAIL)
# Who survey invitations come from (the federation's address; replies go to the secretariat).
SURVEY_MAIL_FROM = os.environ.get("SURVEY_MAIL_FROM", DEFAULT_FROM_EMAIL)
# Invitation e-mails: attempts before a mail is left "failed", and after how many minutes
# a mail still queued/sending is taken as lost by a stopped worker and queued again.
SURVEY_MAIL_ATTEMPTS = int(os.environ.get("SURVEY_MAIL_ATTEMPTS", "4"))
SURVEY_MAIL_STUCK_MINUTES = int(os.environ.get("SURVEY_MAIL_STUCK_MINUTES", "10"))
# Accounts: how long an invitation link works, and who signs the platform's e-mails.
ACCOUNT_INVITATION_DAYS = int(os.environ.get("ACCOUNT_INVITATION_DAYS", "14"))
MAIL_SIGNATURE = {
    "nl": os.environ.get("MAIL_SIGNATURE_NL", "Vaste Commissie van de Lokale Politie"),
    "fr": os.environ.get("MAIL_SIGNATURE_FR", "Commission permanente de la Police locale"),
}

# --- Security -------------------------------------------------------------------------
# In production everything is HTTPS-only by default; each switch can be turned off through
# the environment when a proxy terminates TLS differently.
# Only trust a forwarded-protocol header when the proxy in front sets it (and strips it
# from clients): SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto=https".
SECURE_PROXY_SSL_HEADER = env_header("SECURE_PROXY_SSL_HEADER")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEVELOPMENT)
# Load balancers poll the health check over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEVELOPMENT)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEVELOPMENT)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEVELOPMENT else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEVELOPMENT)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEVELOPMENT)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts only from our own static files, never inline
# or eval'd (htmx is configured for this in base.html). Inline styles stay allowed: templates
# set a few computed widths (`style="--rate: 40%"`) and the printable pages embed their CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Permissions-Policy (django-permissions-policy): no page needs a device or sensor.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
    )
}

# --- JSON API (memorandum/api, docs/api.md) -------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "memorandum.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["memorandum.api.auth.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["memorandum.api.auth.ClientThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("API_TOKEN_RATE", "600/hour"),
        "anonymous": os.environ.get("API_ANONYMOUS_RATE", "300/hour"),
    },
    "DEFAULT_RENDERER_CLASSES": ["memorandum.api.problems.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["memorandum.api.problems.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "memorandum.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "memorandum.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Memorandum API",
    "DESCRIPTION": "The catalogue, published results and decisions, and the roadmap (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "memorandum.api.problems.document_problems",
    ],
}
# The longest a personal API token may live, in days.
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", "366"))
# The most usable personal API tokens one person may hold at a time.
API_TOKEN_MAX_ACTIVE = int(os.environ.get("API_TOKEN_MAX_ACTIVE", "10"))

# --- Sign-in protection ---------------------------------------------------------------
# django-axes: after AXES_FAILURE_LIMIT wrong passwords for one account, or from one address,
# sign-in is refused for AXES_COOLOFF_HOURS or until the secretariat unlocks it.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Not reset on success: one account's sign-in would wipe the failures recorded from its
# address against other accounts (axes resets per address). Failures expire with the cool-off.
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
# What was typed in the name field is never stored: an attempt is counted under the account's
# name, or a keyed digest when no account has it (memorandum.lib.security.sign_in_name), and
# the copy of the form axes keeps masks the name (and the password, always). Lock-outs are
# logged by memorandum.signin with the account (or digest) and the address.
AXES_SENSITIVE_PARAMETERS = ["username", "csrfmiddlewaretoken"]
# Behind PROXY_COUNT trusted proxies the client's address is read from X-Forwarded-For
# (the entry the outermost proxy appended); without a proxy, the connection's address.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "memorandum.lib.security.client_address"
AXES_USERNAME_CALLABLE = "memorandum.lib.security.sign_in_name"
# Guessing survey tokens and receipts: per address, at most this many misses per window,
# then 429 (memorandum.lib.ratelimit; counters live in the cache, i.e. Redis in production).
GUESS_LIMIT = int(os.environ.get("GUESS_LIMIT", "20"))
GUESS_WINDOW_SECONDS = int(os.environ.get("GUESS_WINDOW_SECONDS", "600"))

# --- Logging --------------------------------------------------------------------------
# Ballot tokens are secrets: every handler redacts them ("Forbidden: /nl/survey/ballot/…"),
# including the ones that replace Django's defaults for "django" and the development server.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "memorandum.lib.security.RedactTokensFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_tokens"],
        },
    },
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # Lock-outs and unlocks are always written down.
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "memorandum.signin": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
