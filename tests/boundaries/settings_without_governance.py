"""The project's settings with governance uninstalled (its apps, URLs, tags and slot fragments gone), on an
in-memory SQLite database and the database search backend, for tests/test_boundaries.py."""

from harmony.settings import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "governance"]  # noqa: F405
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
SEARCH_BACKEND = "database"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
