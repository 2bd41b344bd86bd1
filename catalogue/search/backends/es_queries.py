"""Request bodies of the Elasticsearch backend: lexical ranking, filters, facets, sorting (pure: no client).

Everything here builds plain dictionaries, so the benchmark can send exactly what the API sends. The
filters a hit must pass whatever its text (visibility, intended use, facet selections) are built once here
and shared by the lexical and the semantic leg (:mod:`.es_knn`), so neither can leak a document.
"""

from __future__ import annotations

from typing import Any

from catalogue.search.backends.base import (
    INTERNAL_FIELDS,
    MAX_RESULT_WINDOW,
    ConceptTerm,
    SearchRequest,
    Visibility,
)
from catalogue.search.query import AnalysedQuery, Clause

FACET_SIZE = 100
EXACT_MATCH_BOOST = 10.0
PHRASE_BOOST = 2.0
PRIMARY_BOOST = 3.0
CONTEXT_BOOST = 0.3  # a variable's dataset diseases: enough to join "FLT3" with "AML", never to outrank a label
FUZZY_BOOST = 0.5
EXPANSION_BOOST = 0.8
OPTIONAL_BOOST = 0.2


def selected_facets(request: SearchRequest, facet_names: tuple[str, ...]) -> dict[str, list[str]]:
    """The request's facet selections that apply to this document type."""
    return {name: values for name, values in request.active_filters().items() if name in facet_names}


def facet_filter(name: str, values: list[str]) -> dict[str, Any]:
    return {"terms": {f"facets.{name}": values}}


def search_body(request: SearchRequest, facet_names: tuple[str, ...], doc_type: str) -> dict[str, Any]:
    """The lexical request body of a search: text in ``query``, facet selections in ``post_filter`` so each
    facet's aggregation can apply every selection but its own (disjunctive counts)."""
    if request.offset + request.page_size > MAX_RESULT_WINDOW:
        raise ValueError(f"Results beyond the first {MAX_RESULT_WINDOW} cannot be paged to.")
    analysed = request.analysed
    facet_filters = {name: facet_filter(name, values) for name, values in selected_facets(request, facet_names).items()}
    query: dict[str, Any] = {"bool": {"filter": base_filters(request, doc_type)}}
    if analysed:
        query["bool"]["must"] = [lexical_query(analysed, minimum_should_match=request.minimum_should_match)]
    body: dict[str, Any] = {
        "query": query,
        "sort": sort_clause(request.sort, bool(analysed)),
        "from": request.offset,
        "size": request.page_size,
        "track_total_hits": True,
        "_source": {"excludes": list(INTERNAL_FIELDS)},
    }
    if facet_filters:
        body["post_filter"] = {"bool": {"filter": list(facet_filters.values())}}
    if request.with_facets:
        body["aggs"] = {
            name: {
                "filter": {"bool": {"filter": [f for other, f in facet_filters.items() if other != name]}},
                "aggs": {
                    "values": {
                        "terms": {
                            "field": f"facets.{name}",
                            "size": FACET_SIZE,
                            "order": [{"_count": "desc"}, {"_key": "asc"}],
                        }
                    }
                },
            }
            for name in facet_names
        }
    return body


# `context` exists on variables only; a field missing from an index matches nothing there.
_TEXT_FIELDS = [f"primary^{PRIMARY_BOOST}", "secondary", f"context^{CONTEXT_BOOST}"]


def lexical_query(analysed: AnalysedQuery, *, minimum_should_match: int | None = None) -> dict[str, Any]:
    """The ranked lexical query of an analysed text: one ``should`` clause per query word or thesaurus
    phrase, of which ``minimum_should_match`` (default: the analysed query's) must match (stop words
    only add to the score), plus boosts for the query as a phrase and for an exact title or name.
    No scripts, a bounded number of alternatives per clause: as cheap as the all-words query it replaces."""
    required = [_clause_query(clause) for clause in analysed.required]
    should: list[dict[str, Any]] = [
        {"bool": {"should": [_clause_query(clause)], "boost": OPTIONAL_BOOST}} for clause in analysed.optional
    ]
    if analysed.phrase:
        should.append({"match_phrase": {"primary": {"query": " ".join(analysed.phrase), "boost": PHRASE_BOOST}}})
    if analysed.exact:
        should.append({"term": {"exact": {"value": analysed.exact, "boost": EXACT_MATCH_BOOST}}})
    return {
        "bool": {
            "must": [
                {
                    "bool": {
                        "should": required,
                        "minimum_should_match": minimum_should_match or analysed.minimum_should_match,
                    }
                }
            ],
            "should": should,
        }
    }


def _clause_query(clause: Clause) -> dict[str, Any]:
    """A clause matches through its best alternative (``dis_max``: synonyms do not add up)."""
    queries: list[dict[str, Any]] = []
    for alternative in clause.alternatives:
        # A synonym of n words scores about n single-word matches: divide, so it does not outrank the words typed.
        boost = EXPANSION_BOOST / max(1, len(alternative.terms)) if alternative.expansion else 1.0
        if alternative.concept_key is not None:
            queries.append(
                {"term": {"concept_keys": {"value": alternative.concept_key, "boost": PRIMARY_BOOST * boost}}}
            )
        elif len(alternative.terms) == 1:
            queries.append({"multi_match": {"query": alternative.terms[0], "fields": _TEXT_FIELDS, "boost": boost}})
        else:
            queries.append(
                {
                    "multi_match": {
                        "query": " ".join(alternative.terms),
                        "fields": _TEXT_FIELDS,
                        "type": "cross_fields",
                        "operator": "and",
                        "boost": boost,
                    }
                }
            )
    if clause.fuzzy:
        queries.append(
            {
                "multi_match": {
                    "query": clause.fuzzy,
                    "fields": _TEXT_FIELDS,
                    "fuzziness": "AUTO",
                    "prefix_length": 1,
                    "boost": FUZZY_BOOST,
                }
            }
        )
    return queries[0] if len(queries) == 1 else {"dis_max": {"queries": queries}}


def concept_filter(term: ConceptTerm) -> dict[str, Any]:
    if term.concept_key is not None:
        return {"term": {"concept_keys": term.concept_key}}
    if not term.tokens:
        return {"bool": {"must_not": [{"match_all": {}}]}}
    return {"match": {"primary": {"query": " ".join(term.tokens), "operator": "and"}}}


def base_filters(request: SearchRequest, doc_type: str) -> list[dict[str, Any]]:
    """What every hit of ``request`` must satisfy whatever its text: visibility, and the intended-use
    restriction to ``request.dataset_ids`` (lexical and kNN legs share these, so neither leaks)."""
    filters = [visibility_filter(request.visibility)]
    if request.dataset_ids is not None:
        field = "id" if doc_type == "datasets" else "dataset_id"
        filters.append({"terms": {field: sorted(request.dataset_ids)}})
    return filters


def visibility_filter(visibility: Visibility) -> dict[str, Any]:
    allowed: list[dict[str, Any]] = [{"terms": {"status": sorted(visibility.statuses)}}]
    if visibility.curated_statuses and visibility.all_partners:
        allowed.append({"terms": {"status": sorted(visibility.curated_statuses)}})
    elif visibility.curated_statuses and visibility.curated_partner_ids:
        allowed.append(
            {
                "bool": {
                    "filter": [
                        {"terms": {"status": sorted(visibility.curated_statuses)}},
                        {"terms": {"partner_id": sorted(visibility.curated_partner_ids)}},
                    ]
                }
            }
        )
    return {"bool": {"should": allowed, "minimum_should_match": 1}}


def suggest_contexts(visibility: Visibility) -> list[str]:
    contexts = sorted(visibility.statuses)
    if visibility.all_partners:
        contexts += sorted(visibility.curated_statuses)
    else:
        contexts += [
            f"{status}-{partner_id}"
            for status in sorted(visibility.curated_statuses)
            for partner_id in sorted(visibility.curated_partner_ids)
        ]
    return contexts


def sort_clause(sort: str, has_text: bool) -> list[Any]:
    if sort == "patients":
        return [{"patient_count": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
    if sort == "updated" or not has_text:
        return [{"updated_at": "desc"}, {"id": "asc"}]
    return ["_score", {"updated_at": "desc"}, {"id": "asc"}]
