"""Settings for one Amur Exchange node.

Every setting comes from the environment (12-factor) through django-environ,
with defaults that let a laptop run the demo at once: SQLite in the project
folder, no Redis (Celery tasks then run in-process), DEBUG on. Production sets
``DEBUG=false`` and real values; ``manage.py check --deploy`` is then clean.
"""

import importlib.util
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def _package_static(package: str) -> list[Path]:
    """The static folder of an installed package used only for its files.

    Leaflet's JS and CSS come from the django-leaflet package; its Django app
    is not installed because its GIS widgets need GDAL, which a node does not.
    """
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return []
    folder = Path(next(iter(spec.submodule_search_locations))) / "static"
    return [folder] if folder.is_dir() else []


env = environ.Env()
env.read_env(BASE_DIR / ".env") if (BASE_DIR / ".env").exists() else None


def env_secret(name: str, default: str | None = None) -> str | None:
    """A secret from ``NAME`` or from the file named by ``NAME_FILE`` (Docker secrets)."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text().strip()
    return env.str(name, default=default)


DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env_secret("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    SECRET_KEY = "insecure-laptop-demo-key-never-use-in-production-" + "x" * 20
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Which country this node serves. The origin node of every record made here.
NODE_CODE = env.str("NODE_CODE", default="RU").upper()
if NODE_CODE not in {"RU", "CN", "MN"}:
    raise ImproperlyConfigured("NODE_CODE must be RU, CN or MN")
NODE_NAME = env.str("NODE_NAME", default=f"Amur Exchange {NODE_CODE}")

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
]
LOCAL_APPS = ["observations", "exchange"]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

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
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "observations.context.node",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The laptop demo: a web process and a worker share one file. Take the write lock
    # at the start of a transaction and wait for it, instead of failing half-way.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes' backend first: a locked account or address is refused before any
# password is checked (observations.accounts.logins says how and why).
AUTHENTICATION_BACKENDS = [
    "observations.accounts.logins.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Languages: English, Russian, Simplified Chinese. Page URLs carry the
# language prefix (/en/, /ru/, /zh-hans/); the API answers in the language
# of Accept-Language.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # stored in UTC; pages show the PA's own zone

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static", *_package_static("leaflet")]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {
        "BACKEND": env.str("MEDIA_STORAGE", default="django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Security (production) -------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Sign-in throttling (django-axes; observations.accounts.logins) ------------------
# LOGIN_FAILURE_LIMIT failed passwords for one account (from anywhere) or from one
# address (for any account) lock that account or address for LOGIN_LOCKOUT_MINUTES;
# a coordinator can unlock sooner (/<lang>/accounts/locks/). Applies to the login page,
# the admin's login and POST /api/v1/auth/token/.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
# The client's address is REMOTE_ADDR. Behind a reverse proxy, name the header the proxy
# sets to the client's address (e.g. X-Real-IP); never trust one a client can send itself.
LOGIN_CLIENT_IP_HEADER = env.str("LOGIN_CLIENT_IP_HEADER", default="")
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # either one locks
AXES_RESET_ON_SUCCESS = True  # the handler forgets only that account's failures there
# Tries during a lock do not prolong it: it ends LOGIN_LOCKOUT_MINUTES after it began,
# as the lockout page says.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "observations.accounts.logins.LoginAttemptHandler"
AXES_CLIENT_IP_CALLABLE = "observations.accounts.logins.client_address"
AXES_LOCKOUT_CALLABLE = "observations.accounts.views.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # failures only: successful sign-ins are not stored
AXES_VERBOSE = False

# --- API ----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "observations.api.pagination.Cursor",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "observations.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Amur Exchange API",
    "DESCRIPTION": "Joint wildlife monitoring records of the Amur border protected areas.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from this node, not a CDN: nodes may have no outside access.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Celery ---------------------------------------------------------------
# With no broker configured (the laptop demo) tasks run in-process; tests
# always run a real worker (see tests/conftest.py).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_TASK_ACKS_LATE = True  # tasks are idempotent: a crashed worker's task runs again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Demo users' password (make run / load_demo_data).
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo")

# --- Record validation ------------------------------------------------------
# A point may lie this far outside a PA's known boundary (GPS error, a track
# followed across the line) before it is refused.
RECORD_BOUNDARY_TOLERANCE_M = env.int("RECORD_BOUNDARY_TOLERANCE_M", default=2000)
# Where no boundary is known, a point must fall in the Amur basin's bounding box
# (min_lon, min_lat, max_lon, max_lat): from the Onon/Kerulen headwaters in
# Mongolia to the Amur estuary, from the Tumen/Changbai south to the Uda north.
AMUR_BASIN_BBOX = tuple(env.list("AMUR_BASIN_BBOX", cast=float, default=[107.0, 41.0, 141.5, 56.0]))

# --- File imports -------------------------------------------------------------
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=100)
# Files with more rows than this are imported by a Celery task, with progress shown.
IMPORT_ASYNC_ROWS = env.int("IMPORT_ASYNC_ROWS", default=5000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Shared datasets (exchange.datasets) -----------------------------------------------
# A version of more records than this is frozen by a Celery task, with its status shown.
DATASET_PUBLISH_ASYNC_ROWS = env.int("DATASET_PUBLISH_ASYNC_ROWS", default=20000)

# --- Maps -------------------------------------------------------------------------
# Leaflet's files are served by the node (static "leaflet/leaflet.js"); the tiles
# come from MAP_TILES_URL, which a node without outside access points at its own
# tile server. Without tiles the map still takes a click; coordinates and the
# phone's GPS work without any map.
MAP_TILES_URL = env.str("MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")

# --- Exchange between nodes ---------------------------------------------------------
# This node's Ed25519 private key: base64 of the 32-byte seed, or a file (PEM or
# base64). Never in the database. `python manage.py exchange_keys` makes one.
EXCHANGE_PRIVATE_KEY = env_secret("EXCHANGE_PRIVATE_KEY", default="") or ""
EXCHANGE_PRIVATE_KEY_FILE = env.str("EXCHANGE_PRIVATE_KEY_FILE", default="")
EXCHANGE_PAGE_SIZE = env.int("EXCHANGE_PAGE_SIZE", default=500)
EXCHANGE_MAX_PAGE_SIZE = 5000
EXCHANGE_HTTP_TIMEOUT_S = env.float("EXCHANGE_HTTP_TIMEOUT_S", default=30.0)
# How often Celery beat pulls from every partner.
EXCHANGE_SYNC_EVERY_S = env.int("EXCHANGE_SYNC_EVERY_S", default=300)
CELERY_BEAT_SCHEDULE = {
    "sync-all-partners": {"task": "exchange.sync_all", "schedule": EXCHANGE_SYNC_EVERY_S},
    "release-embargoes": {"task": "exchange.release_embargoes", "schedule": 6 * 3600},
    "purge-nonces": {"task": "exchange.purge_nonces", "schedule": 3600},
    # Population-status summaries: on the 1st of each month at 03:00 UTC, the joint summary
    # of the year for every jointly monitored species (exchange.summaries.service).
    "monthly-joint-summaries": {
        "task": "exchange.schedule_summaries",
        "schedule": crontab(minute=0, hour=3, day_of_month=1),
    },
}

# --- Camera traps ---------------------------------------------------------------------
# A photo larger than this is refused at upload (16-20 MP JPEGs are 5-12 MB).
CAMERA_MAX_UPLOAD_BYTES = env.int("CAMERA_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)
# More pixels than this is a decompression bomb, whatever Pillow's own limit says.
CAMERA_MAX_PIXELS = env.int("CAMERA_MAX_PIXELS", default=64_000_000)
# Photos of one deployment less than this many seconds apart are one sequence (a burst).
CAMERA_SEQUENCE_GAP_S = env.int("CAMERA_SEQUENCE_GAP_S", default=60)
# Detections of a species at a station count as independent events when at least this many
# minutes apart (relative abundance index, "events per 100 trap-nights").
CAMERA_INDEPENDENCE_MIN = env.int("CAMERA_INDEPENDENCE_MIN", default=30)
# Long side of the thumbnail and of the preview, in pixels.
CAMERA_THUMBNAIL_PX = env.int("CAMERA_THUMBNAIL_PX", default=400)
CAMERA_PREVIEW_PX = env.int("CAMERA_PREVIEW_PX", default=1150)
