"""The linguistics contract: what researchers type finds what dictionaries say, on every backend.

Spelling variants, stemming, hematology notation, abbreviations and translations from the
thesaurus, ranked partial matches, typo tolerance, category codes, and suggestions that stay
complete as the catalogue grows. One suite, parametrised over ``search_backend``; what a
backend cannot do is declared with ``xfail(strict=True)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from catalogue.models import Dataset, Variable
from catalogue.search import selectors
from catalogue.search.backends.base import SearchBackend
from catalogue.search.corrections import did_you_mean
from tests.catalogue.factories import DatasetFactory, PartnerFactory, VariableFactory
from tests.search.conftest import sync


@dataclass
class Lyon:
    registry: Dataset
    other: Dataset


@pytest.fixture
def lyon(search_backend: SearchBackend, db) -> Lyon:
    partner = PartnerFactory(name="Hospices Civils", short_name="HCL", country="FR")
    registry = DatasetFactory(
        partner=partner,
        title="Leukaemia registry Lyon",
        slug="leukaemia-registry-lyon",
        description="Adults with acute myeloid leukaemia treated with intensive chemotherapy.",
        diseases=["AML"],
    )
    variables = [
        ("hb_dx", "Haemoglobin at diagnosis", "", "g/dL", {}),
        ("wbc_dx", "White blood cell count at diagnosis", "", "x10^9/L", {}),
        ("cyto_t922", "Translocation t(9;22)(q34;q11)", "", "", {}),
        ("cyto_inv16", "inv(16)(p13q22) present", "", "", {}),
        ("cyto_plus8", "Trisomy 8", "", "", {}),
        ("cyto_minus7", "Monosomy 7", "Loss of chromosome 7 (-7)", "", {}),
        ("bcr_abl_ratio", "BCR::ABL1 transcript level", "International scale, percent", "", {}),
        ("os_months", "Overall survival", "Months from diagnosis to death or last follow-up", "months", {}),
        ("npm1_mut", "NPM1 mutation", "", "", {"0": "wild type", "1": "mutated"}),
        ("best_response", "Best response after induction", "", "", {"CRi": "CR with incomplete recovery"}),
        ("transfusions", "Red cell transfusions received", "Number of units before induction", "", {}),
    ]
    for name, label, description, unit, categories in variables:
        VariableFactory(
            dataset=registry, name=name, label=label, description=description, unit=unit, categories=categories
        )
    VariableFactory(
        dataset=registry,
        name="prior_infections",
        label="Prior infections",
        label_translations={
            "de": "Frühere Infektionen",
            "it": "Infezioni precedenti",
            "es": "Infecciones previas",
            "nl": "Eerdere infecties",
        },
    )
    other = DatasetFactory(partner=partner, title="Lymphoma cohort", slug="lymphoma-cohort", diseases=["DLBCL"])
    VariableFactory(dataset=other, name="ldh", label="Lactate dehydrogenase", unit="U/L")
    VariableFactory(dataset=other, name="stage", label="Ann Arbor stage")
    sync(search_backend)
    return Lyon(registry, other)


def variable_names(backend: SearchBackend, text: str, **options) -> list[str]:
    """The variables the words matched (semantic neighbours are the subject of test_semantic.py)."""
    results = selectors.search_variables(user=None, text=text, backend=backend, **options)
    return [hit.document["name"] for hit in results.hits if not hit.semantic_only]


def dataset_titles(backend: SearchBackend, text: str, **options) -> list[str]:
    """The datasets the words matched (semantic neighbours are the subject of test_semantic.py)."""
    results = selectors.search_datasets(user=None, text=text, backend=backend, **options)
    return [hit.document["title"] for hit in results.hits if not hit.semantic_only]


def test_british_and_american_spellings_find_each_other(search_backend, lyon):
    assert dataset_titles(search_backend, "leukemia registry") == ["Leukaemia registry Lyon"]
    assert dataset_titles(search_backend, "acute myeloid leukemia") == ["Leukaemia registry Lyon"]
    assert variable_names(search_backend, "hemoglobin")[0] == "hb_dx"
    assert variable_names(search_backend, "haemoglobin")[0] == "hb_dx"


@pytest.mark.parametrize(
    ("query", "language"),
    [("Infektion", "de"), ("infezione", "it"), ("infección", "es"), ("infectie", "nl"), ("infection", "en")],
)
def test_translated_labels_are_stemmed_in_their_language(search_backend, lyon, query, language):
    # The singular finds the plural of each translation, with the language given or not (first: typo
    # tolerance may add a lower-ranked near miss, "induction" for "infection").
    assert variable_names(search_backend, query, language=language)[0] == "prior_infections"
    assert variable_names(search_backend, query)[0] == "prior_infections"


def test_inflected_forms_match_by_stem(search_backend, lyon):
    assert variable_names(search_backend, "transcripts levels") == ["bcr_abl_ratio"]
    assert variable_names(search_backend, "transfusion")[0] == "transfusions"
    # Stemmed in French ("mutations" → "mutat") and German ("Patienten" → "patient") too.
    assert variable_names(search_backend, "mutations", language="fr")[0] == "npm1_mut"
    assert dataset_titles(search_backend, "Leukämie", language="de") == ["Leukaemia registry Lyon"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("t(9;22)", "cyto_t922"),
        ("t9;22", "cyto_t922"),
        ("t(9;22)(q34;q11)", "cyto_t922"),
        ("Philadelphia chromosome", "cyto_t922"),
        ("inv(16)", "cyto_inv16"),
        ("inv16", "cyto_inv16"),
        ("+8", "cyto_plus8"),
        ("trisomy 8", "cyto_plus8"),
        ("-7", "cyto_minus7"),
        ("monosomy 7", "cyto_minus7"),
        ("BCR-ABL1", "bcr_abl_ratio"),
        ("BCR/ABL1", "bcr_abl_ratio"),
        ("10*9/L", "wbc_dx"),
        ("G/L", "wbc_dx"),
    ],
)
def test_hematology_notation_written_differently_matches(search_backend, lyon, query, expected):
    assert expected in variable_names(search_backend, query), query


def test_notation_as_typed_ranks_above_its_synonyms(search_backend, lyon):
    # t(9;22) is the BCR::ABL1 fusion (thesaurus): both variables match, the one that says t(9;22) first.
    assert variable_names(search_backend, "t(9;22)")[:2] == ["cyto_t922", "bcr_abl_ratio"]
    assert variable_names(search_backend, "BCR::ABL1")[0] == "bcr_abl_ratio"


def test_abbreviations_and_translations_expand_through_the_thesaurus(search_backend, lyon):
    assert variable_names(search_backend, "Hb")[0] == "hb_dx"
    assert variable_names(search_backend, "WBC")[0] == "wbc_dx"
    assert variable_names(search_backend, "OS")[0] == "os_months"
    assert variable_names(search_backend, "LDH") == ["ldh"]
    assert variable_names(search_backend, "Gesamtüberleben")[0] == "os_months"
    assert variable_names(search_backend, "survie globale")[0] == "os_months"
    assert variable_names(search_backend, "emoglobina")[0] == "hb_dx"


def test_expanded_terms_explain_the_match(search_backend, lyon):
    results = selectors.search_variables(user=None, text="Hb", backend=search_backend)
    assert results.hits[0].document["name"] == "hb_dx"
    assert "hemoglobin" in results.expanded_terms
    assert "Hämoglobin" in results.expanded_terms
    assert "LOINC:718-7" in results.expanded_terms
    assert selectors.search_variables(user=None, text="transfusion", backend=search_backend).expanded_terms == []


def test_a_common_word_is_no_abbreviation_unless_capitalised(search_backend, lyon):
    # "all" is an English word; only "ALL" means acute lymphoblastic leukaemia.
    lower = selectors.search_variables(user=None, text="all transfusions", backend=search_backend)
    assert "acute lymphoblastic leukemia" not in lower.expanded_terms
    assert [hit.document["name"] for hit in lower.hits if not hit.semantic_only] == ["transfusions"]
    upper = selectors.search_datasets(user=None, text="ALL", backend=search_backend)
    assert "acute lymphoblastic leukemia" in upper.expanded_terms


def test_partial_matches_rank_instead_of_failing(search_backend, lyon):
    # A question spanning a label and a description, with words no document has.
    assert variable_names(search_backend, "overall survival months from diagnosis in adults")[0] == "os_months"
    # Stop words never have to match, in any language.
    assert variable_names(search_backend, "the haemoglobin at the diagnosis")[0] == "hb_dx"
    assert variable_names(search_backend, "Hämoglobin bei der Diagnose", language="de")[0] == "hb_dx"
    # The more of the question a variable answers, the higher it ranks.
    ranked = variable_names(search_backend, "white blood cell count diagnosis")
    assert ranked[0] == "wbc_dx"
    assert "hb_dx" not in ranked  # one word of five is not enough


def test_category_codes_and_labels_are_searchable(search_backend, lyon):
    assert variable_names(search_backend, "CRi") == ["best_response"]
    assert variable_names(search_backend, "wild type") == ["npm1_mut"]


def test_a_dataset_title_does_not_flood_its_variables(search_backend, lyon):
    assert dataset_titles(search_backend, "Lyon") == ["Leukaemia registry Lyon"]
    assert variable_names(search_backend, "Lyon") == []


def test_a_typo_finds_the_word_or_offers_the_correction(search_backend, lyon):
    results = selectors.search_variables(user=None, text="haemoglobn", backend=search_backend)
    found = [hit.document["name"] for hit in results.hits]
    if not found:
        assert results.did_you_mean == "hemoglobin"
        found = variable_names(search_backend, results.did_you_mean)
    assert found[0] == "hb_dx"


@pytest.mark.parametrize(
    "search_backend",
    [
        pytest.param(
            "database",
            marks=pytest.mark.xfail(
                strict=True,
                reason="The database backend has no fuzzy matching: a typo finds nothing, with a 'did you mean'.",
            ),
        ),
        pytest.param("elasticsearch", marks=pytest.mark.elasticsearch),
    ],
    indirect=True,
)
def test_a_typo_of_five_letters_or_more_still_matches(search_backend, lyon):
    assert variable_names(search_backend, "haemoglobn")[0] == "hb_dx"
    assert variable_names(search_backend, "tranfusions")[0] == "transfusions"


def test_nothing_found_and_nothing_close_offers_no_correction(search_backend, lyon):
    results = selectors.search_variables(user=None, text="qqqqqqq", backend=search_backend)
    assert results.total == 0 and results.did_you_mean is None


def test_suggestions_stay_complete_as_names_repeat_across_datasets(search_backend, db):
    partner = PartnerFactory()
    datasets = [DatasetFactory(partner=partner, title=f"Cohort {n}", slug=f"cohort-x{n}") for n in range(45)]
    Variable.objects.bulk_create(
        Variable(dataset=dataset, name=f"zz_common_{k}", label=f"Common {k}", position=k)
        for dataset in datasets
        for k in range(3)
    )
    Variable.objects.create(dataset=datasets[-1], name="zz_rare", label="Rare", position=9)
    sync(search_backend)
    suggestions = selectors.suggest(user=None, prefix="zz", limit=10, backend=search_backend)
    assert sorted(s.text for s in suggestions if s.kind == "variable") == [
        "zz_common_0",
        "zz_common_1",
        "zz_common_2",
        "zz_rare",
    ]


def test_did_you_mean_corrects_each_unknown_word_to_a_published_catalogue_word(db):
    VariableFactory(name="ldh", label="Lactate dehydrogenase")
    VariableFactory(dataset=DatasetFactory(status="draft", published_at=None), label="Secretword frequency")
    assert did_you_mean("lactate dehydrogenaze") == "lactate dehydrogenase"
    assert did_you_mean("lactate dehydrogenase") is None  # nothing to correct
    assert did_you_mean("secretwort") is None  # a draft's words are never offered
    assert did_you_mean("leukemai") == "leukemia"  # the thesaurus counts as vocabulary


def test_dataset_hits_list_the_variables_that_matched(search_backend, lyon):
    results = selectors.search_datasets(
        user=None, text="haemoglobin white blood cell count", with_matched_variables=True, backend=search_backend
    )
    [hit] = results.hits
    assert hit.document["title"] == "Leukaemia registry Lyon"
    matched = {variable.document["name"]: variable.highlights for variable in hit.matched_variables}
    assert set(matched) == {"wbc_dx", "hb_dx"}  # each answers part of the question
    assert matched["hb_dx"]["label"] == "<mark>Haemoglobin</mark> at diagnosis"
    browse = selectors.search_datasets(user=None, with_matched_variables=True, backend=search_backend)
    assert browse.hits[0].matched_variables == []


def test_a_disease_in_the_query_joins_a_gene_with_the_datasets_of_that_disease(search_backend, db):
    """Variables carry their dataset's disease names and codes as low-weight context: "LAM FLT3" (French for
    AML) finds FLT3 variables of AML cohorts, ahead of a FLT3 variable elsewhere, and never outranks a label."""
    partner = PartnerFactory(name="Hôpital Saint-Louis", short_name="HSL", country="FR")
    aml = DatasetFactory(partner=partner, title="Cohorte Saint-Louis", slug="cohorte-saint-louis", diseases=["AML"])
    cml = DatasetFactory(partner=partner, title="Registre Paris", slug="registre-paris", diseases=["CML"])
    VariableFactory(dataset=aml, name="flt3", label="FLT3 mutation")
    VariableFactory(dataset=aml, name="wbc", label="White blood cell count")
    VariableFactory(dataset=cml, name="flt3_cml", label="FLT3 mutation")
    VariableFactory(dataset=cml, name="aml_transformation", label="Transformation to AML")
    sync(search_backend)
    names = [
        hit.document["name"]
        for hit in selectors.search_variables(user=None, text="LAM FLT3", backend=search_backend).hits
    ]
    assert names[0] == "flt3", names
    assert "wbc" not in names[:2]  # a disease alone is context, not a match of the variable
    names = [
        hit.document["name"] for hit in selectors.search_variables(user=None, text="AML", backend=search_backend).hits
    ]
    assert names[0] == "aml_transformation", names  # the label's own word beats the dataset's disease
    hit = selectors.search_variables(user=None, text="FLT3", backend=search_backend).hits[0]
    assert "context" not in hit.document  # search text stays internal
