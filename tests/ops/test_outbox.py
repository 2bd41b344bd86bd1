"""The one outbox: e-mail and search changes written with the change, delivered after commit or by the
worker, failures retried with backoff (never lost, never sent twice) and shown to administrators."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from catalogue.search.backends.database import DatabaseSearchBackend
from catalogue.search.models import DatasetEntry
from catalogue.search.outbox import record_dataset_changes
from governance.notifications import MAIL_SEND, notify
from harmony.outbox.models import OutboxMessage
from harmony.outbox.registry import handler_for
from harmony.outbox.services import backoff_delay
from harmony.outbox.worker import run_worker
from tests.catalogue.factories import DatasetFactory, UserFactory

FAILING_SMTP = "tests.ops.test_outbox.FailingEmailBackend"


class FailingEmailBackend(BaseEmailBackend):
    """An SMTP server that hangs up on every message."""

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def time_passes(**delta: float) -> None:
    """Move every pending message's retry time back, as if ``delta`` had passed."""
    for message in OutboxMessage.objects.pending():
        message.next_attempt_at -= datetime.timedelta(**delta)
        message.save(update_fields=["next_attempt_at"])


REVIEW = {"message_key": "review.submitted", "params": {"request": "AML outcomes", "dataset": "AML cohort"}}
REVIEW_SUBJECT = "[HARMONY] Access request “AML outcomes” for “AML cohort” awaits your review."


def notify_in_transaction(users, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(users=users, verb="item_awaits_review", **REVIEW)


def test_mail_is_sent_right_after_commit_and_marked_done(db, django_capture_on_commit_callbacks):
    dana = UserFactory(username="dana")
    notify_in_transaction([dana], django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [["dana@example.org"]]
    assert mail.outbox[0].subject == REVIEW_SUBJECT
    sent = OutboxMessage.objects.get(kind=MAIL_SEND)
    assert sent.done_at is not None and sent.attempts == 0


def test_a_rolled_back_write_sends_nothing(db, django_capture_on_commit_callbacks):
    dana = UserFactory(username="dana")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify(users=[dana], verb="item_awaits_review", **REVIEW)
        raise RuntimeError("the service failed after notifying")
    assert mail.outbox == []
    assert not OutboxMessage.objects.exists()


def test_failed_smtp_is_retried_with_backoff_then_succeeds_once(db, django_capture_on_commit_callbacks):
    dana, mike = UserFactory(username="dana"), UserFactory(username="mike")
    with override_settings(EMAIL_BACKEND=FAILING_SMTP):
        notify_in_transaction([dana, mike], django_capture_on_commit_callbacks)
        assert mail.outbox == []
        failed = list(OutboxMessage.objects.filter(kind=MAIL_SEND))
        assert [(message.attempts, message.done_at) for message in failed] == [(1, None), (1, None)]
        assert all("SMTPServerDisconnected: Connection unexpectedly closed" in m.last_error for m in failed)
        assert all(message.next_attempt_at > timezone.now() for message in failed)

        run_worker(once=True)  # not due yet: the backoff holds
        assert OutboxMessage.objects.get(pk=failed[0].pk).attempts == 1

        time_passes(minutes=2)
        report = run_worker(once=True)  # SMTP still down: second attempt, longer backoff
        assert report.failed == {MAIL_SEND: 2}
        second = OutboxMessage.objects.get(pk=failed[0].pk)
        assert second.attempts == 2
        assert second.next_attempt_at - timezone.now() > datetime.timedelta(seconds=100)

    time_passes(minutes=5)
    report = run_worker(once=True)  # SMTP is back
    assert report.delivered == {MAIL_SEND: 2}
    assert sorted(message.to[0] for message in mail.outbox) == ["dana@example.org", "mike@example.org"]
    assert not OutboxMessage.objects.pending().exists()

    time_passes(hours=2)
    run_worker(once=True)
    assert len(mail.outbox) == 2  # delivered messages are never sent again


def test_backoff_doubles_up_to_its_cap(db):
    handler = handler_for(MAIL_SEND)
    delays = [backoff_delay(handler, attempts).total_seconds() for attempts in (1, 2, 3, 4, 20)]
    assert delays == [60, 120, 240, 480, 3600]


def test_given_up_messages_are_shown_to_administrators_who_can_retry_them(db, django_capture_on_commit_callbacks):
    dana = UserFactory(username="dana")
    with override_settings(EMAIL_BACKEND=FAILING_SMTP):
        notify_in_transaction([dana], django_capture_on_commit_callbacks)
        for _ in range(handler_for(MAIL_SEND).max_attempts - 1):
            time_passes(hours=2)
            run_worker(once=True)
    message = OutboxMessage.objects.get(kind=MAIL_SEND)
    assert message.attempts == 8 and message.done_at is None
    time_passes(days=1)
    run_worker(once=True)
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 8  # given up: the worker leaves it alone

    admin = Client()
    admin.force_login(UserFactory(username="ada", is_staff=True, is_superuser=True))
    dashboard = admin.get("/admin/").content.decode()
    assert "1 failed outbox message</strong>" in dashboard
    assert "/admin/outbox/outboxmessage/?delivery=failed" in dashboard
    listing = admin.get("/admin/outbox/outboxmessage/?delivery=failed")
    assert listing.status_code == 200
    assert "SMTPServerDisconnected" in listing.content.decode()

    response = admin.post(
        "/admin/outbox/outboxmessage/", {"action": "retry", "_selected_action": [message.pk]}, follow=True
    )
    assert "1 messages will be retried by the worker." in response.content.decode()
    run_worker(once=True)
    assert [m.to for m in mail.outbox] == [["dana@example.org"]]
    assert OutboxMessage.objects.get(pk=message.pk).done_at is not None
    assert "No failed outbox messages." in admin.get("/admin/").content.decode()


def test_staff_without_superuser_cannot_retry(db, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Permission

    with override_settings(EMAIL_BACKEND=FAILING_SMTP):
        notify_in_transaction([UserFactory(username="dana")], django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get()
    staff = UserFactory(username="stan", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_outboxmessage"))
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/outbox/outboxmessage/").status_code == 200
    client.post("/admin/outbox/outboxmessage/", {"action": "retry", "_selected_action": [message.pk]})
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 1


@override_settings(SEARCH_BACKEND="database", SEARCH_SYNC_ON_COMMIT=False)
def test_the_worker_command_drains_search_changes_and_mail(db, django_capture_on_commit_callbacks, capsys):
    dataset = DatasetFactory()
    record_dataset_changes([dataset.pk])
    with override_settings(EMAIL_BACKEND=FAILING_SMTP):
        notify_in_transaction([UserFactory(username="dana")], django_capture_on_commit_callbacks)
    time_passes(minutes=2)
    call_command("outbox_worker", "--once")
    # The search change, the catalogue figures' recount of the dataset and the mail.
    assert "Delivered 3, failed 0; 0 pending." in capsys.readouterr().out
    assert DatasetEntry.objects.filter(pk=dataset.pk).exists()
    assert DatabaseSearchBackend().check().clean
    assert len(mail.outbox) == 1


def test_the_worker_command_exits_non_zero_when_deliveries_fail(db, django_capture_on_commit_callbacks):
    with override_settings(EMAIL_BACKEND=FAILING_SMTP):
        notify_in_transaction([UserFactory(username="dana")], django_capture_on_commit_callbacks)
        time_passes(minutes=2)
        with pytest.raises(CommandError, match="will be retried with backoff"):
            call_command("outbox_worker", "--once")


def test_the_worker_command_rejects_unknown_kinds(db):
    with pytest.raises(CommandError, match="Unknown outbox kind"):
        call_command("outbox_worker", "--once", "--kind", "fax.send")
