"""Prepare one provider instance (idempotent): its secret and RS256 key at first start, its database, people
and the registered relying party. Run by ``scripts/oidc.sh`` before gunicorn, with the instance's environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

# The relying party's callback and where it asks to land after logout, on every host it is served from in
# development and tests (localhost and 127.0.0.1 on any port: RFC 8252 loopback redirects; "testserver" is
# Django's test client).
RP_HOSTS = ("http://127.0.0.1", "http://localhost", "http://testserver")
CALLBACK_PATH = "/accounts/oidc/callback/"


def ensure_secrets(state_dir: Path) -> None:
    state_dir.mkdir(parents=True, exist_ok=True)
    secret_file = state_dir / "secret-key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(48))
        secret_file.chmod(0o600)
    key_file = state_dir / "rsa-private-key.pem"
    if not key_file.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        key_file.chmod(0o600)


def ensure_database() -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import get_application_model

    from oidc_provider.people import CLIENT_ID, CLIENT_SECRET, PASSWORD, PEOPLE
    from oidc_provider.settings import INSTANCE

    call_command("migrate", interactive=False, verbosity=0)
    user_model = get_user_model()
    for username, claims in PEOPLE[INSTANCE].items():
        user, _ = user_model.objects.get_or_create(username=username)
        user.email = str(claims.get("email", ""))
        user.set_password(PASSWORD)
        user.save()
    application_model = get_application_model()
    application = application_model.objects.filter(client_id=CLIENT_ID).first() or application_model(
        client_id=CLIENT_ID
    )
    application.name = "HARMONY Catalogue"
    application.client_secret = CLIENT_SECRET
    application.client_type = application_model.CLIENT_CONFIDENTIAL
    application.authorization_grant_type = application_model.GRANT_AUTHORIZATION_CODE
    application.algorithm = application_model.RS256_ALGORITHM
    application.skip_authorization = True
    application.redirect_uris = " ".join(host + CALLBACK_PATH for host in RP_HOSTS)
    application.post_logout_redirect_uris = " ".join(host + "/" for host in RP_HOSTS)
    application.save()


if __name__ == "__main__":
    ensure_secrets(Path(os.environ["OIDC_PROVIDER_STATE_DIR"]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oidc_provider.settings")
    import django

    django.setup()
    ensure_database()
