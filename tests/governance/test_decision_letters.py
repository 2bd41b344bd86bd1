"""Decision letters: a committee's decision writes the requester a letter with the reasons, in the requester's
language, with the conditions and access period of an approval; the notification links to it; it never changes."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import LanguagePreference
from audit.models import AuditEvent
from governance import services, workflow
from governance.models import DecisionLetter, ItemState, Notification, VoteDecision
from governance.services.letters import content_sha256
from harmony.errors import RuleRefused
from tests.catalogue.factories import UserFactory
from tests.conftest import api_as
from tests.governance.factories import submitted_item

pytestmark = pytest.mark.django_db


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def vote(gov, member, decision, **words):
    item = gov.item
    return workflow.vote_cast(item=item, member=member, decision=decision, **words)


@pytest.fixture
def item(gov):
    gov.item = submitted_item(gov)
    return gov.item


def letter_of(item) -> DecisionLetter:
    return DecisionLetter.objects.get(item=item)


def text_of(letter: DecisionLetter) -> str:
    content = letter.content
    lines = [content["subject"], content["greeting"], *content["paragraphs"]]
    for section in content["sections"]:
        lines += [section["heading"], *section["lines"]]
    return "\n".join(lines)


def test_a_rejection_needs_a_reason_for_the_requester_and_the_letter_gives_it(gov, item):
    with pytest.raises(RuleRefused) as refused:
        vote(gov, gov.chair, VoteDecision.REJECT, comment="Internal: weak design.")
    assert refused.value.fields == {
        "reason": ["Give the reason for the rejection: the requester reads it in the decision letter."]
    }
    vote(gov, gov.chair, VoteDecision.REJECT, comment="Internal: weak design.", reason="The aims need no genomic data.")
    item.refresh_from_db()
    assert item.state == ItemState.REJECTED
    letter = letter_of(item)
    assert letter.decision == "reject" and letter.review_round == 1 and letter.language == "en"
    assert letter.reasons == ["The aims need no genomic data."]
    text = text_of(letter)
    assert "Your request is rejected." in text and "The aims need no genomic data." in text
    assert "Internal: weak design." not in text  # vote comments stay with the committee
    assert letter.sha256 == content_sha256(letter.content)


def test_asking_for_changes_needs_a_reason_and_the_letter_says_what_should_change(gov, item):
    response = api_as(gov.chair).post(
        f"/api/v1/access-request-items/{item.pk}/votes/", {"decision": "changes", "comment": "between us"}
    )
    assert response.status_code == 400
    assert response.json()["fields"]["reason"] == [
        "Say what should change: the requester reads it in the decision letter."
    ]
    vote(gov, gov.chair, VoteDecision.CHANGES, reason="Name the ethics committee.")
    item.refresh_from_db()
    assert item.state == ItemState.CHANGES_REQUESTED
    letter = letter_of(item)
    assert letter.decision == "changes" and letter.reasons == ["Name the ethics committee."]
    assert "What should change" in text_of(letter)


def test_an_officer_sending_back_writes_a_letter_with_the_reason(gov, item):
    workflow.request_changes(item=item, actor=gov.secretary, comment="Attach the protocol.")
    letter = letter_of(item)
    assert letter.decision == "changes" and letter.reasons == ["Attach the protocol."]
    assert letter.decided_by == gov.secretary


def test_an_approval_letter_states_the_conditions_and_the_access_period(gov, item):
    with pytest.raises(RuleRefused) as refused:
        vote(gov, gov.chair, VoteDecision.REJECT, reason="No.", conditions="Publish.")
    assert refused.value.fields == {"conditions": ["Conditions go with an approval only."]}
    vote(gov, gov.chair, VoteDecision.APPROVE, conditions="Report results to the committee yearly.")
    vote(gov, gov.member, VoteDecision.APPROVE, reason="A sound design.")
    item.refresh_from_db()
    assert item.state == ItemState.APPROVED
    letter = letter_of(item)
    request = item.request
    assert letter.decision == "approve"
    assert letter.reasons == ["A sound design."]  # optional for approvals: the one given
    assert letter.conditions == ["Report results to the committee yearly."]
    assert letter.access_start == request.requested_start
    assert letter.access_end == min(request.requested_end, request.ethics_expiry)
    text = text_of(letter)
    assert "Conditions of approval" in text and "Report results to the committee yearly." in text
    assert "A data-sharing agreement between University B and Academic Hospital A is signed by both sides" in text
    assert f"to {letter.access_end.day} " in text and "inclusive" in text


def test_the_letter_is_written_in_the_requesters_language(gov, item):
    LanguagePreference.objects.create(user=gov.base.rita_researcher, language="de")
    vote(gov, gov.chair, VoteDecision.REJECT, reason="Die Ziele brauchen keine genomischen Daten.")
    letter = letter_of(item)
    assert letter.language == "de"
    text = text_of(letter)
    assert "Ihr Antrag wird abgelehnt." in text
    assert "Gründe" in text
    html = client_as(gov.base.rita_researcher).get(reverse("governance:decision_letter", args=[letter.pk]))
    assert 'lang="de"' in html.content.decode()  # the page is English, the letter German


def test_the_requesters_notification_opens_the_letter(gov, item):
    vote(gov, gov.chair, VoteDecision.REJECT, reason="Out of scope.")
    letter = letter_of(item)
    notification = Notification.objects.get(user=gov.base.rita_researcher, verb="item_rejected")
    assert notification.target_url == reverse("governance:decision_letter", args=[letter.pk])


def test_the_letter_page_and_pdf_are_for_those_who_may_read_the_item(gov, item):
    vote(gov, gov.chair, VoteDecision.REJECT, reason="Out of scope.")
    letter = letter_of(item)
    page = reverse("governance:decision_letter", args=[letter.pk])
    pdf = reverse("governance:decision_letter_pdf", args=[letter.pk])
    for reader in (gov.base.rita_researcher, gov.chair, gov.base.olga_owner_curator, gov.base.ada_admin):
        assert client_as(reader).get(page).status_code == 200, reader.username
    otto = UserFactory(username="otto_other_dac")  # the chair of another partner's committee
    services.dac_member_set(
        dac=services.dac_create(name="UNB Data Access Committee", partner=gov.base.partner_b), user=otto, role="chair"
    )
    for stranger in (gov.base.carl_other_curator, otto, UserFactory(username="stranger")):
        assert client_as(stranger).get(page).status_code == 404, stranger.username
        assert client_as(stranger).get(pdf).status_code == 404
    response = client_as(gov.base.rita_researcher).get(pdf)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")
    api = api_as(gov.base.rita_researcher).get(f"/api/v1/decision-letters/?request={item.request_id}").json()
    assert [row["id"] for row in api["results"]] == [letter.pk]
    assert api["results"][0]["reasons"] == ["Out of scope."]
    assert api_as(gov.base.carl_other_curator).get(f"/api/v1/decision-letters/{letter.pk}/").status_code == 404
    assert api_as(gov.base.rita_researcher).get(f"/api/v1/decision-letters/{letter.pk}/pdf/").status_code == 200


def test_a_letter_never_changes_and_a_new_decision_makes_a_new_letter(gov, item):
    vote(gov, gov.chair, VoteDecision.CHANGES, reason="Name the ethics committee.")
    first = letter_of(item)
    first.reasons = ["rewritten"]
    with pytest.raises(ValueError, match="immutable"):
        first.save()
    workflow.resubmit(access_request=item.request, actor=gov.base.rita_researcher)
    item.refresh_from_db()
    vote(gov, gov.chair, VoteDecision.APPROVE)
    vote(gov, gov.member, VoteDecision.APPROVE)
    letters = list(DecisionLetter.objects.filter(item=item).order_by("review_round"))
    assert [(letter.review_round, letter.decision) for letter in letters] == [(1, "changes"), (2, "approve")]
    assert letters[0].reasons == ["Name the ethics committee."]
    events = AuditEvent.objects.filter(action="letter.issue", access_request_id=item.request_id)
    assert [event.after["sha256"] for event in events.order_by("id")] == [letter.sha256 for letter in letters]


def test_one_letter_per_item_and_round(gov, item):
    vote(gov, gov.chair, VoteDecision.REJECT, reason="Out of scope.")
    letter = letter_of(item)
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionLetter.objects.create(
            item=item, review_round=1, decision="approve", language="en", content={}, sha256="0" * 64
        )
    assert DecisionLetter.objects.filter(item=item).get() == letter


@pytest.mark.postgres
def test_postgresql_refuses_to_change_or_delete_a_letter(gov, item):
    vote(gov, gov.chair, VoteDecision.REJECT, reason="Out of scope.")
    letter = letter_of(item)
    with pytest.raises(Exception, match="immutable"), transaction.atomic():
        DecisionLetter.objects.filter(pk=letter.pk).update(reasons=["rewritten"])
    with pytest.raises(Exception, match="immutable"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM governance_decisionletter WHERE id = %s", [letter.pk])
    letter.refresh_from_db()
    assert letter.reasons == ["Out of scope."]


def test_the_review_form_has_the_reason_for_the_requester_and_checks_it(gov, item):
    url = reverse("governance:item_review", args=[item.pk])
    client = client_as(gov.chair)
    html = client.get(url).content.decode()
    assert "Reason for the requester" in html and "Conditions of approval" in html
    refused = client.post(url, {"vote-decision": "reject", "vote-comment": "internal"}).content.decode()
    assert 'id="id_vote-reason_error"' in refused
    done = client.post(url, {"vote-decision": "reject", "vote-reason": "Out of scope."})
    assert done.status_code == 302
    assert letter_of(item).reasons == ["Out of scope."]


def test_the_request_page_lists_its_letters(gov, item):
    vote(gov, gov.chair, VoteDecision.REJECT, reason="Out of scope.")
    letter = letter_of(item)
    html = client_as(gov.base.rita_researcher).get(reverse("governance:request_detail", args=[item.request_id]))
    assert reverse("governance:decision_letter", args=[letter.pk]) in html.content.decode()
    assert "The decision letter was written to the requester" in html.content.decode()  # the timeline


def test_the_access_period_end_is_the_earlier_of_the_requested_end_and_the_ethics_expiry(gov):
    today = datetime.date.today()
    gov.item = submitted_item(gov, ethics_expiry=today + datetime.timedelta(days=100))
    vote(gov, gov.chair, VoteDecision.APPROVE)
    vote(gov, gov.member, VoteDecision.APPROVE)
    assert letter_of(gov.item).access_end == today + datetime.timedelta(days=100)
