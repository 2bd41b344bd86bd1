"""Write services: permission checks inside the service, per-field validation, outbox records, nothing half-written."""

import datetime
import hashlib
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue.models import Consent, Dataset, DatasetStatus, DataUseModifier, DiseaseArea, Distribution, Variable
from catalogue.search.models import SearchChange
from catalogue.services.concepts import ConceptRef, parse_concepts
from catalogue.services.consents import ModifierSpec, consent_create, consent_plain_words, consent_update
from catalogue.services.datasets import dataset_create, dataset_publish, dataset_retire, dataset_update
from catalogue.services.distributions import distribution_create, distribution_delete
from catalogue.services.variables import variable_create, variable_update
from tests.catalogue.factories import ConsentFactory, DatasetFactory, DraftDatasetFactory


@pytest.mark.django_db
def test_curator_creates_a_draft_and_the_change_is_queued(cast):
    aml = DiseaseArea.objects.get(code="AML")
    dataset = dataset_create(
        actor=cast.olga_owner_curator,
        partner=cast.partner_a,
        title="AML Registry Heidelberg",
        disease_areas=[aml],
        patient_count=120,
        patient_countries=["DE"],
        keywords=["AML", "registry"],
    )
    assert (dataset.slug, dataset.status) == ("aml-registry-heidelberg", DatasetStatus.DRAFT)
    assert list(dataset.disease_areas.all()) == [aml]
    assert SearchChange.objects.filter(dataset_id=dataset.pk).exists()
    again = dataset_create(actor=cast.olga_owner_curator, partner=cast.partner_a, title="AML Registry Heidelberg")
    assert again.slug == "aml-registry-heidelberg-2"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["rita_researcher", "carl_other_curator"])
def test_only_curators_of_the_owning_partner_write(cast, who):
    actor = getattr(cast, who)
    with pytest.raises(PermissionDenied, match="Only curators of Academic Hospital A"):
        dataset_create(actor=actor, partner=cast.partner_a, title="Not mine")
    dataset = DraftDatasetFactory(partner=cast.partner_a)
    with pytest.raises(PermissionDenied):
        dataset_update(actor=actor, dataset=dataset, title="Changed")
    with pytest.raises(PermissionDenied):
        dataset_publish(actor=actor, dataset=dataset)
    assert not Dataset.objects.filter(title="Not mine").exists()


@pytest.mark.django_db
def test_admin_may_write_any_partners_datasets(cast):
    dataset = dataset_create(actor=cast.ada_admin, partner=cast.partner_b, title="Admin made")
    assert dataset.partner == cast.partner_b


@pytest.mark.django_db
def test_validation_errors_are_per_field_and_nothing_is_written(cast):
    with pytest.raises(ValidationError) as caught:
        dataset_create(
            actor=cast.olga_owner_curator,
            partner=cast.partner_a,
            title="",
            patient_count=-5,
            patient_countries=["XX"],
            collection_start=datetime.date(2020, 1, 1),
            collection_end=datetime.date(2019, 1, 1),
        )
    errors = caught.value.message_dict
    assert errors["patient_count"] == ["Ensure this value is greater than or equal to 0."]
    assert errors["patient_countries"] == ["Unknown country code(s): XX."]
    assert errors["collection_end"] == ["The collection period must not end before it starts."]
    assert "title" in errors
    assert not Dataset.objects.exists()
    assert not SearchChange.objects.exists()


@pytest.mark.django_db
def test_publish_needs_a_consent_and_follows_the_lifecycle(cast, partner_a_committee):
    dataset = DraftDatasetFactory(partner=cast.partner_a)
    with pytest.raises(ValidationError) as caught:
        dataset_publish(actor=cast.olga_owner_curator, dataset=dataset)
    assert caught.value.message_dict == {
        "consents": ["State at least one consent (data-use conditions) before publishing."]
    }
    ConsentFactory(dataset=dataset)
    dataset = dataset_publish(actor=cast.olga_owner_curator, dataset=dataset)
    assert dataset.status == DatasetStatus.PUBLISHED and dataset.published_at
    with pytest.raises(ValidationError, match="Only a draft can be published"):
        dataset_publish(actor=cast.olga_owner_curator, dataset=dataset)
    dataset = dataset_retire(actor=cast.olga_owner_curator, dataset=dataset)
    assert dataset.status == DatasetStatus.RETIRED and dataset.retired_at
    with pytest.raises(ValidationError, match="Only a published dataset can be retired"):
        dataset_retire(actor=cast.olga_owner_curator, dataset=dataset)


@pytest.mark.django_db
def test_consent_with_modifiers_and_plain_words(cast):
    dataset = DraftDatasetFactory(partner=cast.partner_a)
    consent = consent_create(
        actor=cast.olga_owner_curator,
        dataset=dataset,
        form_version="v2",
        permission="DS",
        diseases=["AML"],
        participant_count=80,
        modifiers=[
            ModifierSpec("NPUNCU"),
            ModifierSpec("DUO:0000019"),
            ModifierSpec("MOR", until=datetime.date(2027, 6, 30)),
        ],
    )
    assert consent.permission_id == "DUO:0000007"
    assert consent_plain_words(consent) == (
        "Research on acute myeloid leukemia only · no publication before 30 June 2027"
        " · non-profit, non-commercial use only · publication required"
    )
    consent = consent_update(
        actor=cast.olga_owner_curator, consent=consent, permission="HMB", diseases=[], modifiers=[ModifierSpec("PUB")]
    )
    assert consent_plain_words(consent) == "Health/medical/biomedical research · publication required"


@pytest.mark.django_db
def test_consent_rules_are_reported_per_field(cast):
    dataset = DraftDatasetFactory(partner=cast.partner_a)
    with pytest.raises(ValidationError) as caught:
        consent_create(actor=cast.olga_owner_curator, dataset=dataset, form_version="v1", permission="XYZ")
    assert caught.value.message_dict == {"permission": ["Unknown DUO term 'XYZ'."]}
    with pytest.raises(ValidationError) as caught:
        consent_create(
            actor=cast.olga_owner_curator,
            dataset=dataset,
            form_version="v1",
            permission="DS",
            participant_count=-1,
            modifiers=[
                ModifierSpec("HMB"),
                ModifierSpec("TS"),
                ModifierSpec("PUB", until=datetime.date(2030, 1, 1)),
                ModifierSpec("DUO:9999999"),
            ],
        )
    assert caught.value.message_dict == {
        "diseases": ["Disease-specific research (DS) needs the disease it is restricted to."],
        "modifiers": [
            "HMB (health or medical or biomedical research) is not a data-use modifier.",
            "TS (time limit on use) needs a date.",
            "PUB takes no date; only MOR and TS do.",
            "Unknown DUO term 'DUO:9999999'.",
        ],
        "participant_count": ["Ensure this value is greater than or equal to 0."],
    }
    with pytest.raises(ValidationError) as caught:
        consent_create(actor=cast.olga_owner_curator, dataset=dataset, form_version="v1", permission="NPU")
    assert caught.value.message_dict["permission"][0].startswith("NPU (not for profit organisation use only) is not")
    assert not Consent.objects.exists() and not DataUseModifier.objects.exists()


@pytest.mark.django_db
def test_distribution_file_or_url_with_size_limit(cast, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.HARMONY_MAX_UPLOAD_BYTES = 10
    dataset = DraftDatasetFactory(partner=cast.partner_a)
    with pytest.raises(ValidationError) as caught:
        distribution_create(
            actor=cast.olga_owner_curator, dataset=dataset, title="Big", file=SimpleUploadedFile("big.csv", b"x" * 11)
        )
    assert caught.value.message_dict["file"] == ["The file is 0.0 MB; the limit is 0 MB."]
    with pytest.raises(ValidationError, match="either a file or an access URL"):
        distribution_create(actor=cast.olga_owner_curator, dataset=dataset, title="None")
    small = distribution_create(
        actor=cast.olga_owner_curator,
        dataset=dataset,
        title="Extract",
        file=SimpleUploadedFile("extract.csv", b"a,b\n", content_type="text/csv"),
    )
    assert (small.kind, small.byte_size, small.media_type) == ("file", 4, "text/csv")
    assert small.checksum_sha256 == hashlib.sha256(b"a,b\n").hexdigest()
    url = distribution_create(
        actor=cast.olga_owner_curator,
        dataset=dataset,
        title="EGA",
        access_url="https://ega-archive.org/datasets/EGAD000010",
    )
    assert url.kind == "url"
    path = small.file.path
    with pytest.raises(PermissionDenied):
        distribution_delete(actor=cast.carl_other_curator, distribution=small)
    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        distribution_delete(actor=cast.olga_owner_curator, distribution=small)
    assert list(Distribution.objects.all()) == [url]
    assert not os.path.exists(path)


@pytest.mark.django_db
def test_variable_create_update_with_concepts(cast):
    dataset = DatasetFactory(partner=cast.partner_a)
    refs, errors = parse_concepts("HGNC:FLT3; LOINC:718-7=Hemoglobin [Mass/volume] in Blood; snomed:91861009")
    assert errors == []
    assert refs[2] == ConceptRef("SNOMED", "91861009", "")
    variable = variable_create(
        actor=cast.olga_owner_curator,
        dataset=dataset,
        name="flt3_itd",
        value_type="categorical",
        categories={"0": "negative", "1": "positive"},
        concepts=refs[:1],
    )
    assert [c.code for c in variable.concepts.all()] == ["FLT3"]
    with pytest.raises(ValidationError) as caught:
        variable_create(actor=cast.olga_owner_curator, dataset=dataset, name="flt3_itd", value_type="colour")
    assert caught.value.message_dict == {
        "name": ["This dataset already has a variable named 'flt3_itd'."],
        "value_type": ["Unknown value type 'colour'; use one of integer, decimal, text, date, boolean, categorical."],
    }
    variable = variable_update(
        actor=cast.olga_owner_curator, variable=variable, label="FLT3-ITD status", concepts=refs[1:]
    )
    assert sorted(c.vocabulary_id for c in variable.concepts.all()) == ["LOINC", "SNOMED"]
    assert Variable.objects.get().label == "FLT3-ITD status"
    _, errors = parse_concepts("FOO:1; HGNC")
    assert errors == [
        "Unknown vocabulary 'FOO' in 'FOO:1'; use one of "
        "ATC, HGNC, HPO, ICD10, ICDO3M, ICDO3T, LOINC, MEDDRA, NCIT, OMOP, SNOMED.",
        "'HGNC' is not vocabulary:code (e.g. HGNC:FLT3).",
    ]


@pytest.mark.django_db
def test_retire_sends_the_dataset_retired_signal_in_the_transaction(cast):
    from catalogue.signals import dataset_retired

    received = []

    def listener(sender, *, dataset, actor, **kwargs):
        received.append((dataset.slug, actor.username))

    dataset_retired.connect(listener)
    try:
        dataset = DatasetFactory(partner=cast.partner_a, slug="to-retire")
        dataset_retire(actor=cast.olga_owner_curator, dataset=dataset)
    finally:
        dataset_retired.disconnect(listener)
    assert received == [("to-retire", "olga")]


@pytest.mark.django_db
def test_a_title_that_is_a_page_name_gets_a_slug_its_page_can_use(cast, client):
    """``datasets/compare/`` is the comparison page: a dataset titled "Compare" must still be reachable."""
    from catalogue.services.datasets import RESERVED_SLUGS

    for title in ("Compare", "New"):
        dataset = dataset_create(actor=cast.olga_owner_curator, partner=cast.partner_a, title=title)
        assert dataset.slug == f"{title.lower()}-2"
    with pytest.raises(ValidationError) as refused:
        dataset_create(actor=cast.olga_owner_curator, partner=cast.partner_a, title="Mine", slug="compare")
    assert "slug" in refused.value.message_dict
    # Every fixed segment that sits where a dataset slug goes is reserved (the URL tree walked, includes too).
    from django.urls import URLResolver, get_resolver

    def routes(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from routes(pattern.url_patterns, route)
            else:
                yield route

    fixed = {
        route[len(prefix) : -1]
        for route in routes(get_resolver().url_patterns)
        for prefix in ("datasets/", "curate/")
        if route.startswith(prefix) and route.count("/") == 2 and "<" not in route
    }
    assert fixed == RESERVED_SLUGS
