"""The chain's key: required in production (audit.E001), and the development default says it is insecure."""

from __future__ import annotations

from tests.test_settings import _manage

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "catalogue.harmony.example",
}


def test_production_without_an_audit_key_fails_the_system_check(tmp_path):
    result = _manage("check", **PRODUCTION, HARMONY_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "(audit.E001) The audit trail has no HMAC key: with DEBUG=0 nothing can be audited." in result.stderr
    assert "Set AUDIT_HMAC_KEY (or AUDIT_HMAC_KEY_FILE)" in result.stderr


def test_the_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "audit-key"
    key_file.write_text("a-key-kept-in-a-file-" + "z" * 30 + "\n")
    result = _manage("check", **PRODUCTION, HARMONY_VAR_DIR=str(tmp_path), AUDIT_HMAC_KEY_FILE=str(key_file))
    assert result.returncode == 0, result.stderr


def test_the_development_key_is_flagged_by_check_deploy(tmp_path):
    result = _manage("check", "--deploy", HARMONY_VAR_DIR=str(tmp_path))
    assert "(audit.W001) The audit chain uses the INSECURE development key derived from SECRET_KEY." in (
        result.stdout + result.stderr
    )
