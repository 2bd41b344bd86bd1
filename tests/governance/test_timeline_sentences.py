"""The request timeline reads as whole sentences in the reader's language: each event's sentence is translated
as one unit with named placeholders (the actor, the dataset, the last day of access), at display time."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from governance.templatetags.governance_ui import event_sentence
from tests.governance.factories import submitted_item

DATASETS = {7: SimpleNamespace(title="AML cohort")}


def sentence(language: str, action: str, actor: str = "dana", show_votes: bool = True, **after) -> str:
    event = AuditEvent(action=action, actor_username=actor, after=after)
    with translation.override(language):
        return event_sentence(event, DATASETS, show_votes)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "dana approved “AML cohort”"), ("de", "dana hat „AML cohort“ genehmigt")],
)
def test_an_item_sentence_names_the_dataset_in_the_readers_word_order(language: str, expected: str) -> None:
    assert sentence(language, "item.approve", dataset_id=7) == expected


def test_an_item_sentence_without_a_visible_dataset_still_reads_as_a_sentence() -> None:
    assert sentence("en", "item.reject", dataset_id=99) == "dana rejected"
    assert sentence("de", "item.reject", dataset_id=99) == "dana hat abgelehnt"


def test_release_states_the_last_day_of_access_as_a_localised_date() -> None:
    after = {"dataset_id": 7, "valid_until": "2028-12-31"}
    assert sentence("en", "item.release", **after) == "dana released “AML cohort”, access until 31 December 2028"
    assert sentence("de", "item.release", **after) == "dana hat „AML cohort“ freigegeben, Zugang bis 31. Dezember 2028"


def test_votes_are_named_for_the_committee_only() -> None:
    assert sentence("en", "vote.cast", decision="reject") == "dana voted to reject"
    assert sentence("de", "vote.cast", decision="approve") == "dana hat für die Genehmigung gestimmt"
    assert sentence("en", "vote.cast", show_votes=False, decision="reject") == "A committee member voted"
    assert sentence("de", "vote.cast", show_votes=False, decision="reject") == "Ein Ausschussmitglied hat abgestimmt"


def test_agreement_sides_and_the_system_as_actor() -> None:
    assert sentence("en", "agreement.sign", side="holder") == "dana signed the data-sharing agreement (holder side)"
    assert (
        sentence("de", "agreement.sign", side="requester")
        == "dana hat die Datenweitergabevereinbarung unterzeichnet (Seite des Antragstellers)"
    )
    assert sentence("en", "request.create", actor="") == "The system drafted the request"
    assert sentence("de", "request.create", actor="") == "Das System hat den Antrag entworfen"


def test_an_action_without_a_sentence_says_what_was_recorded() -> None:
    assert sentence("en", "grant.extend_period") == "dana: grant extend period"


@pytest.mark.django_db
def test_the_request_page_shows_the_timeline_in_the_readers_language(gov) -> None:
    item = submitted_item(gov)
    client = Client()
    client.force_login(gov.base.rita_researcher)
    url = reverse("governance:request_detail", args=[item.request_id])
    requester = gov.base.rita_researcher.username
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert f"{requester} hat „{item.dataset.title}“ eingereicht" in html
    assert f"{requester} hat den Antrag entworfen" in html
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"{requester} submitted “{item.dataset.title}”" in html
