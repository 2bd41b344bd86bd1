"""/api/v1/datasets/{slug}/consents/: DUO permission + modifiers, validated per field, writes by owning curators."""

import pytest

from catalogue.models import Consent, DataUseModifier
from tests.catalogue.api_helpers import by_role, client_for
from tests.catalogue.factories import ConsentFactory, DatasetFactory, DataUseModifierFactory, DraftDatasetFactory

DS_AML = {
    "form_version": "v3.1 (2019)",
    "participant_count": 240,
    "permission": "DS",
    "diseases": ["AML"],
    "modifiers": [{"term": "NPU"}, {"term": "PUB"}, {"term": "MOR", "until": "2027-06-30"}],
}


@pytest.fixture
def datasets(cast):
    published = DatasetFactory(partner=cast.partner_a, slug="pub-a")
    draft = DraftDatasetFactory(partner=cast.partner_a, slug="draft-a")
    consent = ConsentFactory(dataset=published, form_version="v1")
    DataUseModifierFactory(consent=consent)
    ConsentFactory(dataset=draft, form_version="v1")
    return published, draft, consent


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(200, 200, 200, 200, 200))
def test_list_consents_of_a_published_dataset(cast, datasets, role, expected):
    response = client_for(cast, role).get("/api/v1/datasets/pub-a/consents/")
    assert response.status_code == expected
    [consent] = response.json()
    assert (consent["permission"], consent["permission_code"], consent["permission_label"]) == (
        "DUO:0000006",
        "HMB",
        "health or medical or biomedical research",
    )
    assert consent["modifiers"] == [
        {
            "term": "DUO:0000045",
            "short_code": "NPU",
            "label": "not for profit organisation use only",
            "until": None,
            "value": "",
        }
    ]
    assert consent["plain_words"] == "Health/medical/biomedical research · not-for-profit organisations only"


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(404, 404, 200, 404, 200))
def test_draft_consents_are_hidden(cast, datasets, role, expected):
    assert client_for(cast, role).get("/api/v1/datasets/draft-a/consents/").status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "slug,role,expected",
    [
        *[("pub-a", role, code) for role, code in by_role(403, 403, 201, 403, 201)],
        *[("draft-a", role, code) for role, code in by_role(403, 404, 201, 404, 201)],
    ],
)
def test_create_consent(cast, datasets, slug, role, expected):
    response = client_for(cast, role).post(f"/api/v1/datasets/{slug}/consents/", DS_AML, format="json")
    assert response.status_code == expected
    if expected == 201:
        body = response.json()
        assert body["plain_words"] == (
            "Research on acute myeloid leukemia only · no publication before 30 June 2027"
            " · not-for-profit organisations only · publication required"
        )
    assert Consent.objects.filter(form_version="v3.1 (2019)").exists() == (expected == 201)


@pytest.mark.django_db
def test_unknown_duo_code_and_rules_are_400_per_field_with_nothing_written(cast, datasets):
    olga = client_for(cast, "olga_owner_curator")
    before = (Consent.objects.count(), DataUseModifier.objects.count())
    response = olga.post("/api/v1/datasets/pub-a/consents/", {**DS_AML, "permission": "DUO:0000099"}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"permission": ["Unknown DUO term 'DUO:0000099'."]}
    response = olga.post(
        "/api/v1/datasets/pub-a/consents/",
        {
            "form_version": "v1",
            "permission": "DS",
            "participant_count": -3,
            "modifiers": [{"term": "FOO"}, {"term": "TS"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "participant_count": ["Ensure this value is greater than or equal to 0."],
    }
    response = olga.post(
        "/api/v1/datasets/pub-a/consents/",
        {"form_version": "v1", "permission": "DS", "modifiers": [{"term": "FOO"}, {"term": "TS"}]},
        format="json",
    )
    assert response.json()["fields"] == {
        "diseases": ["Disease-specific research (DS) needs the disease it is restricted to."],
        "modifiers": ["Unknown DUO term 'FOO'.", "TS (time limit on use) needs a date."],
        "form_version": ["This dataset already has a consent with form version 'v1'."],
    }
    assert (Consent.objects.count(), DataUseModifier.objects.count()) == before


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(403, 403, 200, 403, 200))
def test_update_consent(cast, datasets, role, expected):
    consent = datasets[2]
    response = client_for(cast, role).patch(
        f"/api/v1/datasets/pub-a/consents/{consent.pk}/",
        {"permission": "GRU", "modifiers": [{"term": "IRB"}]},
        format="json",
    )
    assert response.status_code == expected
    consent.refresh_from_db()
    assert consent.permission_id == "DUO:0000006"  # a published dataset's consent is never edited in place
    assert (consent.withdrawn_at is not None) == (expected == 200)
    if expected == 200:
        assert response.json()["plain_words"] == "General research use · ethics approval required"
        revision = Consent.objects.get(pk=response.json()["id"])
        assert (revision.supersedes, revision.version, revision.permission_id) == (consent, 2, "DUO:0000042")
        assert list(revision.modifiers.values_list("term__short_code", flat=True)) == ["IRB"]


@pytest.mark.django_db
def test_a_draft_datasets_consent_is_edited_in_place(cast, datasets):
    consent = datasets[1].consents.get()
    response = client_for(cast, "olga_owner_curator").patch(
        f"/api/v1/datasets/draft-a/consents/{consent.pk}/", {"permission": "GRU"}, format="json"
    )
    assert response.status_code == 200 and response.json()["id"] == consent.pk
    consent.refresh_from_db()
    assert (consent.permission_id, consent.version) == ("DUO:0000042", 1)


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(403, 404, 204, 404, 204))
def test_delete_consent_of_a_draft(cast, datasets, role, expected):
    consent = datasets[1].consents.get()
    response = client_for(cast, role).delete(f"/api/v1/datasets/draft-a/consents/{consent.pk}/")
    assert response.status_code == expected
    assert Consent.objects.filter(pk=consent.pk).exists() == (expected != 204)


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(403, 403, 200, 403, 200))
def test_withdraw_consent_sends_the_signal_once(cast, datasets, role, expected):
    from catalogue.signals import consent_withdrawn

    received = []

    def listener(sender, *, consent, actor, **kwargs):
        received.append((consent.pk, actor))

    consent_withdrawn.connect(listener)
    try:
        client = client_for(cast, role)
        url = f"/api/v1/datasets/pub-a/consents/{datasets[2].pk}/withdraw/"
        response = client.post(url)
        assert response.status_code == expected
        if expected == 200:
            assert response.json()["withdrawn_at"] is not None
            assert client.post(url).status_code == 200  # idempotent
            assert len(received) == 1
        else:
            assert received == []
    finally:
        consent_withdrawn.disconnect(listener)
