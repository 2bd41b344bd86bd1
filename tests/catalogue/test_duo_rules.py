"""The DUO picker's rule table (catalogue.duo_rules) and its enforcement by the consent service and the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from catalogue.duo_rules import contradictions
from catalogue.models import Consent
from catalogue.services.consents import ModifierSpec, consent_create
from tests.catalogue.api_helpers import client_for
from tests.catalogue.factories import DraftDatasetFactory


@pytest.mark.parametrize(
    ("permission", "modifiers", "codes"),
    [
        ("POA", ["NPOA"], [("POA", "NPOA")]),
        ("NRES", ["PUB", "IRB"], [("NRES", "IRB", "PUB")]),
        ("GRU", ["NPUNCU", "NCU"], [("NPUNCU", "NCU")]),
        ("GRU", ["NPUNCU", "NPU"], [("NPUNCU", "NPU")]),
        ("HMB", ["NPU", "NCU"], [("NPU", "NCU")]),
        ("GRU", ["NPOA"], []),
        ("HMB", ["NPUNCU", "PUB", "MOR"], []),
        ("POA", ["GSO"], []),
        ("NRES", [], []),
    ],
)
def test_contradiction_table(permission: str, modifiers: list[str], codes: list[tuple[str, ...]]):
    assert [found.codes for found in contradictions(permission, modifiers)] == codes


@pytest.mark.django_db
def test_the_service_refuses_contradictions_with_the_reason_and_writes_nothing(cast):
    dataset = DraftDatasetFactory(partner=cast.partner_a)
    with pytest.raises(ValidationError) as caught:
        consent_create(
            actor=cast.olga_owner_curator,
            dataset=dataset,
            form_version="v1",
            permission="NRES",
            modifiers=[ModifierSpec("PUB")],
        )
    assert caught.value.message_dict == {
        "modifiers": [
            "NRES (no restriction) takes no modifiers, but PUB is ticked: a consent with conditions is GRU "
            "(or narrower) plus those modifiers."
        ]
    }
    assert not Consent.objects.exists()


@pytest.mark.django_db
def test_geographic_and_institution_parameters_are_checked(cast):
    dataset = DraftDatasetFactory(partner=cast.partner_a)
    with pytest.raises(ValidationError) as caught:
        consent_create(
            actor=cast.olga_owner_curator,
            dataset=dataset,
            form_version="v1",
            permission="HMB",
            modifiers=[ModifierSpec("GS", value="DE, Narnia"), ModifierSpec("IS", value="nowhere")],
        )
    assert caught.value.message_dict == {
        "modifiers": [
            "GS: unknown country 'NARNIA'; use ISO 3166-1 alpha-2 codes such as DE, FR, IT.",
            "IS: unknown institution 'nowhere'; name registered partners by slug or short name.",
        ]
    }
    consent = consent_create(
        actor=cast.olga_owner_curator,
        dataset=dataset,
        form_version="v1",
        permission="HMB",
        modifiers=[
            ModifierSpec("GS", value="de at"),
            ModifierSpec("IS", value=f"{cast.partner_a.short_name.lower()}, {cast.partner_b.slug}"),
        ],
    )
    values = {m.term.short_code: m.value for m in consent.modifiers.all()}
    assert values == {"GS": "DE, AT", "IS": f"{cast.partner_a.slug}, {cast.partner_b.slug}"}


@pytest.mark.django_db
def test_the_api_refuses_contradictions_and_unknown_diseases_with_400(cast):
    DraftDatasetFactory(partner=cast.partner_a, slug="draft-a")
    olga = client_for(cast, "olga_owner_curator")
    response = olga.post(
        "/api/v1/datasets/draft-a/consents/",
        {"form_version": "v1", "permission": "POA", "modifiers": [{"term": "NPOA"}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "modifiers": [
            "POA (population origins or ancestry research only) contradicts NPOA (population origins or ancestry "
            "research prohibited): the consent would admit no use."
        ]
    }
    response = olga.post(
        "/api/v1/datasets/draft-a/consents/",
        {"form_version": "v1", "permission": "DS", "diseases": ["MONDO:0018874", "MONDO:9999999"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "diseases": [
            "Unknown disease 'MONDO:9999999': give a MONDO id of the hematology subset (e.g. MONDO:0018874, "
            "acute myeloid leukemia) or a disease area code (e.g. AML)."
        ]
    }
    response = olga.post(
        "/api/v1/datasets/draft-a/consents/",
        {"form_version": "v1", "permission": "DS", "diseases": ["AML", "MONDO:0009693"]},
        format="json",
    )
    assert response.status_code == 201
    assert [d["id"] for d in response.json()["diseases"]] == ["MONDO:0018874", "MONDO:0009693"]
    assert response.json()["plain_words"] == "Research on acute myeloid leukemia or multiple myeloma only"
    assert not Consent.objects.filter(permission__short_code="POA").exists()
