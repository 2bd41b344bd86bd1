"""The header's language switch: the chosen language is remembered by the browser (Django's language cookie) and,
for a signed-in user, stored (``LanguagePreference``, audited) so that it wins at their next sign-in anywhere and
letters written to them use it (``accounts.language_for``). Dates and numbers follow the language."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.utils import translation

import accounts
from accounts.models import LanguagePreference
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def switch(client: Client, language: str, next_url: str = "/datasets/"):
    return client.post("/accounts/language/", {"language": language, "next": next_url})


def test_the_header_offers_every_interface_language_and_html_lang_follows_the_choice() -> None:
    client = Client()
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    for code, name in settings.LANGUAGES:
        assert f'<option value="{code}" lang="{code}"' in page, code
        assert name in page

    response = switch(client, "de")
    assert response.status_code == 302
    assert response["Location"] == "/datasets/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    page = client.get("/").content.decode()
    assert '<html lang="de">' in page
    assert "Zum Hauptinhalt springen" in page
    assert '<option value="de" lang="de" selected>' in page


def test_the_browser_language_is_used_until_a_choice_is_made() -> None:
    page = Client(headers={"accept-language": "fr-FR,fr;q=0.9"}).get("/").content.decode()
    assert '<html lang="fr">' in page
    assert "Aller au contenu principal" in page


def test_an_unknown_language_or_a_foreign_next_address_is_refused_quietly() -> None:
    client = Client()
    response = switch(client, "xx", next_url="https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_switch_needs_post() -> None:
    assert Client().get("/accounts/language/?language=de").status_code == 405


def test_a_signed_in_users_choice_is_stored_audited_and_wins_at_the_next_sign_in(cast) -> None:
    rita = cast.rita_researcher
    rita.set_password("pw-rita-123")
    rita.save()
    client = Client()
    client.force_login(rita)
    switch(client, "it")
    assert LanguagePreference.objects.get(user=rita).language == "it"
    event = AuditEvent.objects.get(action="account.language")
    assert event.after == {"language": "it"}
    switch(client, "it")
    assert AuditEvent.objects.filter(action="account.language").count() == 1  # the same choice changes nothing
    assert accounts.language_for(rita) == "it"

    other_browser = Client(headers={"accept-language": "en"})
    response = other_browser.post("/accounts/login/", {"username": "rita", "password": "pw-rita-123"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "it"
    assert '<html lang="it">' in other_browser.get("/").content.decode()


def test_an_anonymous_choice_stores_nothing() -> None:
    switch(Client(), "es")
    assert not LanguagePreference.objects.exists()


def test_language_for_falls_back_to_the_site_language(cast) -> None:
    assert accounts.language_for(None) == "en"
    assert accounts.language_for(cast.olga_owner_curator) == "en"


@pytest.mark.parametrize(
    ("language", "number", "date"),
    [
        ("en", "12,345", "2 December 2026"),
        ("de", "12.345", "2. Dezember 2026"),
        ("fr", "12\xa0345", "2 décembre 2026"),
        ("it", "12.345", "02 Dicembre 2026"),
        ("es", "12\xa0345", "2 de diciembre de 2026"),
    ],
)
def test_numbers_and_dates_follow_the_language(language: str, number: str, date: str) -> None:
    template = Template('{{ count }}|{{ day|date:"DATE_FORMAT" }}')
    with translation.override(language):
        rendered = template.render(Context({"count": 12345, "day": datetime.date(2026, 12, 2)}))
    assert rendered == f"{number}|{date}"
