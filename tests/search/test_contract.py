"""The search contract: one suite, run unchanged against every backend (``search_backend`` is parametrised).

Known differences are allowed only where the interface leaves them open (absolute scores,
order among equally relevant hits); everything asserted here must hold for every backend.
"""

from __future__ import annotations

import pytest
from django.db.models import Count

from catalogue.models import Dataset, DatasetStatus, Variable
from catalogue.search import selectors
from catalogue.search.backends.base import SearchBackend
from tests.search.conftest import Corpus, sync


@pytest.fixture
def indexed(search_backend: SearchBackend, corpus: Corpus) -> Corpus:
    sync(search_backend)
    return corpus


def titles(results) -> list[str]:
    return [hit.document["title"] for hit in results.hits]


def names(results) -> list[str]:
    return [hit.document["name"] for hit in results.hits]


def facet(results, name: str) -> dict[str, int]:
    return {count.value: count.count for count in results.facets[name]}


# Free text, ranking, highlighting -----------------------------------------------------------


def test_anonymous_browse_lists_published_datasets_only(search_backend, indexed):
    results = selectors.search_datasets(user=None, backend=search_backend)
    assert results.total == 3
    assert sorted(titles(results)) == ["AML cohort München", "AML relapse study", "Myeloma registry Madrid"]


def test_every_query_word_must_match(search_backend, indexed):
    results = selectors.search_datasets(user=None, text="AML relapse", backend=search_backend)
    assert titles(results) == ["AML relapse study"]


def test_exact_variable_name_beats_a_description_mention(search_backend, indexed):
    results = selectors.search_variables(user=None, text="npm1", backend=search_backend)
    assert names(results)[0] == "npm1"
    assert set(names(results)) == {"npm1", "npm1_status", "lab_notes"}
    assert names(results).index("lab_notes") == 2  # the description mention ranks last


def test_datasets_are_found_by_the_variables_they_contain(search_backend, indexed):
    # "which AML cohorts measure ELN 2022 risk?": the words are in a variable, not the dataset's text.
    results = selectors.search_datasets(user=None, text="AML ELN 2022 risk", backend=search_backend)
    assert titles(results) == ["AML cohort München"]
    results = selectors.search_datasets(user=None, text="ISS stage", backend=search_backend)
    assert titles(results) == ["Myeloma registry Madrid"]


def test_accented_and_unaccented_text_match_each_other(search_backend, indexed):
    for text in ("München", "Munchen", "MUNCHEN", "münchen"):
        results = selectors.search_datasets(user=None, text=text, backend=search_backend)
        assert titles(results) == ["AML cohort München"], text


def test_highlights_mark_the_original_words(search_backend, indexed):
    results = selectors.search_datasets(user=None, text="munchen", backend=search_backend)
    assert results.hits[0].highlights["title"] == "AML cohort <mark>München</mark>"
    assert "<mark>München</mark>" in results.hits[0].highlights["description"]


def test_punctuated_codes_match_their_words(search_backend, indexed):
    results = selectors.search_variables(user=None, text="FLT3-ITD", backend=search_backend)
    assert sorted(names(results)) == ["flt3_itd", "flt3_itd_status"]


def test_partner_name_and_disease_name_are_searchable(search_backend, indexed):
    assert titles(selectors.search_datasets(user=None, text="Farmaco", backend=search_backend)) == ["AML relapse study"]
    assert sorted(
        titles(selectors.search_datasets(user=None, text="acute myeloid leukaemia", backend=search_backend))
    ) == ["AML cohort München", "AML relapse study"]


def test_no_match_gives_an_empty_result(search_backend, indexed):
    results = selectors.search_datasets(user=None, text="zzzyzzx", backend=search_backend)
    assert results.total == 0
    assert results.hits == []


# Facets ----------------------------------------------------------------------------------------


def test_facet_counts_equal_the_database_counts(search_backend, indexed):
    results = selectors.search_datasets(user=None, backend=search_backend)
    published = Dataset.objects.filter(status=DatasetStatus.PUBLISHED)
    assert facet(results, "country") == dict(
        published.values_list("partner__country").annotate(n=Count("pk")).order_by()
    )
    assert facet(results, "partner") == dict(published.values_list("partner__slug").annotate(n=Count("pk")).order_by())
    assert facet(results, "data_type") == dict(
        published.values_list("data_types__code").annotate(n=Count("pk")).exclude(data_types__code=None).order_by()
    )
    assert facet(results, "disease") == {"AML": 2, "MM": 1}
    assert facet(results, "partner_kind") == {"academic": 2, "pharma": 1}
    assert facet(results, "duo_permission") == {"HMB": 1, "GRU": 1}
    assert facet(results, "duo_modifier") == {"PUB": 1}
    assert facet(results, "patients") == {"0-99": 1, "100-499": 1, "1000-4999": 1}
    assert facet(results, "period") == {"2000s": 1, "2010s": 3, "2020s": 2}  # Madrid 2005-2012 spans two decades


def test_variable_facet_counts_count_variables(search_backend, indexed):
    results = selectors.search_variables(user=None, backend=search_backend)
    published = Variable.objects.filter(dataset__status=DatasetStatus.PUBLISHED)
    assert results.total == published.count() == 7
    assert facet(results, "country") == dict(
        published.values_list("dataset__partner__country").annotate(n=Count("pk")).order_by()
    )
    assert facet(results, "value_type") == {"text": 7}


def test_filters_combine_across_facets_and_counts_stay_live(search_backend, indexed):
    results = selectors.search_datasets(
        user=None, filters={"disease": ["AML"], "country": ["DE"]}, backend=search_backend
    )
    assert titles(results) == ["AML cohort München"]
    # Disjunctive counts: a facet's own selection does not narrow its counts; the others do.
    assert facet(results, "country") == {"DE": 1, "IT": 1}
    assert facet(results, "disease") == {"AML": 1}
    assert facet(results, "data_type") == {"clinical": 1, "wgs": 1}


def test_several_values_of_one_facet_are_alternatives(search_backend, indexed):
    results = selectors.search_datasets(user=None, filters={"country": ["DE", "ES"]}, backend=search_backend)
    assert sorted(titles(results)) == ["AML cohort München", "Myeloma registry Madrid"]


def test_selected_values_are_marked_and_labelled(search_backend, indexed):
    results = selectors.search_datasets(user=None, filters={"disease": ["AML", "CLL"]}, backend=search_backend)
    by_value = {count.value: count for count in results.facets["disease"]}
    assert by_value["AML"].selected and by_value["AML"].label == "Acute myeloid leukaemia"
    assert by_value["CLL"].selected and by_value["CLL"].count == 0


def test_text_and_facets_filter_variables(search_backend, indexed):
    results = selectors.search_variables(user=None, text="status", filters={"partner": ["fit"]}, backend=search_backend)
    assert names(results) == ["flt3_itd_status"]


# Sorting and paging ------------------------------------------------------------------------------


def test_sort_by_patient_count(search_backend, indexed):
    results = selectors.search_datasets(user=None, sort="patients", backend=search_backend)
    assert titles(results) == ["AML cohort München", "Myeloma registry Madrid", "AML relapse study"]


def test_sort_by_last_update(search_backend, indexed):
    Dataset.objects.filter(pk=indexed.madrid_myeloma.pk).update(title="Myeloma registry Madrid")
    indexed.madrid_myeloma.save()  # newest update
    sync(search_backend, [indexed.madrid_myeloma])
    results = selectors.search_datasets(user=None, sort="updated", backend=search_backend)
    assert titles(results)[0] == "Myeloma registry Madrid"


def test_totals_and_pages(search_backend, indexed):
    first = selectors.search_variables(user=None, page=1, page_size=3, sort="patients", backend=search_backend)
    second = selectors.search_variables(user=None, page=2, page_size=3, sort="patients", backend=search_backend)
    third = selectors.search_variables(user=None, page=3, page_size=3, sort="patients", backend=search_backend)
    assert first.total == second.total == third.total == 7
    assert [len(first.hits), len(second.hits), len(third.hits)] == [3, 3, 1]
    ids = [hit.document["id"] for page in (first, second, third) for hit in page.hits]
    assert len(set(ids)) == 7


# Permissions ----------------------------------------------------------------------------------------


def test_drafts_only_for_curators_of_their_partner(search_backend, indexed):
    cast = indexed.cast
    by_user = {
        "anonymous": None,
        "rita": cast.rita_researcher,
        "olga": cast.olga_owner_curator,
        "carl": cast.carl_other_curator,
        "ada": cast.ada_admin,
    }
    seen = {
        who: set(titles(selectors.search_datasets(user=user, text="draft", backend=search_backend)))
        for who, user in by_user.items()
    }
    assert seen == {
        "anonymous": set(),
        "rita": set(),
        "olga": {"Draft CLL cohort"},
        "carl": {"Draft Spanish CLL"},
        "ada": {"Draft CLL cohort", "Draft Spanish CLL"},
    }
    assert names(selectors.search_variables(user=cast.olga_owner_curator, text="ighv", backend=search_backend)) == [
        "ighv_status"
    ]
    assert names(selectors.search_variables(user=cast.carl_other_curator, text="ighv", backend=search_backend)) == []


def test_retired_only_on_request(search_backend, indexed):
    olga = indexed.cast.olga_owner_curator
    assert selectors.search_datasets(user=olga, text="retired", backend=search_backend).total == 0
    assert titles(
        selectors.search_datasets(user=olga, text="retired", include_retired=True, backend=search_backend)
    ) == ["Retired MDS cohort"]
    # The catalogue's rule: retired datasets, even on request, only for their partner's curators.
    assert selectors.search_datasets(user=None, text="retired", include_retired=True, backend=search_backend).total == 0


def test_facet_counts_respect_permissions(search_backend, indexed):
    anonymous = facet(selectors.search_datasets(user=None, backend=search_backend), "disease")
    admin = facet(selectors.search_datasets(user=indexed.cast.ada_admin, backend=search_backend), "disease")
    assert "CLL" not in anonymous
    assert admin["CLL"] == 1


# Suggestions -----------------------------------------------------------------------------------------


def test_suggestions_complete_titles_variable_names_concepts_and_diseases(search_backend, indexed):
    # The HGNC concept NPM1 is the same text as the variable npm1: suggested once.
    suggestions = selectors.suggest(user=None, prefix="npm", backend=search_backend)
    assert {(s.kind, s.text) for s in suggestions} == {("variable", "npm1"), ("variable", "npm1_status")}
    suggestions = selectors.suggest(user=None, prefix="Myel", backend=search_backend)
    assert [(s.kind, s.text, s.dataset_slug) for s in suggestions] == [
        ("dataset", "Myeloma registry Madrid", "myeloma-registry-madrid"),
        ("disease", "Myelodysplastic syndromes", ""),
        ("disease", "Myeloproliferative neoplasms", ""),
    ]
    suggestions = selectors.suggest(user=None, prefix="nucleo", backend=search_backend)
    assert [(s.kind, s.text) for s in suggestions] == [("concept", "nucleophosmin 1")]


def test_suggestions_fold_accents_and_hide_drafts(search_backend, indexed):
    assert [s.text for s in selectors.suggest(user=None, prefix="aml cohort mun", backend=search_backend)] == [
        "AML cohort München"
    ]
    assert selectors.suggest(user=None, prefix="ighv", backend=search_backend) == []
    olga = indexed.cast.olga_owner_curator
    assert [s.text for s in selectors.suggest(user=olga, prefix="ighv", backend=search_backend)] == ["ighv_status"]


# Feasibility ----------------------------------------------------------------------------------------


def test_feasibility_requires_every_concept(search_backend, indexed):
    result = selectors.feasibility(
        user=None, concepts=["HGNC:NPM1", "FLT3-ITD status", "ELN 2022 risk"], backend=search_backend
    )
    assert result.total_datasets == 1
    assert result.total_patients == 1200
    [dataset] = result.datasets
    assert dataset.dataset["title"] == "AML cohort München"
    assert [(m.concept, m.variable["name"]) for m in dataset.matches] == [
        ("HGNC:NPM1", "npm1_status"),
        ("FLT3-ITD status", "flt3_itd"),
        ("ELN 2022 risk", "eln2022_risk"),
    ]


def test_feasibility_by_concept_codes_sums_patients(search_backend, indexed):
    result = selectors.feasibility(user=None, concepts=["hgnc:npm1", "HGNC:FLT3"], backend=search_backend)
    assert [d.dataset["title"] for d in result.datasets] == ["AML cohort München", "AML relapse study"]
    assert result.total_patients == 1280
    assert [m.variable["name"] for m in result.datasets[1].matches] == ["npm1", "flt3_itd_status"]


def test_feasibility_min_patients_and_disease(search_backend, indexed):
    concepts = ["HGNC:NPM1", "HGNC:FLT3"]
    assert (
        selectors.feasibility(user=None, concepts=concepts, min_patients=100, backend=search_backend).total_datasets
        == 1
    )
    assert selectors.feasibility(user=None, concepts=concepts, disease="MM", backend=search_backend).total_datasets == 0
    assert (
        selectors.feasibility(user=None, concepts=concepts, disease="AML", backend=search_backend).total_datasets == 2
    )


def test_feasibility_respects_permissions(search_backend, indexed):
    assert (
        selectors.feasibility(user=None, concepts=["IGHV mutation status"], backend=search_backend).total_datasets == 0
    )
    olga = selectors.feasibility(
        user=indexed.cast.olga_owner_curator, concepts=["IGHV mutation status"], backend=search_backend
    )
    assert [d.dataset["title"] for d in olga.datasets] == ["Draft CLL cohort"]


# Keeping the index true ------------------------------------------------------------------------------


def test_changes_reach_the_index_through_the_outbox(search_backend, indexed):
    relapse = indexed.relapse_aml
    relapse.title = "AML relapse study (Núremberg)"
    relapse.save()
    relapse.variables.filter(name="npm1").delete()
    sync(search_backend, [relapse])
    assert titles(selectors.search_datasets(user=None, text="nuremberg", backend=search_backend)) == [
        "AML relapse study (Núremberg)"
    ]
    assert "npm1" not in names(selectors.search_variables(user=None, text="npm1", backend=search_backend))
    assert search_backend.check().clean


def test_deleted_datasets_leave_the_index(search_backend, indexed):
    madrid = indexed.madrid_myeloma
    madrid_id = madrid.pk
    madrid.variables.all().delete()
    madrid.consents.all().delete()
    madrid.delete()
    sync(search_backend, [madrid_id])
    assert selectors.search_datasets(user=None, text="madrid", backend=search_backend).total == 0
    assert selectors.search_variables(user=None, text="iss", backend=search_backend).total == 0
    assert search_backend.check().clean


def test_check_reports_missing_and_stale_documents(search_backend, indexed):
    assert search_backend.check().clean
    Dataset.objects.filter(pk=indexed.munich_aml.pk).update(patient_count=5)  # no outbox row: the index is stale
    extra = indexed.relapse_aml.variables.create(name="new_variable", value_type="text")  # never indexed
    differences = search_backend.check()
    # The relapse study's document is stale too: its variable count changed.
    assert differences.stale["datasets"] == sorted([indexed.munich_aml.pk, indexed.relapse_aml.pk])
    assert differences.missing["variables"] == [extra.pk]
    assert not differences.clean


def test_rebuild_indexes_everything(search_backend, indexed):
    search_backend.clear()
    assert selectors.search_datasets(user=None, backend=search_backend).total == 0
    counts = search_backend.rebuild(chunk_size=2)
    assert counts == {"datasets": Dataset.objects.count(), "variables": Variable.objects.count()}
    assert selectors.search_datasets(user=None, backend=search_backend).total == 3
    assert search_backend.check().clean
