"""In Chromium: a requester attaches documents to a draft (a renamed executable is refused next to the file field,
a PDF is accepted with its progress bar and checksum) and downloads it; the committee member sees it on the review
page, rejects with a reason for the requester, and the requester opens the decision letter from the notification
(in German, the requester's language) and downloads its PDF."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import LanguagePreference
from governance import workflow
from governance.models import DecisionLetter, ItemState
from governance.services.documents import document_add
from tests.browser.conftest import Site, World
from tests.governance.documents_files import PDF, WINDOWS_EXECUTABLE, upload, use_private_document_storage
from tests.governance.factories import draft_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def document_storage(settings, tmp_path) -> Path:
    """Each test keeps its documents in its own private folder."""
    return use_private_document_storage(settings, tmp_path)


def test_documents_are_attached_refused_by_content_and_downloaded(site: Site, world: World, tmp_path: Path) -> None:
    access_request = draft_request(
        requester=world.cast.rita_researcher, partner=world.cast.partner_b, datasets=[world.aml]
    )
    renamed = tmp_path / "protocol.pdf"
    renamed.write_bytes(WINDOWS_EXECUTABLE)
    genuine = tmp_path / "Studienprotokoll.pdf"
    genuine.write_bytes(PDF)

    site.sign_in("rita")
    page = site.open(f"/requests/{access_request.pk}/")
    documents = page.locator("#documents")
    page.locator("#id_document-kind").select_option("protocol")
    page.locator("#id_document-file").set_input_files(str(renamed))
    documents.get_by_role("button", name="Attach the document").click()
    error = page.locator("#id_document-file_error")
    expect(error).to_contain_text("application/x-msdownload")
    expect(error).to_contain_text("whatever its name says")

    documents = page.locator("#documents")
    page.locator("#id_document-kind").select_option("protocol")
    page.locator("#id_document-file").set_input_files(str(genuine))
    documents.get_by_role("button", name="Attach the document").click()
    expect(page.locator(".messages")).to_contain_text("“Studienprotokoll.pdf” is attached.")
    row = page.locator("#documents tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Study protocol")
    expect(row).to_contain_text(hashlib.sha256(PDF).hexdigest())

    with page.expect_download() as download_info:
        row.get_by_role("link", name="Studienprotokoll.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "Studienprotokoll.pdf"
    assert Path(download.path()).read_bytes() == PDF


def test_a_committee_member_rejects_with_a_reason_and_the_requester_reads_the_letter(site: Site, world: World) -> None:
    LanguagePreference.objects.create(user=world.cast.rita_researcher, language="de")
    access_request = draft_request(
        requester=world.cast.rita_researcher, partner=world.cast.partner_b, datasets=[world.myeloma]
    )
    document_add(
        access_request=access_request,
        actor=world.cast.rita_researcher,
        kind="ethics_approval",
        upload=upload("ethics.pdf", PDF),
    )
    workflow.submit(access_request=access_request, actor=world.cast.rita_researcher)
    item = access_request.items.get()

    site.sign_in("dana")
    page = site.open(f"/review/items/{item.pk}/")
    expect(page.locator("#documents")).to_contain_text("Ethics approval letter")
    expect(page.locator("#documents")).to_contain_text("ethics.pdf")
    page.get_by_role("radio", name="Reject").check()
    page.get_by_role("button", name="Record my decision").click()
    expect(page.locator("#id_vote-reason_error")).to_contain_text("Give the reason for the rejection")
    page.get_by_role("radio", name="Reject").check()
    page.get_by_label("Reason for the requester", exact=True).fill("Die Fragestellung braucht keine Myelomdaten.")
    page.get_by_label("Comment for the committee", exact=True).fill("Internal: discussed at the meeting.")
    page.get_by_role("button", name="Record my decision").click()
    expect(page.locator(".messages")).to_contain_text("Your vote is recorded")
    item.refresh_from_db()
    assert item.state == ItemState.REJECTED
    site.sign_out()

    site.sign_in("rita")  # her stored language, German, applies at sign-in
    page = site.open("/inbox/")
    page.locator("main form[action$='/open/'] button").first.click()
    letter = DecisionLetter.objects.get(item=item)
    expect(page).to_have_url(f"{site.base_url}/letters/{letter.pk}/")
    article = page.locator("article.letter")
    expect(article).to_contain_text("Ihr Antrag wird abgelehnt.")
    expect(article).to_contain_text("Die Fragestellung braucht keine Myelomdaten.")
    expect(article).not_to_contain_text("Internal: discussed")
    with page.expect_download() as download_info:
        page.locator(f"a[href='/letters/{letter.pk}/pdf/']").click()
    assert Path(download_info.value.path()).read_bytes().startswith(b"%PDF")
