"""The four journeys of the web experience, click by click in Chromium (issue 5)."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from catalogue.models import Dataset, DatasetStatus, Distribution, DistributionKind
from governance import workflow
from governance.models import AccessRequestItem, DataSharingAgreement, ItemState, VoteDecision
from tests.browser.conftest import Site, World
from tests.governance.factories import draft_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_researcher_journey(site: Site, world: World, settings, tmp_path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path)}},
    }
    extract = Distribution(dataset=world.aml, title="AML extract", kind=DistributionKind.FILE, media_type="text/csv")
    extract.file.save("aml.csv", ContentFile(b"id,npm1\n1,mutated\n"), save=False)
    extract.save()
    page = site.open("/")

    # The home page: what the alliance holds at a glance.
    expect(page.get_by_role("heading", level=1)).to_have_text("Who holds hematology data you can use?")
    expect(page.locator(".stats")).to_contain_text("2,980")  # patients of both published datasets
    expect(page.get_by_role("link", name="Acute myeloid leukaemia")).to_be_visible()

    # Narrow the catalogue by disease, then open the dataset.
    page.get_by_role("link", name="Acute myeloid leukaemia").click()
    expect(page).to_have_url(re.compile(r"/datasets/\?disease=AML"))
    expect(page.get_by_role("link", name="AHA Myeloma Cohort")).to_have_count(0)
    page.get_by_role("link", name="AHA AML Registry").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("AHA AML Registry")
    consent = page.locator(".consent")
    expect(consent).to_contain_text("Health/medical/biomedical research")
    expect(consent).to_contain_text("DUO:0000006")
    expect(consent).to_contain_text("DUO:0000045")

    # The variables table: search (htmx, as you type), sort, page.
    variables = page.locator("#variables")
    expect(variables).to_contain_text("63 variables")
    page.get_by_label("Search variables").fill("FLT3")
    expect(variables).to_contain_text("1 variable matching")
    expect(variables.get_by_role("cell", name="flt3_itd")).to_be_visible()
    page.get_by_role("link", name="Show all").click()
    variables.get_by_role("link", name="Name", exact=True).click()
    expect(variables.locator("tbody tr").first).to_contain_text("eln2022_risk")
    page.get_by_role("link", name="Next \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}").click()
    expect(variables).to_contain_text("51\N{EN DASH}63 of 63")

    # Collect both datasets in the basket and request them in one go.
    page.get_by_role("button", name="Add to request basket").click()
    expect(page.locator(".messages")).to_contain_text("is in your request basket (1 dataset)")
    site.open("/datasets/aha-mm/").get_by_role("button", name="Add to request basket").click()
    page.get_by_role("link", name="Basket (2)").click()
    page.get_by_role("link", name="Request access to 2 datasets").click()
    page.get_by_label("Username").fill("rita")  # the request form needs a signed-in researcher
    page.get_by_label("Password").fill("harmony-test")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request access")
    expect(page.get_by_label("AHA AML Registry — AHA")).to_be_checked()
    expect(page.get_by_label("AHA Myeloma Cohort — AHA")).to_be_checked()
    page.get_by_label("Title").fill("Outcomes of older AML and myeloma patients")
    page.get_by_label("Lay summary").fill("How older patients fare after first-line treatment.")
    page.get_by_label("Scientific aims").fill("Overall survival by ELN 2022 risk and ISS stage.")
    page.get_by_label("Health, medical or biomedical research").check()
    page.get_by_label("Requested start").fill("2027-01-01")
    page.get_by_label("Requested end").fill("2028-12-31")
    page.get_by_label("Ethics approval reference").fill("EC-2026-114")
    page.get_by_label("Ethics approval valid until").fill("2029-06-30")
    page.get_by_role("button", name="Save draft").click()

    # The consent-match result of each dataset, before submitting.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Outcomes of older AML and myeloma patients")
    expect(page.locator("article.item .notice.ok")).to_have_count(2)
    page.get_by_role("link", name="Submit to the committees…").click()
    expect(page.get_by_role("heading", name="What will happen")).to_be_visible()
    page.get_by_role("button", name="Submit to the committees").click()
    expect(page.locator(".messages")).to_contain_text("Your request is submitted")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("rita submitted “AHA AML Registry”")

    # The committee approves the AML item and both sides sign; the holder releases (other journeys click these).
    item = AccessRequestItem.objects.get(dataset=world.aml)
    workflow.vote_cast(item=item, member=world.dana_chair, decision=VoteDecision.APPROVE)
    workflow.vote_cast(item=item, member=world.mike_member, decision=VoteDecision.APPROVE)
    agreement = DataSharingAgreement.objects.get(request=item.request)
    workflow.agreement_sign(agreement=agreement, actor=world.cast.olga_owner_curator, side="holder")

    # Follow the timeline, sign the agreement for the requesting partner, download released data.
    page.reload()
    expect(timeline).to_contain_text("approved “AHA AML Registry”")
    page.get_by_role("link", name="Read and sign for UNB").click()
    expect(page.locator(".agreement-text")).to_contain_text("AHA AML Registry")
    page.get_by_label("Your full name").fill("Rita Researcher")
    page.get_by_role("button", name="Sign for UNB").click()
    expect(page.locator(".messages")).to_contain_text("signed on the requester side")
    workflow.release_item(item=item, actor=world.cast.olga_owner_curator)
    page.reload()
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("Released to you")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download AML extract").click()
    download = download_info.value
    assert download.suggested_filename == "aml.csv"
    assert download.path().read_bytes() == b"id,npm1\n1,mutated\n"
    expect(page.locator(".timeline")).to_contain_text("released “AHA AML Registry”")


def test_dac_member_journey(site: Site, world: World) -> None:
    access_request = draft_request(
        requester=world.cast.rita_researcher, partner=world.cast.partner_b, datasets=[world.aml]
    )
    workflow.submit(access_request=access_request, actor=world.cast.rita_researcher)
    item = access_request.items.get()

    # The recused member is told so, in the queue and on the item.
    site.sign_in("rex")
    page = site.page
    page.get_by_role("link", name="Review queue").click()
    expect(page.get_by_role("heading", name="Nothing waits for your vote")).to_be_visible()
    expect(page.get_by_text("Recused")).to_be_visible()
    page.get_by_role("link", name=access_request.title).click()
    expect(page.get_by_role("heading", name="You are recused from this request")).to_be_visible()
    expect(page.get_by_role("button", name="Record my decision")).to_have_count(0)
    site.sign_out()

    # The chair: queue with waiting time, the request, the consent-match report, a vote with a comment.
    site.sign_in("dana")
    page.get_by_role("link", name="Review queue").click()
    row = page.get_by_role("row", name=re.compile(access_request.title))
    expect(row).to_contain_text("0 days")
    row.get_by_role("link", name=access_request.title).click()
    expect(page.get_by_role("heading", name="Consent-match report")).to_be_visible()
    expect(page.locator(".notice.ok")).to_contain_text("Compatible")
    expect(page.get_by_text("0 approvals, 0 rejections, 0 requests for changes of 2 eligible members")).to_be_visible()
    page.get_by_role("radio", name="Approve").check()
    page.get_by_label("Reason for the requester", exact=True).fill("Well-designed study.")
    page.get_by_role("button", name="Record my decision").click()
    expect(page.locator(".messages")).to_contain_text("Your vote is recorded")
    expect(page.get_by_text("1 approval, 0 rejections, 0 requests for changes of 2 eligible members")).to_be_visible()
    expect(page.locator(".progress > span")).to_have_attribute("data-width", "50")
    assert page.locator(".progress > span").evaluate("span => span.style.width") == "50%"
    site.sign_out()

    # The member asks for changes with a comment.
    site.sign_in("mike")
    site.open(f"/review/items/{item.pk}/")
    page.get_by_role("radio", name="Ask for changes").check()
    page.get_by_role("button", name="Record my decision").click()
    expect(page.locator("#id_vote-reason_error")).to_contain_text("Say what should change")
    page.get_by_role("radio", name="Ask for changes").check()
    page.get_by_label("Reason for the requester", exact=True).fill("Please name the ethics committee.")
    page.get_by_role("button", name="Record my decision").click()
    expect(page.locator(".lede .badge")).to_have_text("Changes requested")
    item.refresh_from_db()
    assert item.state == ItemState.CHANGES_REQUESTED


def test_curator_journey(site: Site, world: World) -> None:
    site.sign_in("olga")
    page = site.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My datasets").click()
    page.get_by_role("link", name="Register a dataset").first.click()

    # The guided form, with an error shown next to its field.
    page.get_by_label("Title").fill("AHA CLL Biobank")
    page.get_by_label("Description").fill("Chronic lymphocytic leukaemia patients with banked samples.")
    page.get_by_label("Chronic lymphocytic leukaemia (CLL)").check()
    page.get_by_label("Number of patients").fill("-3")
    page.get_by_role("button", name="Register as draft").click()
    expect(page.locator("#id_patient_count_error")).to_contain_text("greater than or equal to 0")
    page.locator("#id_patient_count").fill("412")
    page.get_by_role("button", name="Register as draft").click()

    # Upload a dictionary with errors, see them row by row, fix and re-upload.
    expect(page.get_by_role("heading", level=1)).to_have_text("Data dictionary")
    bad = b"name,label,value_type,categories\nighv_status,IGHV,categorical,\nage,Age,number,\n"
    page.get_by_label("Data dictionary (CSV or XLSX)").set_input_files(
        files=[{"name": "dictionary.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    page.get_by_role("button", name="Check the file").click()
    errors = page.locator("table.row-errors")
    expect(page.get_by_role("heading", name=re.compile("Nothing was imported: 2 errors"))).to_be_visible()
    expect(errors.locator("tbody tr")).to_have_count(2)
    expect(errors).to_contain_text("categories")
    good = b"name,label,value_type,categories\nighv_status,IGHV,categorical,0=unmutated; 1=mutated\nage,Age,integer,\n"
    page.get_by_label("Data dictionary (CSV or XLSX)").set_input_files(
        files=[{"name": "dictionary.csv", "mimeType": "text/csv", "buffer": good}]
    )
    page.get_by_role("button", name="Check the file").click()
    # The preview says what the import will do before anything is written; then apply it.
    preview = page.get_by_role("region", name="Preview: nothing is written until you apply it")
    expect(preview).to_contain_text("2 variables in the file: 2 to create, 0 to update, 0 unchanged, 0 to remove.")
    expect(preview.get_by_role("cell", name="ighv_status")).to_be_visible()
    page.get_by_role("button", name="Apply the import").click()
    expect(page.locator(".messages")).to_contain_text("Data dictionary imported")
    expect(page.get_by_text("2 variables described.")).to_be_visible()

    # Publishing without consent conditions is refused; set them with the DUO picker, then publish.
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text("State at least one consent")
    page.get_by_role("link", name="State consent conditions").click()
    page.get_by_label("Form version").fill("v1.2")
    page.get_by_label("DS — disease specific research").check()
    page.get_by_label("Diseases", exact=True).select_option(label="B-cell chronic lymphocytic leukemia (MONDO:0004948)")
    page.get_by_label("NPU — not for profit organisation use only").check()
    page.get_by_label("MOR — publication moratorium").check()
    page.get_by_label("MOR: until").fill("2027-06-30")
    page.get_by_role("button", name="Add consent form").click()
    expect(page.locator(".card-list")).to_contain_text("Research on B-cell chronic lymphocytic leukemia only")
    page.get_by_role("link", name="AHA CLL Biobank").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text("is published")
    assert Dataset.objects.get(title="AHA CLL Biobank").status == DatasetStatus.PUBLISHED

    # Someone requests the AML registry; once approved, the curator signs and releases it.
    access_request = draft_request(
        requester=world.cast.rita_researcher, partner=world.cast.partner_b, datasets=[world.aml]
    )
    workflow.submit(access_request=access_request, actor=world.cast.rita_researcher)
    item = access_request.items.get()
    workflow.vote_cast(item=item, member=world.dana_chair, decision=VoteDecision.APPROVE)
    workflow.vote_cast(item=item, member=world.mike_member, decision=VoteDecision.APPROVE)
    agreement = DataSharingAgreement.objects.get(request=access_request)
    workflow.agreement_sign(agreement=agreement, actor=world.cast.rita_researcher, side="requester")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My datasets").click()
    page.get_by_role("link", name="Requests for my data").click()
    page.get_by_role("link", name=re.compile(f"Open {access_request.title}")).click()
    page.get_by_role("link", name="Read and sign for AHA").click()
    page.get_by_label("Your full name").fill("Olga Owner")
    page.get_by_role("button", name="Sign for AHA").click()
    expect(page.get_by_text("All checks pass")).to_be_visible()
    page.get_by_role("link", name="Release the data…").click()
    page.get_by_role("button", name="Release the data").click()
    expect(page.locator(".messages")).to_contain_text("is released to rita")
    item.refresh_from_db()
    assert item.state == ItemState.RELEASED


def test_administrator_journey(site: Site, world: World) -> None:
    access_request = draft_request(
        requester=world.cast.rita_researcher, partner=world.cast.partner_b, datasets=[world.aml]
    )
    workflow.submit(access_request=access_request, actor=world.cast.rita_researcher)
    item = access_request.items.get()
    workflow.vote_cast(item=item, member=world.dana_chair, decision=VoteDecision.APPROVE)
    workflow.vote_cast(item=item, member=world.mike_member, decision=VoteDecision.APPROVE)

    site.sign_in("ada")
    page = site.page
    page.get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistics")
    for title in (
        "Datasets by disease",
        "Patients by disease",
        "Datasets by country",
        "Patients by country",
        "Variables by data type",
        "Requests by state",
        "Median days to decision per committee",
    ):
        chart = page.get_by_role("table", name=title, exact=True)
        expect(chart.locator(".bar").first).to_be_visible()
    disease_chart = page.get_by_role("table", name="Patients by disease")
    expect(disease_chart.get_by_role("row", name=re.compile("Acute myeloid leukaemia"))).to_contain_text("2,150")
    expect(page.get_by_role("table", name="Requests by state")).to_contain_text("Approved")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("cell", name="AHA Data Access Committee")).to_be_visible()
