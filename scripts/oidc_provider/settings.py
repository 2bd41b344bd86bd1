"""Settings of one provider instance, from the environment ``scripts/oidc.sh`` sets.

``OIDC_PROVIDER_INSTANCE`` (alpha, beta, skewed) chooses the people; ``OIDC_PROVIDER_PORT`` the port (the issuer is
``http://127.0.0.1:<port>/o``); ``OIDC_PROVIDER_STATE_DIR`` holds the instance's RS256 key and SQLite database;
``OIDC_PROVIDER_ID_TOKEN_SECONDS`` the ID token lifetime (negative: tokens expired when issued).
"""

from __future__ import annotations

import os
from pathlib import Path

INSTANCE = os.environ["OIDC_PROVIDER_INSTANCE"]
PORT = int(os.environ["OIDC_PROVIDER_PORT"])
STATE_DIR = Path(os.environ["OIDC_PROVIDER_STATE_DIR"])
ISSUER = f"http://127.0.0.1:{PORT}/o"
KEY_FILE = STATE_DIR / "rsa-private-key.pem"

DEBUG = False
SECRET_KEY = (STATE_DIR / "secret-key").read_text().strip() if (STATE_DIR / "secret-key").exists() else "bootstrap"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "oidc_provider.urls"
WSGI_APPLICATION = "oidc_provider.wsgi.application"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": STATE_DIR / "provider.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
# Two providers on one host share the cookie jar of a browser (cookies ignore ports): keep their sessions apart.
SESSION_COOKIE_NAME = f"oidc_{INSTANCE}_session"
CSRF_COOKIE_NAME = f"oidc_{INSTANCE}_csrf"
LOGIN_URL = "/accounts/login/"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": ISSUER,
    "OIDC_RSA_PRIVATE_KEY": KEY_FILE.read_text() if KEY_FILE.exists() else "",
    "PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,  # S256 only
    "ID_TOKEN_EXPIRE_SECONDS": int(os.environ.get("OIDC_PROVIDER_ID_TOKEN_SECONDS", "300")),
    "OAUTH2_VALIDATOR_CLASS": "oidc_provider.validators.ClaimsValidator",
    "SCOPES": {
        "openid": "Sign you in",
        "profile": "Your name",
        "email": "Your e-mail address",
        "eduperson_scoped_affiliation": "Your affiliations",
    },
    # The relying party's test servers listen on ephemeral ports of localhost (RFC 8252 loopback redirects).
    "ALLOW_LOCALHOST_LOOPBACK": True,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
}
