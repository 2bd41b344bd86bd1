"""Documents in requests: the requester attaches the protocol, the ethics letter, the analysis plan; the type is
what the content shows; size-limited, checksummed, audited; only readers of the request download them; frozen from
submission until the committee returns the request; "what changed" names the documents added and removed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from catalogue.models import DuoTerm
from governance import services, workflow
from governance.models import DacRole, ItemState, RequestDocument, VoteDecision
from governance.services.documents import document_add, document_remove
from harmony.errors import InvalidInput, InvalidState, NotPermitted
from tests.catalogue.factories import ConsentFactory, DatasetFactory, UserFactory
from tests.conftest import api_as
from tests.governance.documents_files import (
    LINUX_EXECUTABLE,
    PDF,
    TEXT,
    WINDOWS_EXECUTABLE,
    docx,
    odt,
    upload,
    use_private_document_storage,
)
from tests.governance.factories import draft_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def document_storage(settings, tmp_path) -> Path:
    """Each test keeps its documents in its own private folder."""
    return use_private_document_storage(settings, tmp_path)


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def draft(gov):
    return draft_request(requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset])


def attach(gov, access_request, name="protocol.pdf", content=PDF, kind="protocol"):
    return document_add(
        access_request=access_request, actor=gov.base.rita_researcher, kind=kind, upload=upload(name, content)
    )


@pytest.fixture
def other_committee_member(gov):
    """A member of another partner's committee: no business with rita's request."""
    otto = UserFactory(username="otto_other_dac")
    dac = services.dac_create(name="UNB Data Access Committee", partner=gov.base.partner_b)
    services.dac_member_set(dac=dac, user=otto, role=DacRole.CHAIR)
    return otto


# --- what is accepted -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "media_type"),
    [
        ("protocol.pdf", PDF, "application/pdf"),
        ("plan.docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("plan.odt", odt(), "application/vnd.oasis.opendocument.text"),
        ("plan.txt", TEXT, "text/plain"),
        ("no-extension", PDF, "application/pdf"),  # the name says nothing; the content does
    ],
)
def test_pdf_word_opendocument_and_plain_text_are_accepted_by_their_content(gov, name, content, media_type):
    document = attach(gov, draft(gov), name=name, content=content)
    assert document.media_type == media_type
    assert document.byte_size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.filename == name
    with storages["request_documents"].open(document.stored_name, "rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("content", "found"),
    [
        (WINDOWS_EXECUTABLE, "application/x-msdownload (.exe)"),
        (LINUX_EXECUTABLE, "application/x-executable (.elf)"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image/png (.png)"),
        (bytes(range(256)), "binary data of no known type"),
    ],
)
def test_a_renamed_executable_or_other_content_is_refused_on_the_file_field(gov, document_storage, content, found):
    access_request = draft(gov)
    response = api_as(gov.base.rita_researcher).post(
        "/api/v1/request-documents/",
        {"request": access_request.pk, "kind": "protocol", "file": upload("protocol.pdf", content)},
        format="multipart",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["fields"]["file"] == [
        f"The file's content is {found}, whatever its name says: attach a PDF, a Word (DOCX) or OpenDocument (ODT) "
        "text, or plain text."
    ]
    assert not RequestDocument.objects.exists()
    assert not any(path.is_file() for path in document_storage.rglob("*"))


def test_a_file_over_the_size_limit_is_refused_with_a_field_message(gov, settings):
    settings.REQUEST_DOCUMENT_MAX_BYTES = 1024
    response = api_as(gov.base.rita_researcher).post(
        "/api/v1/request-documents/",
        {"request": draft(gov).pk, "kind": "protocol", "file": upload("big.txt", b"a" * 2048)},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["fields"]["file"] == ["The file is 2.0\xa0KB; a document may be at most 1.0\xa0KB."]


def test_an_empty_file_and_an_unknown_kind_are_refused(gov):
    access_request = draft(gov)
    with pytest.raises(InvalidInput) as empty:
        attach(gov, access_request, content=b"")
    assert empty.value.fields == {"file": ["The file is empty."]}
    response = api_as(gov.base.rita_researcher).post(
        "/api/v1/request-documents/",
        {"request": access_request.pk, "kind": "novel", "file": upload("a.txt", TEXT)},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["fields"]["kind"] == ['"novel" is not a valid choice.']


def test_the_uploaded_name_loses_its_path_and_is_stored_under_a_name_the_registry_chooses(gov):
    document = attach(gov, draft(gov), name="../../etc/passwd\x00.pdf")
    assert document.filename == "passwd.pdf"
    assert "passwd" not in document.stored_name
    assert document.stored_name.startswith(f"{document.request_id}/")


# --- who -------------------------------------------------------------------------------------------------


def test_only_the_requester_attaches_and_removes_documents(gov):
    access_request = draft(gov)
    for stranger in (gov.base.carl_other_curator, gov.chair, gov.base.ada_admin):
        with pytest.raises(NotPermitted, match=r"Only the requester can attach documents to this request\."):
            document_add(access_request=access_request, actor=stranger, kind="protocol", upload=upload("a.pdf", PDF))
    document = attach(gov, access_request)
    with pytest.raises(NotPermitted):
        document_remove(document=document, actor=gov.base.ada_admin)


def test_downloads_are_for_those_who_may_read_the_request(gov, other_committee_member):
    fresh = draft(gov)
    document = attach(gov, fresh)
    workflow.submit(access_request=fresh, actor=gov.base.rita_researcher)
    url = f"/api/v1/request-documents/{document.pk}/download/"
    expected = {
        gov.base.rita_researcher: 200,  # the requester
        gov.chair: 200,  # the deciding committee
        gov.member: 200,
        gov.secretary: 200,
        gov.base.olga_owner_curator: 200,  # the holder's curator, once submitted
        gov.base.ada_admin: 200,
        gov.base.carl_other_curator: 404,  # a curator of the requesting partner does not read its requests
        other_committee_member: 404,  # another committee
        UserFactory(username="stranger"): 404,
    }
    for user, status in expected.items():
        response = api_as(user).get(url)
        assert response.status_code == status, user.username
    assert api_as(None).get(url).status_code in (401, 403)
    page = reverse("governance:document_download", args=[fresh.pk, document.pk])
    assert client_as(other_committee_member).get(page).status_code == 404
    assert client_as(gov.member).get(page).status_code == 200


def test_a_download_is_an_attachment_of_the_stored_type_that_is_not_sniffed(gov):
    access_request = draft(gov)
    document = attach(gov, access_request, name="Ethikvotum März.pdf", kind="ethics_approval")
    response = client_as(gov.base.rita_researcher).get(
        reverse("governance:document_download", args=[access_request.pk, document.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Ethikvotum%20M%C3%A4rz.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_a_document_of_one_request_is_not_found_under_another(gov):
    first, second = draft(gov), draft(gov)
    document = attach(gov, first)
    url = reverse("governance:document_download", args=[second.pk, document.pk])
    assert client_as(gov.base.rita_researcher).get(url).status_code == 404


# --- audit -----------------------------------------------------------------------------------------------


def test_upload_download_and_removal_are_audited(gov):
    access_request = draft(gov)
    document = attach(gov, access_request)
    api_as(gov.base.rita_researcher).get(f"/api/v1/request-documents/{document.pk}/download/")
    assert api_as(gov.base.rita_researcher).delete(f"/api/v1/request-documents/{document.pk}/").status_code == 204
    events = list(AuditEvent.objects.filter(object_type="governance.requestdocument").order_by("id"))
    assert [event.action for event in events] == ["document.add", "document.download", "document.remove"]
    assert events[0].after["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert events[0].access_request_id == access_request.pk
    assert all(event.actor_username == "rita" for event in events)


def test_a_drafts_removed_document_is_deleted_with_its_file(gov, document_storage, django_capture_on_commit_callbacks):
    access_request = draft(gov)
    document = attach(gov, access_request)
    path = document_storage / document.stored_name
    assert path.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        document_remove(document=document, actor=gov.base.rita_researcher)
    assert not RequestDocument.objects.filter(pk=document.pk).exists()
    assert not path.exists()


# --- frozen after submission -----------------------------------------------------------------------------


def test_documents_are_frozen_from_submission_and_open_again_when_returned_for_changes(gov):
    access_request = draft(gov)
    protocol = attach(gov, access_request)
    workflow.submit(access_request=access_request, actor=gov.base.rita_researcher)
    with pytest.raises(InvalidState, match="cannot change until a committee returns it for changes"):
        attach(gov, access_request, name="plan.txt", content=TEXT, kind="analysis_plan")
    response = api_as(gov.base.rita_researcher).delete(f"/api/v1/request-documents/{protocol.pk}/")
    assert response.status_code == 409
    item = access_request.items.get()
    workflow.request_changes(item=item, actor=gov.chair, comment="Attach the analysis plan.")
    plan = attach(gov, access_request, name="plan.txt", content=TEXT, kind="analysis_plan")
    document_remove(document=protocol, actor=gov.base.rita_researcher)
    protocol.refresh_from_db()
    assert protocol.removed_at is not None  # a committee saw it: kept, no longer listed
    listed = api_as(gov.base.rita_researcher).get(f"/api/v1/request-documents/?request={access_request.pk}").json()
    assert [row["id"] for row in listed["results"]] == [plan.pk]


def test_the_resubmissions_what_changed_names_the_documents_added_and_removed(gov):
    access_request = draft(gov)
    protocol = attach(gov, access_request, name="protocol-v1.pdf")
    workflow.submit(access_request=access_request, actor=gov.base.rita_researcher)
    item = access_request.items.get()
    assert item.basis.intended_use["documents"][0]["sha256"] == protocol.sha256
    workflow.request_changes(item=item, actor=gov.chair, comment="Attach the analysis plan.")
    document_remove(document=protocol, actor=gov.base.rita_researcher)
    attach(gov, access_request, name="plan.odt", content=odt(), kind="analysis_plan")
    workflow.resubmit(access_request=access_request, actor=gov.base.rita_researcher)
    html = client_as(gov.member).get(reverse("governance:item_review", args=[item.pk])).content.decode()
    assert "Document removed" in html and "Study protocol: protocol-v1.pdf" in html
    assert "Document added" in html and "Statistical analysis plan: plan.odt" in html
    item.refresh_from_db()
    assert item.state == ItemState.UNDER_REVIEW


def test_the_committee_sees_the_documents_on_the_review_page(gov):
    access_request = draft(gov)
    document = attach(gov, access_request, name="ethics.pdf", kind="ethics_approval")
    workflow.submit(access_request=access_request, actor=gov.base.rita_researcher)
    item = access_request.items.get()
    html = client_as(gov.chair).get(reverse("governance:item_review", args=[item.pk])).content.decode()
    assert "Ethics approval letter" in html and "ethics.pdf" in html and document.sha256 in html
    assert reverse("governance:document_download", args=[access_request.pk, document.pk]) in html
    assert "Attach the document" not in html  # the committee reads, the requester attaches


def test_the_requesters_page_uploads_and_shows_the_refusal_next_to_the_file(gov):
    access_request = draft(gov)
    client = client_as(gov.base.rita_researcher)
    url = reverse("governance:document_upload", args=[access_request.pk])
    refused = client.post(url, {"document-kind": "protocol", "document-file": upload("setup.pdf", WINDOWS_EXECUTABLE)})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert 'id="id_document-file_error"' in html and "application/x-msdownload" in html
    accepted = client.post(url, {"document-kind": "protocol", "document-file": upload("protocol.pdf", PDF)})
    assert accepted.status_code == 302
    page = client.get(reverse("governance:request_detail", args=[access_request.pk])).content.decode()
    assert "protocol.pdf" in page and hashlib.sha256(PDF).hexdigest() in page
    assert "rita attached a document" in page  # the timeline


def test_an_htmx_upload_reloads_the_page_it_came_from(gov):
    access_request = draft(gov)
    response = client_as(gov.base.rita_researcher).post(
        reverse("governance:document_upload", args=[access_request.pk]),
        {"document-kind": "other", "document-file": upload("notes.txt", TEXT)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"  # the request's page, where the upload came from, shows it


def test_deleting_a_draft_deletes_its_documents_files(gov, document_storage, django_capture_on_commit_callbacks):
    access_request = draft(gov)
    document = attach(gov, access_request)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_delete(access_request=access_request, actor=gov.base.rita_researcher)
    assert not (document_storage / document.stored_name).exists()


def test_an_approved_vote_keeps_documents_frozen(gov):
    access_request = draft(gov)
    attach(gov, access_request)
    workflow.submit(access_request=access_request, actor=gov.base.rita_researcher)
    item = access_request.items.get()
    workflow.vote_cast(item=item, member=gov.chair, decision=VoteDecision.APPROVE)
    workflow.vote_cast(item=item, member=gov.member, decision=VoteDecision.APPROVE)
    with pytest.raises(InvalidState):
        attach(gov, access_request, name="late.txt", content=TEXT, kind="other")


def test_documents_stay_frozen_while_another_dataset_stands_on_its_review(gov):
    second = DatasetFactory(partner=gov.dataset.partner, title="AHA MDS cohort", slug="aha-mds", diseases=["MDS"])
    ConsentFactory(dataset=second, form_version="v1", permission=DuoTerm.objects.get(short_code="HMB"))
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[gov.dataset, second]
    )
    workflow.submit(access_request=access_request, actor=gov.base.rita_researcher)
    returned, standing = access_request.items.order_by("id")
    workflow.request_changes(item=returned, actor=gov.chair, comment="Attach the protocol.")
    with pytest.raises(InvalidState, match="other datasets of this request stand on the documents"):
        attach(gov, access_request)
    workflow.withdraw(item=standing, actor=gov.base.rita_researcher)
    assert attach(gov, access_request).media_type == "application/pdf"


def test_removing_a_document_on_the_page_asks_first_and_says_what_happens(gov):
    access_request = draft(gov)
    document = attach(gov, access_request)
    url = reverse("governance:document_remove", args=[access_request.pk, document.pk])
    requester = client_as(gov.base.rita_researcher)

    asked = requester.post(url)
    assert asked.status_code == 200
    assert "The file “protocol.pdf” is deleted from the registry." in asked.content.decode()
    assert RequestDocument.objects.filter(pk=document.pk).exists()
    # Someone who may read but not change the documents gets no confirmation page, only the refusal.
    assert client_as(gov.base.ada_admin).post(url).status_code == 403

    done = requester.post(url, {"confirmed": "yes"})
    assert done.status_code == 302
    assert not RequestDocument.objects.filter(pk=document.pk).exists()
