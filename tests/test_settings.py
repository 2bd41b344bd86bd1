"""The settings module parses the environment strictly and is deployable with DEBUG=0."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from joserfc.jwk import RSAKey

from harmony.env import env_bool, env_choice, env_int, env_str

ROOT = Path(__file__).resolve().parent.parent


def test_boolean_is_strict(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG", True)
    monkeypatch.setenv("DEBUG", "off")
    assert env_bool("DEBUG", True) is False


def test_secret_read_from_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t-from-file\n")
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    assert env_str("SECRET_KEY") == "s3cr3t-from-file"
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env_str("SECRET_KEY")


def test_integer_and_choice_errors(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("EMAIL_PORT", 25)
    monkeypatch.setenv("SEARCH_BACKEND", "solr")
    with pytest.raises(ImproperlyConfigured, match="must be one of: database, elasticsearch"):
        env_choice("SEARCH_BACKEND", "database", ("database", "elasticsearch"))


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # A production-like environment: none of the developer or test-run switches (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE for Playwright's event loop, which check --deploy rightly refuses).
    excluded = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in excluded}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_check_deploy_is_clean_in_production_configuration(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="catalogue.harmony.example",
        HARMONY_VAR_DIR=str(tmp_path),
        AUDIT_HMAC_KEY="another-long-random-secret-for-the-audit-chain-" + "y" * 20,
        PASSPORT_SIGNING_JWKS=json.dumps({"keys": [RSAKey.generate_key(2048, parameters={"kid": "k1"}).as_dict()]}),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_asks_for_a_visa_signing_key(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        DEBUG="0",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="catalogue.harmony.example",
        HARMONY_VAR_DIR=str(tmp_path),
        AUDIT_HMAC_KEY="another-long-random-secret-for-the-audit-chain-" + "y" * 20,
    )
    assert result.returncode != 0
    assert "passports.E001" in result.stdout + result.stderr


def test_production_without_secret_refuses_to_start(tmp_path):
    result = _manage("check", DEBUG="0", HARMONY_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG=0" in result.stderr


def test_misspelt_debug_refuses_to_start(tmp_path):
    result = _manage("check", DEBUG="maybe", HARMONY_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def _database_settings(**env: str) -> dict[str, object]:
    result = _manage(
        "shell",
        "-c",
        "import json; from django.conf import settings; d = settings.DATABASES['default']; "
        "print(json.dumps({'age': d['CONN_MAX_AGE'], 'checks': d['CONN_HEALTH_CHECKS']}))",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_server_database_connection_is_kept_between_requests_and_checked(tmp_path):
    """Before, every request opened a new PostgreSQL connection (about 13 ms here, more than a cheap search)."""
    url = "postgres://harmony:harmony@127.0.0.1:5432/harmony"
    kept = _database_settings(DATABASE_URL=url, HARMONY_VAR_DIR=str(tmp_path))
    assert kept == {"age": 60, "checks": True}
    closed = _database_settings(DATABASE_URL=url, DATABASE_CONN_MAX_AGE="0", HARMONY_VAR_DIR=str(tmp_path))
    assert closed == {"age": 0, "checks": True}
