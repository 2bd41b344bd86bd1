"""The governance HTML pages per role: rita (requester, researcher at B), dana (DAC chair), mike (member),
rex (member recused: researcher at B), sam (secretary), olga (curator of the holder A), carl (curator at B,
an outsider to A's data), ada (admin), anonymous."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Distribution, DistributionKind, DuoTerm, MondoTerm
from governance import workflow
from governance.models import AccessRequest, AccessRequestItem, DataSharingAgreement, ItemState, Vote
from tests.catalogue.factories import ConsentFactory, DatasetFactory, VariableFactory
from tests.governance.factories import (
    approved_item,
    draft_request,
    released_item,
    signed_item,
    submitted_item,
    valid_use,
)

pytestmark = pytest.mark.django_db


def client_as(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


def request_form_data(gov, **overrides) -> dict:
    use = valid_use()
    data = {
        "partner": gov.base.partner_b.pk,
        "datasets": [gov.dataset.pk],
        "title": use["title"],
        "lay_summary": use["lay_summary"],
        "scientific_aims": use["scientific_aims"],
        "purpose": "HMB",
        "will_publish": "on",
        "requested_start": use["requested_start"].isoformat(),
        "requested_end": use["requested_end"].isoformat(),
        "ethics_reference": use["ethics_reference"],
        "ethics_expiry": use["ethics_expiry"].isoformat(),
    }
    data.update(overrides)
    return data


# --- requester ----------------------------------------------------------------------------------------


def test_my_requests_needs_sign_in_and_has_an_empty_state(gov):
    response = client_as(None).get(reverse("governance:my_requests"))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    html = page(client_as(gov.base.rita_researcher).get(reverse("governance:my_requests")))
    assert "You have not requested access yet" in html


def test_request_form_preselects_the_dataset_from_its_page(gov):
    client = client_as(gov.base.rita_researcher)
    html = page(client.get(reverse("governance:request_create"), {"datasets": gov.dataset.slug}))
    assert "AHA AML cohort" in html and "checked" in html
    assert "Research purpose (DUO)" in html


def test_request_form_is_for_researchers(gov):
    response = client_as(gov.base.olga_owner_curator).get(reverse("governance:request_create"))
    assert response.status_code == 403
    assert "Only researchers of a partner can request access" in page(response)


def test_basket_collects_datasets_for_one_request(gov):
    other = DatasetFactory(partner=gov.base.partner_a, title="AHA Myeloma", slug="aha-mm")
    client = client_as(gov.base.rita_researcher)
    client.post(reverse("governance:basket_add"), {"dataset": gov.dataset.slug})
    client.post(reverse("governance:basket_add"), {"dataset": other.slug})
    html = page(client.get(reverse("governance:basket")))
    assert "AHA AML cohort" in html and "AHA Myeloma" in html and "Request access to 2 datasets" in html
    html = page(client.get(reverse("governance:request_create")))
    assert html.count('name="datasets"') == 2
    client.post(reverse("governance:basket_remove"), {"dataset": other.slug})
    assert "AHA Myeloma" not in page(client.get(reverse("governance:basket")))


def test_create_request_then_see_consent_match_before_submitting(gov):
    client = client_as(gov.base.rita_researcher)
    response = client.post(reverse("governance:request_create"), request_form_data(gov))
    access_request = AccessRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "governance:request_detail", args=[access_request.pk]
    )
    html = page(client.get(response.url))
    assert "Compatible:" in html
    assert "Submit to the committees" in html
    assert "drafted the request" in html  # timeline
    response = client.post(reverse("governance:request_submit", args=[access_request.pk]), follow=True)
    assert "Your request is submitted" in page(response)
    assert access_request.items.get().state == ItemState.UNDER_REVIEW


def test_incompatible_use_is_shown_before_submitting(gov):
    consent = gov.dataset.consents.get()
    consent.permission = DuoTerm.objects.get(short_code="DS")
    consent.save()
    consent.diseases.set([gov.dataset.disease_areas.get().mondo])
    access_request = draft_request(
        requester=gov.base.rita_researcher,
        partner=gov.base.partner_b,
        datasets=[gov.dataset],
        purpose="DS",
        disease=MondoTerm.objects.get(pk="MONDO:0009693"),
    )
    html = page(client_as(gov.base.rita_researcher).get(reverse("governance:request_detail", args=[access_request.pk])))
    assert "Not compatible:" in html


def test_request_form_errors_next_to_fields(gov):
    client = client_as(gov.base.rita_researcher)
    response = client.post(reverse("governance:request_create"), request_form_data(gov, title="", purpose="DS"))
    html = page(response)
    assert response.status_code == 200 and 'id="id_title_error"' in html
    response = client.post(reverse("governance:request_create"), request_form_data(gov, purpose="DS"))
    html = page(response)
    assert "Disease-specific research must name the disease." in html
    assert 'id="id_disease_error"' in html
    assert not AccessRequest.objects.exists()


def test_submission_problems_are_listed(gov):
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset], ethics_reference=""
    )
    html = page(client_as(gov.base.rita_researcher).get(reverse("governance:request_detail", args=[access_request.pk])))
    assert "Complete these first" in html
    assert reverse("governance:request_submit", args=[access_request.pk]) not in html


def test_edit_draft_then_not_after_submission(gov):
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset]
    )
    client = client_as(gov.base.rita_researcher)
    url = reverse("governance:request_edit", args=[access_request.pk])
    response = client.post(url, request_form_data(gov, title="Renamed project"))
    assert response.status_code == 302
    access_request.refresh_from_db()
    assert access_request.title == "Renamed project"
    client.post(reverse("governance:request_submit", args=[access_request.pk]))
    response = client.post(url, request_form_data(gov, title="Sneaky change"))
    assert "can no longer be edited" in page(response)
    access_request.refresh_from_db()
    assert access_request.title == "Renamed project"


def test_other_researchers_cannot_see_or_change_a_request(gov):
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset]
    )
    for outsider in (gov.base.olga_owner_curator, gov.chair):
        assert (
            client_as(outsider).get(reverse("governance:request_detail", args=[access_request.pk])).status_code == 404
        )
    response = client_as(gov.base.olga_owner_curator).post(
        reverse("governance:request_submit", args=[access_request.pk])
    )
    assert response.status_code == 404
    assert access_request.items.get().state == ItemState.DRAFT


def test_team_member_reads_but_cannot_submit(gov):
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset]
    )
    client = client_as(gov.recused_member)  # rex is also a researcher at partner B: rita's team
    html = page(client.get(reverse("governance:request_detail", args=[access_request.pk])))
    assert "Submit to the committees" not in html
    response = client.post(reverse("governance:request_submit", args=[access_request.pk]), follow=True)
    assert "Only the requester can submit this request." in page(response)
    assert access_request.items.get().state == ItemState.DRAFT


def test_withdraw_request(gov):
    item = submitted_item(gov)
    client = client_as(gov.base.rita_researcher)
    client.post(reverse("governance:request_withdraw", args=[item.request_id]))
    item.refresh_from_db()
    assert item.state == ItemState.WITHDRAWN
    html = page(client.get(reverse("governance:request_detail", args=[item.request_id])))
    assert "withdrew" in html


def test_delete_draft(gov):
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset]
    )
    response = client_as(gov.base.rita_researcher).post(reverse("governance:request_delete", args=[access_request.pk]))
    assert response.status_code == 302 and not AccessRequest.objects.exists()


def test_requester_timeline_hides_vote_decisions(gov):
    item = submitted_item(gov)
    client_as(gov.chair).post(reverse("governance:item_review", args=[item.pk]), {"vote-decision": "approve"})
    html = page(client_as(gov.base.rita_researcher).get(reverse("governance:request_detail", args=[item.request_id])))
    assert "A committee member voted" in html and "voted to approve" not in html
    html = page(client_as(gov.chair).get(reverse("governance:request_detail", args=[item.request_id])))
    assert "dana_dac_chair voted to approve" in html


def test_released_data_download(gov, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path)}},
    }
    distribution = Distribution(
        dataset=gov.dataset, title="Full extract", kind=DistributionKind.FILE, media_type="text/csv"
    )
    distribution.file.save("extract.csv", ContentFile(b"id,age\n1,70\n"), save=False)
    distribution.save()
    item = released_item(gov)
    client = client_as(gov.base.rita_researcher)
    html = page(client.get(reverse("governance:request_detail", args=[item.request_id])))
    assert "Released to you" in html and "Download Full extract" in html
    response = client.get(reverse("governance:download", args=[distribution.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"id,age\n1,70\n"
    assert (
        client_as(gov.base.carl_other_curator).get(reverse("governance:download", args=[distribution.pk])).status_code
        == 403
    )


# --- committee ------------------------------------------------------------------------------------------


def test_review_queue_shows_waiting_items_with_days(gov):
    item = submitted_item(gov)
    AccessRequestItem.objects.filter(pk=item.pk).update(review_started_at=timezone.now() - datetime.timedelta(days=20))
    html = page(client_as(gov.chair).get(reverse("governance:review_queue")))
    assert "Outcome of older AML patients" in html
    assert "20 days" in html and 'class="badge bad"' in html  # beyond the 14-day target


def test_review_queue_tells_recused_members(gov):
    submitted_item(gov)
    html = page(client_as(gov.recused_member).get(reverse("governance:review_queue")))
    assert "Nothing waits for your vote" in html
    assert "Recused" in html and "affiliated with the requesting partner" in html


def test_review_queue_is_for_committee_members(gov):
    assert client_as(gov.base.rita_researcher).get(reverse("governance:review_queue")).status_code == 403
    assert client_as(gov.base.ada_admin).get(reverse("governance:review_queue")).status_code == 200


def test_item_review_shows_report_and_rule_progress(gov):
    item = submitted_item(gov)
    html = page(client_as(gov.chair).get(reverse("governance:item_review", args=[item.pk])))
    assert "Consent-match report" in html and "Compatible:" in html
    assert "Simple majority of eligible members" in html
    assert "0 approvals, 0 rejections, 0 requests for changes of 2 eligible members" in html
    assert "Record my decision" in html


def test_votes_count_and_decide(gov):
    item = submitted_item(gov)
    url = reverse("governance:item_review", args=[item.pk])
    response = client_as(gov.chair).post(url, {"vote-decision": "approve", "vote-comment": "Fine."}, follow=True)
    assert "Your vote is recorded" in page(response)
    assert "1 approval, 0 rejections, 0 requests for changes of 2 eligible members" in page(response)
    client_as(gov.member).post(url, {"vote-decision": "approve"})
    item.refresh_from_db()
    assert item.state == ItemState.APPROVED


def test_vote_twice_is_refused_with_a_message(gov):
    item = submitted_item(gov)
    client = client_as(gov.chair)
    url = reverse("governance:item_review", args=[item.pk])
    client.post(url, {"vote-decision": "reject", "vote-reason": "Out of scope."})
    html = page(client.get(url))
    assert "You voted <strong>reject</strong>" in html and "Cast vote" not in html
    assert Vote.objects.filter(item=item).count() == 1


def test_recused_member_is_told_and_cannot_vote(gov):
    item = submitted_item(gov)
    client = client_as(gov.recused_member)
    url = reverse("governance:item_review", args=[item.pk])
    html = page(client.get(url))
    assert "You are recused from this request" in html and "Cast vote" not in html
    html = page(client.post(url, {"vote-decision": "approve"}))
    assert "You are recused from this request" in html
    assert not Vote.objects.filter(item=item).exists()


def test_approving_an_incompatible_item_is_refused_next_to_the_vote(gov):
    gov.dataset.consents.all().delete()
    ConsentFactory(dataset=gov.dataset, form_version="v9", permission=DuoTerm.objects.get(short_code="POA"))
    item = submitted_item(gov)
    html = page(
        client_as(gov.chair).post(reverse("governance:item_review", args=[item.pk]), {"vote-decision": "approve"})
    )
    assert "cannot be approved" in html
    assert not Vote.objects.filter(item=item).exists()


def test_ask_for_changes_with_a_comment(gov):
    item = submitted_item(gov)
    url = reverse("governance:item_review", args=[item.pk])
    html = page(client_as(gov.member).post(url, {"vote-decision": "changes"}))
    assert "Say what should change: the requester reads it in the decision letter." in html
    client_as(gov.member).post(url, {"vote-decision": "changes", "vote-reason": "Name the ethics committee."})
    item.refresh_from_db()
    assert item.state == ItemState.CHANGES_REQUESTED
    html = page(client_as(gov.base.rita_researcher).get(reverse("governance:request_detail", args=[item.request_id])))
    assert "A committee asked for changes" in html and "Name the ethics committee." in html
    response = client_as(gov.base.rita_researcher).post(reverse("governance:request_resubmit", args=[item.request_id]))
    item.refresh_from_db()
    assert response.status_code == 302 and item.state == ItemState.UNDER_REVIEW and item.review_round == 2


def test_secretary_asks_for_changes_without_voting(gov):
    item = submitted_item(gov)
    client = client_as(gov.secretary)
    html = page(client.get(reverse("governance:item_review", args=[item.pk])))
    assert "you do not vote" in html and "Send back to the requester without voting" in html
    url = reverse("governance:item_review", args=[item.pk])
    client.post(url, {"vote-decision": "send_back", "vote-reason": "Add the protocol."})
    item.refresh_from_db()
    assert item.state == ItemState.CHANGES_REQUESTED


def test_item_review_refused_outside_the_committee(gov):
    item = submitted_item(gov)
    assert (
        client_as(gov.base.carl_other_curator).get(reverse("governance:item_review", args=[item.pk])).status_code == 404
    )
    assert client_as(gov.base.rita_researcher).get(reverse("governance:item_review", args=[item.pk])).status_code == 403


# --- holder ---------------------------------------------------------------------------------------------


def test_holder_sees_requests_and_releases_after_agreement(gov):
    item = approved_item(gov)
    client = client_as(gov.base.olga_owner_curator)
    html = page(client.get(reverse("governance:holder_requests")))
    assert "Outcome of older AML patients" in html and "Waiting for you" in html
    url = reverse("governance:release_page", args=[item.pk])
    html = page(client.get(url))
    assert "Read and sign for AHA" in html and "not signed yet" in html
    agreement = DataSharingAgreement.objects.get(request=item.request)
    signing = {"text_sha256": agreement.text_sha256, "next": url}
    client.post(
        reverse("governance:agreement_sign", args=[agreement.pk]),
        {"side": "holder", "signed_name": "Olga Owner", **signing},
    )
    rita = client_as(gov.base.rita_researcher)
    html = page(rita.get(reverse("governance:request_detail", args=[item.request_id])))
    assert "Read and sign for UNB" in html
    rita.post(
        reverse("governance:agreement_sign", args=[agreement.pk]),
        {"side": "requester", "signed_name": "Rita Researcher", "text_sha256": agreement.text_sha256},
    )
    html = page(client.get(url))
    assert "All checks pass" in html
    response = client.post(
        reverse("governance:release", args=[item.pk]), {"valid_until": item.request.requested_end}, follow=True
    )
    assert "is released to rita" in page(response)
    item.refresh_from_db()
    assert item.state == ItemState.RELEASED
    assert "Released on" in page(response) and f"by {gov.base.olga_owner_curator.username}" in page(response)


def test_release_gate_problems_are_shown(gov):
    item = signed_item(gov)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    AccessRequest.objects.filter(pk=item.request_id).update(ethics_expiry=yesterday)
    html = page(client_as(gov.base.olga_owner_curator).get(reverse("governance:release_page", args=[item.pk])))
    assert "The release gate is closed" in html and "ethics approval expired" in html


def test_revoke_needs_a_reason(gov):
    item = released_item(gov)
    client = client_as(gov.base.olga_owner_curator)
    response = client.post(reverse("governance:revoke", args=[item.pk]), {"reason": ""})
    assert 'id="id_reason_error"' in page(response)
    client.post(reverse("governance:revoke", args=[item.pk]), {"reason": "Consent withdrawn."})
    item.refresh_from_db()
    assert item.state == ItemState.REVOKED


def test_release_pages_refused_to_other_curators(gov):
    item = signed_item(gov)
    client = client_as(gov.base.carl_other_curator)
    assert client.get(reverse("governance:release_page", args=[item.pk])).status_code == 404
    assert client.post(reverse("governance:release", args=[item.pk])).status_code == 404
    assert client_as(gov.base.rita_researcher).get(reverse("governance:holder_requests")).status_code == 403


# --- dashboard, statistics ------------------------------------------------------------------------------


def test_dashboard_and_statistics(gov):
    approved_item(gov)
    html = page(client_as(gov.chair).get(reverse("governance:dashboard")))
    assert "AHA Data Access Committee" in html and 'class="bar-chart' in html
    assert client_as(gov.base.rita_researcher).get(reverse("governance:statistics")).status_code == 403
    html = page(client_as(gov.base.ada_admin).get(reverse("governance:statistics")))
    for title in ("Datasets by disease", "Patients by country", "Variables by data type", "Requests by state"):
        assert title in html
    assert "Median days to decision per committee" in html


def test_navigation_by_role(gov):
    assert "Review queue" in page(client_as(gov.chair).get("/"))
    assert "Review queue" not in page(client_as(gov.base.rita_researcher).get("/"))
    assert "My requests" in page(client_as(gov.base.rita_researcher).get("/"))


# --- query counts ---------------------------------------------------------------------------------------


def test_list_pages_query_counts_are_bounded(gov, django_assert_max_num_queries):
    for number in range(8):
        dataset = DatasetFactory(partner=gov.base.partner_a, title=f"Cohort {number}", slug=f"cohort-x{number}")
        ConsentFactory(dataset=dataset, permission=DuoTerm.objects.get(short_code="HMB"))
        access_request = draft_request(
            requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[dataset, gov.dataset]
        )
        workflow.submit(access_request=access_request, actor=gov.base.rita_researcher)
    rita, dana, olga = (client_as(u) for u in (gov.base.rita_researcher, gov.chair, gov.base.olga_owner_curator))
    with django_assert_max_num_queries(12):
        assert rita.get(reverse("governance:my_requests")).status_code == 200
    with django_assert_max_num_queries(14):
        assert "Cohort 7" in page(dana.get(reverse("governance:review_queue")))
    with django_assert_max_num_queries(12):
        olga.get(reverse("governance:holder_requests"))
    item = AccessRequestItem.objects.filter(dataset__slug="cohort-x7").get()
    with django_assert_max_num_queries(40):
        dana.get(reverse("governance:item_review", args=[item.pk]))
    with django_assert_max_num_queries(40):
        rita.get(reverse("governance:request_detail", args=[item.request_id]))


# --- inbox ----------------------------------------------------------------------------------------------


def test_inbox_lists_notifications_and_opens_them(gov):
    item = submitted_item(gov)
    client = client_as(gov.chair)
    html = page(client.get("/"))
    assert "Inbox (1)" in html
    html = page(client.get(reverse("governance:inbox")))
    assert "awaits your review" in html and "New" in html
    notification = gov.chair.notifications.get()
    response = client.post(reverse("governance:notification_open", args=[notification.pk]))
    assert response.status_code == 302 and response.url == reverse("governance:item_review", args=[item.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "Inbox (1)" not in page(client.get("/"))


def test_inbox_is_private(gov):
    submitted_item(gov)
    notification = gov.chair.notifications.get()
    response = client_as(gov.base.rita_researcher).post(reverse("governance:notification_open", args=[notification.pk]))
    assert response.status_code == 404
    html = page(client_as(gov.base.carl_other_curator).get(reverse("governance:inbox")))
    assert "Your inbox is empty" in html


def test_mark_all_read(gov):
    submitted_item(gov)
    response = client_as(gov.member).post(reverse("governance:inbox_mark_all_read"), follow=True)
    assert "1 notification marked as read." in page(response)
    assert not gov.member.notifications.filter(read_at__isnull=True).exists()


# --- variable subsets -----------------------------------------------------------------------------------


def test_requester_chooses_a_subset_of_variables(gov):
    wanted, other = (VariableFactory(dataset=gov.dataset, name=name) for name in ("npm1_status", "karyotype"))
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset]
    )
    item = access_request.items.get()
    client = client_as(gov.base.rita_researcher)
    html = page(client.get(reverse("governance:request_detail", args=[access_request.pk])))
    assert "All variables" in html and "Choose variables" in html
    url = reverse("governance:item_variables", args=[access_request.pk, item.pk])
    html = page(client.get(url))
    assert "npm1_status" in html and "karyotype" in html
    response = client.post(url, {"variables": [wanted.pk]})
    assert response.status_code == 302
    item = access_request.items.get()
    assert list(item.variables.all()) == [wanted]
    html = page(client.get(reverse("governance:request_detail", args=[access_request.pk])))
    assert "1 variable:" in html and "npm1_status" in html
    workflow.submit(access_request=access_request, actor=gov.base.rita_researcher)
    html = page(client_as(gov.chair).get(reverse("governance:item_review", args=[item.pk])))
    assert "Variables requested:" in html and "npm1_status" in html and "karyotype" not in html
    assert other.pk


def test_variable_subset_is_the_requesters_and_only_while_draft(gov):
    variable = VariableFactory(dataset=gov.dataset, name="npm1_status")
    item = submitted_item(gov)
    url = reverse("governance:item_variables", args=[item.request_id, item.pk])
    assert client_as(gov.recused_member).get(url).status_code == 403  # rita's team mate
    response = client_as(gov.base.rita_researcher).post(url, {"variables": [variable.pk]}, follow=True)
    assert "This request can no longer be edited" in page(response)
    assert not item.variables.exists()
