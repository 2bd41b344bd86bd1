"""Personal access tokens: created by their owner (secret shown once, only a digest stored), scoped, expiring,
revocable; used as ``Authorization: Bearer``; refused with 401 (bad, expired, revoked) or 403 (read scope writing)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import PersonalAccessToken
from accounts.tokens import digest_of
from audit.models import AuditEvent
from tests.catalogue.factories import DatasetFactory
from tests.conftest import api_as

pytestmark = pytest.mark.django_db

NEW_DATASET = {"title": "Token-made cohort", "description": "Made by a script.", "partner": "aha"}


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_create_by_api_shows_the_secret_once_and_stores_only_its_digest(cast):
    response = api_as(cast.rita_researcher).post(
        reverse("token-list"), {"name": "export", "scope": "read", "lifetime_days": 30}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    secret = body["secret"]
    assert secret.startswith("hpat_") and body["prefix"] == secret[:12] and body["is_live"] is True
    token = PersonalAccessToken.objects.get(pk=body["id"])
    assert token.digest == digest_of(secret) and secret not in (token.digest, token.prefix)
    assert (token.expires_at - timezone.now()).days in (29, 30)
    listed = api_as(cast.rita_researcher).get(reverse("token-list")).json()["results"]
    assert [row["prefix"] for row in listed] == [body["prefix"]] and "secret" not in listed[0]


def test_a_read_token_reads_as_its_user(cast):
    token, secret = services.token_create(user=cast.rita_researcher, name="reader", scope="read", lifetime_days=7)
    response = bearer(secret).get(reverse("me"))
    assert response.status_code == 200 and response.json()["username"] == "rita"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_read_token_cannot_write_even_where_its_user_may(cast):
    _, secret = services.token_create(user=cast.olga_owner_curator, name="reader", scope="read", lifetime_days=7)
    response = bearer(secret).post(reverse("dataset-list"), NEW_DATASET, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "This token's scope is read: it cannot change anything."


def test_a_write_token_writes_what_its_user_may_and_no_more(cast):
    _, secret = services.token_create(user=cast.olga_owner_curator, name="writer", scope="write", lifetime_days=7)
    assert bearer(secret).post(reverse("dataset-list"), NEW_DATASET, format="json").status_code == 201
    _, carl = services.token_create(user=cast.carl_other_curator, name="writer", scope="write", lifetime_days=7)
    assert bearer(carl).post(reverse("dataset-list"), NEW_DATASET, format="json").status_code == 403


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("expired", "The token has expired."),
        ("revoked", "The token has been revoked."),
        ("bogus", "The token is not valid."),
    ],
)
def test_expired_revoked_or_unknown_tokens_are_refused_with_401(cast, state, message):
    token, secret = services.token_create(user=cast.rita_researcher, name="t", scope="write", lifetime_days=7)
    if state == "expired":
        PersonalAccessToken.objects.filter(pk=token.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=9),
            expires_at=timezone.now() - datetime.timedelta(days=2),
        )
    elif state == "revoked":
        services.token_revoke(token=token, actor=cast.rita_researcher)
    else:
        secret = secret[:-4] + "xxxx"
    response = bearer(secret).get(reverse("dataset-list"))
    assert response.status_code == 401
    assert response.json()["detail"] == message
    assert response["WWW-Authenticate"].startswith('Bearer realm="api"')


def test_a_token_of_a_deactivated_user_is_refused(cast):
    _, secret = services.token_create(user=cast.rita_researcher, name="t", scope="read", lifetime_days=7)
    cast.rita_researcher.is_active = False
    cast.rita_researcher.save()
    assert bearer(secret).get(reverse("dataset-list")).status_code == 401


def test_a_token_cannot_create_tokens(cast):
    _, secret = services.token_create(user=cast.rita_researcher, name="t", scope="write", lifetime_days=7)
    response = bearer(secret).post(reverse("token-list"), {"name": "child"}, format="json")
    assert response.status_code == 403
    assert "not with another token" in response.json()["detail"]


def test_create_refuses_bad_fields_with_messages(cast):
    response = api_as(cast.rita_researcher).post(
        reverse("token-list"), {"name": "", "scope": "admin", "lifetime_days": 400}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    errors = body.get("fields", body)  # the one error shape keeps field errors under "fields"
    assert set(errors) == {"name", "scope", "lifetime_days"}
    assert errors["lifetime_days"] == ["Ensure this value is less than or equal to 366."]


def test_tokens_are_private_to_their_owner(cast):
    token, _ = services.token_create(user=cast.rita_researcher, name="mine", scope="read", lifetime_days=7)
    for user in (cast.carl_other_curator, cast.ada_admin):
        client = api_as(user)
        assert client.get(reverse("token-detail", args=[token.pk])).status_code == 404
        assert client.delete(reverse("token-detail", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert APIClient().get(reverse("token-list")).status_code == 403


def test_revoke_by_api(cast):
    token, secret = services.token_create(user=cast.rita_researcher, name="mine", scope="read", lifetime_days=7)
    assert api_as(cast.rita_researcher).delete(reverse("token-detail", args=[token.pk])).status_code == 204
    assert bearer(secret).get(reverse("me")).status_code == 401


def test_tokens_page_creates_shows_secret_once_and_revokes(cast):
    DatasetFactory(partner=cast.partner_a)
    client = Client()
    client.force_login(cast.rita_researcher)
    assert client.get(reverse("accounts:tokens")).status_code == 200
    response = client.post(reverse("accounts:tokens"), {"name": "nightly", "scope": "read", "lifetime_days": "30"})
    html = response.content.decode()
    token = PersonalAccessToken.objects.get(user=cast.rita_researcher)
    assert "it will not be shown again" in html and response["Cache-Control"] == "no-store"
    secret = html.split('<code class="token-secret">')[1].split("</code>")[0]
    assert digest_of(secret) == token.digest
    assert secret not in client.get(reverse("accounts:tokens")).content.decode()
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True)
    assert "is revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_tokens_page_shows_field_errors(cast):
    client = Client()
    client.force_login(cast.rita_researcher)
    html = client.post(reverse("accounts:tokens"), {"name": "", "scope": "read", "lifetime_days": "0"}).content.decode()
    assert "This field is required." in html and "greater than or equal to 1" in html
    assert not PersonalAccessToken.objects.exists()


def test_tokens_page_needs_sign_in_and_hides_other_users_tokens(cast):
    token, _ = services.token_create(user=cast.rita_researcher, name="rita-only", scope="read", lifetime_days=7)
    assert Client().get(reverse("accounts:tokens")).status_code == 302
    client = Client()
    client.force_login(cast.carl_other_curator)
    assert "rita-only" not in client.get(reverse("accounts:tokens")).content.decode()
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404


def test_creating_and_revoking_are_audited_without_the_secret(cast):
    token, secret = services.token_create(user=cast.rita_researcher, name="audited", scope="read", lifetime_days=7)
    services.token_revoke(token=token, actor=cast.rita_researcher)
    events = AuditEvent.objects.filter(object_type="accounts.personalaccesstoken", object_id=str(token.pk))
    assert [event.action for event in events.order_by("id")] == ["token.create", "token.revoke"]
    assert all(secret not in str(event.after) for event in events)
    assert events.first().actor == cast.rita_researcher
