"""Search reads that carry rules: who may see what, and how results are labelled.

Every search entry point (API, pages, commands) goes through these functions, so the
permission rule is applied in one place: published datasets for everyone; drafts only for
curators of their partner (guardian ``catalogue.manage_datasets`` on the partner) and
superusers; retired datasets only when ``include_retired`` is asked for, and then (like drafts)
only for curators of their partner and superusers — the rule of ``catalogue.selectors``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from catalogue.consent_matching import IntendedUse
from catalogue.models import Concept, DatasetStatus, DiseaseArea
from catalogue.search.analysis import exact_form
from catalogue.search.backends import get_search_backend
from catalogue.search.backends.base import (
    FacetCount,
    FeasibilityRequest,
    FeasibilityResults,
    Hit,
    SearchBackend,
    SearchRequest,
    SearchResults,
    Suggestion,
    Visibility,
)
from catalogue.search.corrections import did_you_mean
from catalogue.search.facets import facet_value_labels
from catalogue.search.intended_use import dataset_ids_with_verdict, verdicts_for
from catalogue.selectors import partners_curated_by


def visibility_for(user: AbstractBaseUser | AnonymousUser | None, *, include_retired: bool = False) -> Visibility:
    """The search form of the catalogue's visibility rule (``catalogue.selectors.datasets_visible_to``)."""
    public = frozenset({DatasetStatus.PUBLISHED.value})
    curated_statuses = {DatasetStatus.DRAFT.value}
    if include_retired:
        curated_statuses.add(DatasetStatus.RETIRED.value)
    if user is None or not user.is_authenticated or not user.is_active:
        return Visibility(statuses=public)
    if user.is_superuser:
        return Visibility(statuses=public, curated_statuses=frozenset(curated_statuses), all_partners=True)
    return Visibility(
        statuses=public,
        curated_statuses=frozenset(curated_statuses),
        curated_partner_ids=frozenset(partners_curated_by(user).values_list("pk", flat=True)),
    )


def _label(results: SearchResults, filters: Mapping[str, Collection[str]]) -> SearchResults:
    """Fill in facet value labels and mark selected values (kept even when their count is 0)."""
    labels = facet_value_labels()
    for name, counts in results.facets.items():
        selected = set(filters.get(name, ()))
        present = {count.value for count in counts}
        for count in counts:
            count.label = labels.get(name, {}).get(count.value, count.value)
            count.selected = count.value in selected
        for value in sorted(selected - present):
            counts.append(FacetCount(value=value, count=0, label=labels.get(name, {}).get(value, value), selected=True))
    return results


def _request(
    user: AbstractBaseUser | AnonymousUser | None,
    text: str,
    filters: Mapping[str, Collection[str]] | None,
    sort: str,
    page: int,
    page_size: int,
    include_retired: bool,
    with_facets: bool,
    intended_use: IntendedUse | None,
    use_verdicts: Collection[str],
    language: str | None,
) -> SearchRequest:
    """The backend query for a dataset or variable search, with the user's visibility applied and, when
    ``use_verdicts`` are asked for, restricted to the datasets whose verdict for ``intended_use`` is one."""
    return SearchRequest(
        visibility=visibility_for(user, include_retired=include_retired),
        text=text,
        filters=filters or {},
        sort=sort,
        page=page,
        page_size=page_size,
        with_facets=with_facets,
        dataset_ids=dataset_ids_with_verdict(intended_use, use_verdicts)
        if intended_use is not None and use_verdicts
        else None,
        language=language,
    )


def _with_verdicts(results: SearchResults, intended_use: IntendedUse | None, id_field: str) -> SearchResults:
    """Each hit's dataset verdict for ``intended_use`` (one batch for the page: a constant number of queries)."""
    if intended_use is None or not results.hits:
        return results
    verdicts = verdicts_for(intended_use, {hit.document[id_field] for hit in results.hits})
    for hit in results.hits:
        hit.use_verdict = verdicts[hit.document[id_field]]
    return results


MATCHED_VARIABLES_PER_DATASET = 3
MATCHED_VARIABLES_WINDOW = 100


def _with_matched_variables(results: SearchResults, request: SearchRequest, backend: SearchBackend) -> SearchResults:
    """Each dataset hit's best-matching variables (up to three, highlighted): one variable search over
    the page's datasets, so the cost is one backend request per page whatever its size."""
    if not request.analysed or not results.hits:
        return results
    variables = backend.search_variables(
        SearchRequest(
            visibility=request.visibility,
            text=request.text,
            language=request.language,
            dataset_ids=frozenset(hit.document["id"] for hit in results.hits),
            page_size=MATCHED_VARIABLES_WINDOW,
            with_facets=False,
            match_any=True,  # the dataset matched the whole question; each variable may answer part of it
        )
    )
    by_dataset: dict[int, list[Hit]] = {}
    for variable in variables.hits:
        found = by_dataset.setdefault(variable.document["dataset_id"], [])
        if len(found) < MATCHED_VARIABLES_PER_DATASET:
            found.append(variable)
    for hit in results.hits:
        hit.matched_variables = by_dataset.get(hit.document["id"], [])
    return results


def _explain(results: SearchResults, request: SearchRequest) -> SearchResults:
    """What the thesaurus added to the query, and a corrected query when nothing matched."""
    results.expanded_terms = list(request.analysed.expanded_terms)
    # Offered when no word matched, even if semantic neighbours were found (a typo may still be one).
    if results.total == results.semantic_only and request.text.strip():
        results.did_you_mean = did_you_mean(request.text)
    return results


def search_datasets(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    text: str = "",
    filters: Mapping[str, Collection[str]] | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 20,
    include_retired: bool = False,
    with_facets: bool = True,
    intended_use: IntendedUse | None = None,
    use_verdicts: Collection[str] = (),
    language: str | None = None,
    with_matched_variables: bool = False,
    backend: SearchBackend | None = None,
) -> SearchResults:
    """Datasets matching ``text`` and ``filters`` that ``user`` may see, with facet counts; with an
    ``intended_use``, each hit carries its consents' verdict, and ``use_verdicts`` keeps only those verdicts.

    ``language``: the ISO code ``text`` is written in (None: any supported language).
    ``with_matched_variables``: fill each hit's best-matching variables (one more backend request).
    """
    request = _request(
        user, text, filters, sort, page, page_size, include_retired, with_facets, intended_use, use_verdicts, language
    )
    backend = backend or get_search_backend()
    results = backend.search_datasets(request)
    if with_matched_variables:
        results = _with_matched_variables(results, request, backend)
    return _explain(_with_verdicts(_label(results, request.filters), intended_use, "id"), request)


def search_variables(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    text: str = "",
    filters: Mapping[str, Collection[str]] | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 20,
    include_retired: bool = False,
    with_facets: bool = True,
    intended_use: IntendedUse | None = None,
    use_verdicts: Collection[str] = (),
    language: str | None = None,
    backend: SearchBackend | None = None,
) -> SearchResults:
    """Variables of datasets ``user`` may see, matching ``text`` and the (dataset) ``filters``; intended use
    as for :func:`search_datasets`, judged by each variable's dataset.

    ``language``: the ISO code ``text`` is written in (None: any supported language).
    """
    request = _request(
        user, text, filters, sort, page, page_size, include_retired, with_facets, intended_use, use_verdicts, language
    )
    results = (backend or get_search_backend()).search_variables(request)
    return _explain(_with_verdicts(_label(results, request.filters), intended_use, "dataset_id"), request)


def suggest(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    prefix: str,
    limit: int = 10,
    backend: SearchBackend | None = None,
) -> list[Suggestion]:
    """As-you-type suggestions: dataset titles, variable names, concept names and disease names
    starting with ``prefix`` (accents and spelling variants ignored for titles and names), each text once."""
    found = (backend or get_search_backend()).suggest(prefix, visibility=visibility_for(user), limit=limit)
    text = prefix.strip()
    if text:
        diseases = DiseaseArea.objects.filter(Q(name__istartswith=text) | Q(code__istartswith=text)).order_by("name")
        found.extend(Suggestion(text=name, kind="disease") for name in diseases.values_list("name", flat=True)[:limit])
        concepts = Concept.objects.filter(Q(name__istartswith=text) | Q(code__istartswith=text)).order_by("name")
        for code, name in concepts.values_list("code", "name").distinct()[:limit]:
            # The text that starts with what was typed: "NPM1" for "npm", "nucleophosmin 1" for "nucleo".
            shown = name if exact_form(name).startswith(exact_form(text)) else code
            found.append(Suggestion(text=shown, kind="concept"))
    seen: set[str] = set()
    unique: list[Suggestion] = []
    for suggestion in found:
        key = exact_form(suggestion.text)
        if key not in seen:
            seen.add(key)
            unique.append(suggestion)
    return unique


def feasibility(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    concepts: Collection[str],
    min_patients: int | None = None,
    disease: str | None = None,
    include_retired: bool = False,
    limit: int = 50,
    backend: SearchBackend | None = None,
) -> FeasibilityResults:
    """Datasets ``user`` may see that hold a variable for every one of ``concepts``."""
    request = FeasibilityRequest(
        visibility=visibility_for(user, include_retired=include_retired),
        concepts=tuple(concepts),
        min_patients=min_patients,
        disease=disease,
        limit=limit,
    )
    return (backend or get_search_backend()).feasibility(request)
