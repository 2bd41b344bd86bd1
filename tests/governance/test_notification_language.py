"""Notifications are stored as a message key with parameters and worded when read, in the reader's language (the
inbox page and the API), and e-mailed in the recipient's stored language; rows written before keys existed still
read as their stored English text."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import LanguagePreference
from governance.models import Notification
from governance.notification_texts import render
from governance.notifications import notify
from tests.governance.factories import submitted_item

pytestmark = pytest.mark.django_db


def test_a_review_notification_is_worded_in_the_readers_language(gov) -> None:
    item = submitted_item(gov)
    notice = Notification.objects.get(user=gov.chair, verb="item_awaits_review")
    assert notice.message_key == "review.submitted"
    assert notice.params == {"request": item.request.title, "dataset": item.dataset.title}
    english = f"Access request “{item.request.title}” for “{item.dataset.title}” awaits your review."
    assert notice.message == english
    with translation.override("de"):
        assert (
            notice.text
            == f"Der Zugangsantrag „{item.request.title}“ für „{item.dataset.title}“ wartet auf Ihre Prüfung."
        )
    with translation.override("en"):
        assert notice.text == english


def test_the_inbox_page_and_the_api_answer_in_the_readers_language(gov) -> None:
    item = submitted_item(gov)
    client = Client()
    client.force_login(gov.chair)
    html = client.get(reverse("governance:inbox"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert f"Der Zugangsantrag „{item.request.title}“" in html
    api = APIClient()
    api.force_authenticate(gov.chair)
    [answer] = api.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="fr").json()["results"]
    assert (
        answer["message"]
        == f"La demande d’accès « {item.request.title} » pour « {item.dataset.title} » attend votre examen."  # noqa: RUF001 — French apostrophe
    )
    assert answer["message_key"] == "review.submitted"
    assert answer["params"] == {"request": item.request.title, "dataset": item.dataset.title}


def test_each_recipient_is_mailed_in_their_own_language(gov, django_capture_on_commit_callbacks) -> None:
    LanguagePreference.objects.create(user=gov.chair, language="de")
    with django_capture_on_commit_callbacks(execute=True):
        item = submitted_item(gov)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    german = by_recipient[gov.chair.email]
    assert (
        german.subject
        == f"[HARMONY] Der Zugangsantrag „{item.request.title}“ für „{item.dataset.title}“ wartet auf Ihre Prüfung."
    )
    assert reverse("governance:item_review", kwargs={"item_id": item.pk}) in german.body
    english = by_recipient[gov.member.email]
    assert english.subject.startswith(f"[HARMONY] Access request “{item.request.title}”")


def test_dates_and_counts_follow_the_language() -> None:
    released = {"dataset": "AML cohort", "until": "2028-12-31"}
    with translation.override("en"):
        assert (
            render("item.released", released) == "“AML cohort” is released to you until 31 December 2028 (inclusive)."
        )
        one_day = render("review.reminder", {"request": "R", "dataset": "D", "days": 1})
        assert one_day == "Reminder: “R” for “D” has waited 1 day for your vote."
    with translation.override("de"):
        assert (
            render("item.released", released)
            == "„AML cohort“ ist für Sie bis einschließlich 31. Dezember 2028 freigegeben."
        )
        assert render("review.reminder", {"request": "R", "dataset": "D", "days": 9}) == (
            "Erinnerung: „R“ für „D“ wartet seit 9 Tagen auf Ihre Stimme."
        )


def test_a_row_written_before_message_keys_reads_as_its_stored_text(gov) -> None:
    old = Notification.objects.create(user=gov.chair, verb="item_approved", message="Your request was approved.")
    with translation.override("de"):
        assert old.text == "Your request was approved."
    unknown = Notification(user=gov.chair, verb="x", message="Stored text.", message_key="gone.key", params={})
    assert unknown.text == "Stored text."


def test_a_key_without_a_text_is_refused(gov) -> None:
    with pytest.raises(ValueError, match=r"No notification text for 'nothing\.here'"):
        notify(users=[gov.chair], verb="x", message_key="nothing.here", params={})
