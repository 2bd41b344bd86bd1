"""Automatic revocation (dataset retired, consent withdrawn), expiry and reminders, and their commands."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from catalogue.services.datasets import dataset_retire
from catalogue.signals import consent_withdrawn, dataset_retired
from governance.models import AccessGrant, AccessRequestItem, ItemState, Notification
from tests.governance.factories import released_item, submitted_item

pytestmark = pytest.mark.django_db


def test_retiring_the_dataset_revokes_its_grants_at_once(gov):
    item = released_item(gov)
    dataset_retire(actor=gov.base.olga_owner_curator, dataset=gov.dataset)
    item.refresh_from_db()
    assert item.state == ItemState.REVOKED
    grant = AccessGrant.objects.get(item=item)
    assert grant.revoke_reason == "The dataset was retired."
    assert Notification.objects.filter(user=gov.base.rita_researcher, verb="grant_revoked").exists()


def test_a_system_written_revocation_reason_is_in_the_sites_language(gov, settings):
    """Whoever retires the dataset, the reason on record is worded in the site's language (LANGUAGE_CODE)."""
    settings.LANGUAGE_CODE = "de"
    item = released_item(gov)
    dataset_retire(actor=gov.base.olga_owner_curator, dataset=gov.dataset)
    assert AccessGrant.objects.get(item=item).revoke_reason == "Der Datensatz wurde stillgelegt."


def test_the_catalogue_signal_revokes_with_its_actor(gov):
    item = released_item(gov)
    dataset_retired.send(sender=None, dataset=gov.dataset, actor=gov.base.olga_owner_curator)
    event = AuditEvent.objects.get(action="item.revoke", object_id=str(item.pk))
    assert event.actor_username == "olga"


def test_withdrawing_a_consent_revokes_the_grants(gov):
    item = released_item(gov)
    consent = gov.dataset.consents.get()
    consent.withdrawn_at = timezone.now()
    consent.save()
    consent_withdrawn.send(sender=None, consent=consent, actor=gov.base.olga_owner_curator)  # idempotent
    grant = AccessGrant.objects.get(item=item)
    assert grant.revoke_reason == "Consent form v1 was withdrawn."
    assert AuditEvent.objects.filter(action="item.revoke").count() == 1


def test_grants_expire_command(gov, capsys):
    item = released_item(gov)
    AccessGrant.objects.filter(item=item).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    call_command("grants_expire")
    assert capsys.readouterr().out.strip() == "1 grant(s) expired."
    item.refresh_from_db()
    assert item.state == ItemState.EXPIRED
    assert AccessGrant.objects.get(item=item).expired_at is not None
    call_command("grants_expire")
    assert capsys.readouterr().out.strip() == "0 grant(s) expired."


def test_an_expiry_is_recorded_in_the_sites_language(gov, settings):
    """The system expires the grant: its reason on record is worded in the site's language, with the ISO date."""
    settings.LANGUAGE_CODE = "de"
    item = released_item(gov)
    last_day = timezone.localdate() - datetime.timedelta(days=1)
    AccessGrant.objects.filter(item=item).update(valid_until=last_day)
    call_command("grants_expire")
    event = AuditEvent.objects.get(action="item.expire")
    assert event.after["reason"] == f"Die Zugangsberechtigung galt bis {last_day.isoformat()}."


def test_a_grant_within_its_validity_is_not_expired(gov, capsys):
    released_item(gov)
    call_command("grants_expire")
    assert capsys.readouterr().out.strip() == "0 grant(s) expired."


def test_reminders_go_to_eligible_members_who_have_not_voted(gov, capsys, django_capture_on_commit_callbacks):
    item = submitted_item(gov)
    from governance import workflow

    workflow.vote_cast(item=item, member=gov.chair, decision="approve")
    AccessRequestItem.objects.filter(pk=item.pk).update(
        review_started_at=timezone.now() - datetime.timedelta(days=gov.dac.target_days + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("governance_reminders")
    assert capsys.readouterr().out.strip() == "Reminders sent for 1 item(s)."
    reminded = set(Notification.objects.filter(verb="review_reminder").values_list("user__username", flat=True))
    assert reminded == {"mike_dac_member"}  # not the chair (voted), rex (recused) or sam (does not vote)
    assert [message.to for message in mail.outbox if "Reminder" in message.subject] == [["mike_dac_member@example.org"]]
    call_command("governance_reminders")
    assert capsys.readouterr().out.strip() == "Reminders sent for 0 item(s)."  # at most one a day


def test_no_reminder_before_the_target(gov, capsys):
    submitted_item(gov)
    call_command("governance_reminders")
    assert capsys.readouterr().out.strip() == "Reminders sent for 0 item(s)."


def test_mail_is_sent_only_after_commit(gov, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submitted_item(gov)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == [
        "dana_dac_chair@example.org",
        "mike_dac_member@example.org",
        "sam_dac_secretary@example.org",
    ]
