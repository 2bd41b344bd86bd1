"""Brute-force protection (django-axes): after repeated wrong passwords, the right one is refused too, by the
login form and by HTTP Basic, until the cool-off ends; the client is told so with 429 and Retry-After."""

from __future__ import annotations

import base64
import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.catalogue.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "harmony-test"  # tests/catalogue/factories.UserFactory
ATTACKER = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.9"


def login_form(username: str, password: str, address: str = ATTACKER):
    return Client().post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def basic_auth(username: str, password: str, address: str = ATTACKER):
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return APIClient().get(reverse("dataset-list"), HTTP_AUTHORIZATION=f"Basic {token}", REMOTE_ADDR=address)


def test_login_form_refuses_the_right_password_after_100_wrong_ones(settings):
    UserFactory(username="rita")
    for _ in range(100):
        login_form("rita", "wrong")
    response = login_form("rita", PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    html = response.content.decode()
    assert "Too many sign-in attempts" in html and "Try again in 15 minutes" in html
    assert "_auth_user_id" not in response.client.session


def test_login_form_works_again_after_the_cool_off(settings):
    UserFactory(username="rita")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_form("rita", "wrong")
    assert login_form("rita", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - settings.AXES_COOLOFF_TIME)
    assert login_form("rita", PASSWORD).status_code == 302


def test_lockout_is_per_address_too(settings):
    """Spraying one wrong password over many usernames from one address locks that address out."""
    UserFactory(username="rita")
    for n in range(settings.AXES_FAILURE_LIMIT):
        login_form(f"guess{n}", "wrong")
    assert login_form("rita", PASSWORD).status_code == 429
    assert login_form("rita", PASSWORD, address=OTHER_ADDRESS).status_code == 302


def test_wrong_passwords_below_the_limit_do_not_lock_out(settings):
    UserFactory(username="rita")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login_form("rita", "wrong").status_code == 200
    assert login_form("rita", PASSWORD).status_code == 302


def test_http_basic_refuses_the_right_password_after_100_wrong_ones(settings):
    UserFactory(username="rita")
    for _ in range(100):
        assert basic_auth("rita", "wrong").status_code in (403, 429)
    response = basic_auth("rita", PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert "Too many failed sign-in attempts" in response.json()["detail"]
    assert basic_auth("rita", PASSWORD, address=OTHER_ADDRESS).status_code == 200


def test_http_basic_with_the_right_password_works():
    UserFactory(username="rita")
    assert basic_auth("rita", PASSWORD).status_code == 200
    assert basic_auth("rita", "wrong").status_code == 403


def test_form_failures_lock_out_http_basic_from_the_same_address(settings):
    UserFactory(username="rita")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_form("rita", "wrong")
    assert basic_auth("rita", PASSWORD).status_code == 429
