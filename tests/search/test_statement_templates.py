"""The database backend's compiled statements per query shape (``catalogue.search.backends.database_statements``).

On PostgreSQL a search's SQL comes from a template compiled once per shape, its values bound per request; the
builder is the ORM code either way. What users rely on: a search answers exactly what the ORM-built SQL
answers, so here the bound statements of many searches (texts with thesaurus expansions, concept codes, phrases
and stop words; facet selections; every sort; pages; the visibilities of an anonymous visitor, a curator and an
administrator; an intended-use restriction) must equal, character for character and parameter for parameter, the
statements built directly for the same search — while searches of one shape share one template. Nothing here is
mocked: the statements are compiled for the PostgreSQL database of the test run, and some are run on it.
"""

from __future__ import annotations

import itertools

import pytest
from django.db import connection

from catalogue.search.backends.base import SearchRequest, Visibility
from catalogue.search.backends.database import DatabaseSearchBackend
from catalogue.search.backends.database_statements import (
    LexicalQuery,
    SemanticQuery,
    forget_templates,
    lexical_statements,
    lexical_template,
    semantic_statement,
)
from catalogue.search.facets import DATASET_FACETS, VARIABLE_FACETS
from catalogue.search.models import DatasetEntry, VariableEntry
from catalogue.search.query import Alternative, AnalysedQuery, Clause

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ANONYMOUS = Visibility(statuses=frozenset({"published"}))
CURATOR = Visibility(
    statuses=frozenset({"published"}), curated_statuses=frozenset({"draft"}), curated_partner_ids=frozenset({7, 3})
)
ADMIN = Visibility(
    statuses=frozenset({"published"}), curated_statuses=frozenset({"draft", "retired"}), all_partners=True
)
TEXTS = [
    "",
    "aml",
    "npm1",
    "runx1",
    "tp53",
    "hemoglobin",  # expands to a LOINC code: a concept-key alternative
    "date of diagnosis",
    "München Kohorte",
    "the of",
    "acute myeloid leukaemia with npm1",
    "flt3-itd status",
]
FILTERS = [
    {},
    {"disease": ["AML"]},
    {"disease": ["MM", "AML", "AML"], "country": ["FR", "DE"]},
    {"value_type": ["decimal"], "duo_permission": ["HMB"]},
]
SORTS = ["relevance", "patients", "updated"]
_DATASETS = (DatasetEntry, DATASET_FACETS)
_VARIABLES = (VariableEntry, VARIABLE_FACETS)

direct = DatabaseSearchBackend._lexical_statements


def _requests() -> list[tuple[SearchRequest, type, tuple[str, ...]]]:
    requests = []
    for index, (text, filters, sort) in enumerate(itertools.product(TEXTS, FILTERS, SORTS)):
        model, facets = (VariableEntry, VARIABLE_FACETS) if index % 2 else (DatasetEntry, DATASET_FACETS)
        visibility = (ANONYMOUS, CURATOR, ADMIN)[index % 3]
        requests.append(
            (
                SearchRequest(
                    visibility=visibility,
                    text=text,
                    filters=filters,
                    sort=sort,
                    page=1 + index % 2,
                    page_size=20,
                    with_facets=index % 5 != 0,
                    match_any=index % 7 == 0,
                    dataset_ids=frozenset({11, 5, 8}) if index % 4 == 0 else None,
                ),
                model,
                facets,
            )
        )
    return requests


@pytest.fixture(autouse=True)
def _no_templates():
    forget_templates()
    yield
    forget_templates()


def test_bound_statements_equal_the_statements_built_directly():
    requests = _requests()
    for request, model, facets in requests:
        query = LexicalQuery.of(request, model, facets)
        assert lexical_statements(query, direct) == direct(query), (request, model)
    # And again, now that every shape has its template: bound from the cache, still the same statements.
    for request, model, facets in reversed(requests):
        query = LexicalQuery.of(request, model, facets)
        assert lexical_statements(query, direct) == direct(query), (request, model)


def test_searches_of_one_shape_share_a_template_and_keep_their_own_values():
    flt3 = LexicalQuery.of(SearchRequest(visibility=ANONYMOUS, text="flt3", filters={"disease": ["AML"]}), *_VARIABLES)
    runx1 = LexicalQuery.of(
        SearchRequest(visibility=ANONYMOUS, text="runx1", filters={"disease": ["MDS"]}), *_VARIABLES
    )
    flt3_template, flt3_values = lexical_template(flt3)
    runx1_template, runx1_values = lexical_template(runx1)
    assert flt3_template == runx1_template
    assert "flt3" in flt3_values.texts and "runx1" in runx1_values.texts

    compiled = []

    def counting(query: LexicalQuery):
        compiled.append(query)
        return direct(query)

    built = [lexical_statements(flt3, counting), lexical_statements(runx1, counting)]
    assert len(compiled) == 1  # the second search was bound from the first one's template
    assert built == [direct(flt3), direct(runx1)]
    assert built[0].page != built[1].page


def test_a_shape_differs_by_structure_not_by_values():
    def template(text: str, **options):
        return lexical_template(LexicalQuery.of(SearchRequest(visibility=ANONYMOUS, text=text, **options), *_DATASETS))[
            0
        ]

    assert template("flt3") == template("runx1") == template("kras")  # one word, no expansion
    assert template("wgs") == template("munchen")  # one word with two stems
    assert template("flt3") != template("wgs")
    assert template("flt3") != template("flt3", sort="patients")
    assert template("flt3") != template("flt3", page=2)
    assert template("flt3") != template("flt3", filters={"disease": ["AML", "MM"]})
    assert template("flt3", filters={"disease": ["AML"]}) != template("flt3", filters={"country": ["AML"]})


def test_a_value_the_orm_would_escape_in_like_is_built_directly():
    clause = Clause(text="x", alternatives=(Alternative(terms=("x",)),))
    analysed = AnalysedQuery(
        text="100% x_y",
        languages=("en",),
        clauses=(clause, clause),
        phrase=("100%", "x_y"),
        exact="100% x_y",
        expanded_terms=(),
    )
    query = LexicalQuery(
        model=VariableEntry,
        visibility=ANONYMOUS,
        dataset_ids=None,
        analysed=analysed,
        minimum=2,
        selected=(),
        facet_names=VARIABLE_FACETS,
        sort="relevance",
        offset=0,
        limit=20,
        with_facets=True,
    )
    assert not lexical_template(query)[1].cacheable
    assert lexical_statements(query, direct) == direct(query)
    assert r"% 100\% x\_y %" in direct(query).page[1]


def test_the_semantic_statement_is_bound_like_the_lexical_ones():
    hashes = [f"{n:032x}" for n in range(40)]
    queries = [
        SemanticQuery.of(SearchRequest(visibility=visibility, text="aml", filters=filters), model, facets, keys, 25)
        for visibility, filters, (model, facets), keys in itertools.product(
            (ANONYMOUS, CURATOR), FILTERS[:3], (_DATASETS, _VARIABLES), (tuple(hashes[:30]), tuple(hashes[10:]))
        )
    ]
    for query in [*queries, *queries]:
        assert semantic_statement(query, DatabaseSearchBackend._semantic_statement) == (
            DatabaseSearchBackend._semantic_statement(query)
        )


def test_bound_statements_run(corpus):
    """The bound statements are valid SQL that answers: counted, paged and faceted on the real tables."""
    DatabaseSearchBackend().rebuild()
    for request, model, facets in _requests()[:24]:
        statements = lexical_statements(LexicalQuery.of(request, model, facets), direct)
        with connection.cursor() as cursor:
            cursor.execute(*statements.count)
            assert cursor.fetchone()[0] >= 0
            cursor.execute(*statements.page)
            cursor.fetchall()
            if statements.facets is not None:
                cursor.execute(*statements.facets)
                cursor.fetchall()
