"""The search-backend interface: what every backend answers, and the value objects it answers with.

A backend knows documents, never users: the caller (``catalogue.search.selectors``) turns the
user into a :class:`Visibility` first, so the permission rule lives in one place and every
backend applies the same one. The contract suite in ``tests/search/test_contract.py`` runs
unchanged against every implementation.
"""

from __future__ import annotations

import abc
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from catalogue.models import DatasetStatus
from catalogue.search.documents import Document, iter_all_documents
from catalogue.search.fusion import reciprocal_rank_fusion
from catalogue.search.highlighting import highlight
from catalogue.search.query import AnalysedQuery, ConceptTerm, analyse_query

__all__ = ["ConceptTerm"]  # re-exported: backends take every value object from here

if TYPE_CHECKING:
    from catalogue.search.intended_use import UseVerdict

SORTS = ("relevance", "patients", "updated")
MAX_RESULT_WINDOW = 10_000


class SearchUnavailable(RuntimeError):
    """The search backend cannot be reached (or timed out): the query was not run.

    Backends raise it instead of their client's connection errors, so callers answer
    "search is unavailable, try again" (HTTP 503) instead of a server error.
    """


@dataclass(frozen=True)
class Visibility:
    """Which documents a searcher may see (built by ``catalogue.search.selectors.visibility_for``).

    A document is visible when its status is in ``statuses`` (published, for everyone), or its
    status is in ``curated_statuses`` (draft, plus retired when asked for) and its partner is one
    of ``curated_partner_ids`` (or any partner, when ``all_partners``: superusers).
    """

    statuses: frozenset[str] = frozenset({DatasetStatus.PUBLISHED.value})
    curated_statuses: frozenset[str] = frozenset()
    curated_partner_ids: frozenset[int] = frozenset()
    all_partners: bool = False


@dataclass(frozen=True)
class SearchRequest:
    """A free-text, faceted, sorted, paged query over one document type.

    ``language`` is the ISO code the text is written in (None: unknown, every supported stemmer
    applies); ``dataset_ids`` restricts the search to those datasets (a dataset hit's matched variables).
    """

    visibility: Visibility
    text: str = ""
    filters: Mapping[str, Collection[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20
    with_facets: bool = True
    language: str | None = None
    match_any: bool = False  # a hit needs only one of the text's clauses (a dataset's matched variables)
    # Only these datasets (or their variables), when set: the application's intended-use filter
    # (catalogue.search.intended_use) hands the backend the ids whose consents admit the use.
    dataset_ids: frozenset[int] | None = None

    @property
    def minimum_should_match(self) -> int:
        """How many of the text's required clauses a hit must match (one, when ``match_any``)."""
        return 1 if self.match_any else self.analysed.minimum_should_match

    @cached_property
    def analysed(self) -> AnalysedQuery:
        """The text's ranked-matching clauses (see :func:`catalogue.search.query.analyse_query`)."""
        return analyse_query(self.text, self.language)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def active_filters(self) -> dict[str, list[str]]:
        return {name: sorted(set(values)) for name, values in self.filters.items() if values}


@dataclass
class Hit:
    document: Document
    score: float | None
    highlights: dict[str, str]
    use_verdict: UseVerdict | None = None  # filled by the selectors when an intended use is stated
    semantic_only: bool = False  # found by the semantic leg alone: similar in meaning, no word matched
    # Dataset hits of a text search: the dataset's best-matching variables (filled by the selectors).
    matched_variables: list[Hit] = field(default_factory=list)


@dataclass
class FacetCount:
    value: str
    count: int
    label: str = ""
    selected: bool = False


@dataclass
class SearchResults:
    """``expanded_terms``: what the thesaurus added to the query; ``did_you_mean``: a corrected query
    offered when nothing matched (both filled in by the selectors, the same for every backend)."""

    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    expanded_terms: list[str] = field(default_factory=list)
    did_you_mean: str | None = None
    # Whether semantic (kNN) matches were fused into ``hits``; if a relevance search could not use them, why;
    # how many of ``total`` only the semantic leg found (none of the words matched them).
    semantic_used: bool = False
    semantic_note: str = ""
    semantic_only: int = 0


SUGGESTION_KINDS = ("dataset", "variable", "concept", "disease")


@dataclass(frozen=True)
class Suggestion:
    text: str
    kind: str  # one of SUGGESTION_KINDS
    dataset_slug: str = ""  # datasets and variables: where the suggestion leads


@dataclass(frozen=True)
class FeasibilityRequest:
    """Datasets holding a variable for *every* concept (a concept code like "HGNC:NPM1", or words)."""

    visibility: Visibility
    concepts: tuple[str, ...]
    min_patients: int | None = None
    disease: str | None = None
    limit: int = 50


@dataclass
class FeasibilityMatch:
    concept: str
    variable: Document


@dataclass
class FeasibilityDataset:
    dataset: Document
    matches: list[FeasibilityMatch]


@dataclass
class FeasibilityResults:
    total_datasets: int
    total_patients: int
    datasets: list[FeasibilityDataset]


@dataclass
class IndexDifferences:
    """What ``search_check`` reports: ids in the database but not the index, the reverse, and stale ones."""

    missing: dict[str, list[int]] = field(default_factory=dict)
    extra: dict[str, list[int]] = field(default_factory=dict)
    stale: dict[str, list[int]] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not any(ids for group in (self.missing, self.extra, self.stale) for ids in group.values())


DATASET_HIGHLIGHT_FIELDS = ("title", "description", "partner_name")
VARIABLE_HIGHLIGHT_FIELDS = ("name", "label", "description")


def highlights_for(document: Document, query_terms: Iterable[str], fields: tuple[str, ...]) -> dict[str, str]:
    """``<mark>`` highlights of the display fields that contain a query term (accents, spelling and
    inflection ignored: the analysed forms of each displayed word are compared)."""
    query_terms = tuple(query_terms)
    if not query_terms:
        return {}
    found = {}
    for name in fields:
        marked = highlight(str(document.get(name) or ""), query_terms)
        if marked:
            found[name] = marked
    return found


INTERNAL_FIELDS = ("exact", "primary", "secondary", "context", "digest", "suggest", "sync_token", "text_hash")


def display_document(document: Document) -> Document:
    """A document without its normalised search text and bookkeeping, as returned to callers."""
    return {key: value for key, value in document.items() if key not in INTERNAL_FIELDS}


# Semantic leg and fusion (shared by the backends) ---------------------------------------------


def wants_semantic(request: SearchRequest) -> bool:
    """Semantic matches join a search only when it has text and is ranked by relevance (a sort by patients or
    date has no rank to fuse), and not for a dataset hit's matched variables (they show why it matched)."""
    return bool(request.analysed) and request.sort == "relevance" and not request.match_any


def fusion_window(request: SearchRequest) -> SearchRequest:
    """The lexical request whose hits are fused: every hit up to the end of the asked page, from the first."""
    return replace(request, page=1, page_size=request.offset + request.page_size)


def fuse_results(request: SearchRequest, lexical: SearchResults, semantic: list[Hit]) -> SearchResults:
    """The asked page of the reciprocal-rank fusion of the lexical window and the semantic neighbours.

    Facets are the lexical query's (text + filters): a neighbour's dataset is not counted in them. The total
    is the lexical total plus the neighbours that are not among the fused lexical hits, which are marked
    ``semantic_only`` (a neighbour that also matches lexically beyond the window is counted twice and marked
    so too: at most ``SEARCH_SEMANTIC_K`` of them).
    """
    by_id: dict[int, Hit] = {}
    for hit in [*lexical.hits, *semantic]:
        by_id.setdefault(hit.document["id"], hit)
    lexical_ids = [hit.document["id"] for hit in lexical.hits]
    fused = reciprocal_rank_fusion([lexical_ids, [hit.document["id"] for hit in semantic]])
    matched = set(lexical_ids)
    only_semantic = len({hit.document["id"] for hit in semantic} - matched)
    page = fused[request.offset : request.offset + request.page_size]
    return SearchResults(
        total=lexical.total + only_semantic,
        hits=[replace(by_id[pk], score=score, semantic_only=pk not in matched) for pk, score in page],
        facets=lexical.facets,
        semantic_used=True,
        semantic_only=only_semantic,
    )


class SearchBackend(abc.ABC):
    """One way of indexing and querying the catalogue's search documents."""

    name: ClassVar[str]

    def __init__(self, **options: Any) -> None:
        self.options = options

    # Querying
    @abc.abstractmethod
    def search_datasets(self, request: SearchRequest) -> SearchResults: ...

    @abc.abstractmethod
    def search_variables(self, request: SearchRequest) -> SearchResults: ...

    @abc.abstractmethod
    def suggest(self, prefix: str, *, visibility: Visibility, limit: int = 10) -> list[Suggestion]: ...

    @abc.abstractmethod
    def feasibility(self, request: FeasibilityRequest) -> FeasibilityResults: ...

    # Keeping the index true
    @abc.abstractmethod
    def index_datasets(self, dataset_ids: Collection[int]) -> None:
        """Make the index hold the current documents of ``dataset_ids`` (and their variables).

        Idempotent: re-renders from the database; deletes the documents of datasets that no
        longer exist and of variables that were removed. Raises on failure (the caller keeps
        the outbox rows).
        """

    @abc.abstractmethod
    def rebuild(self, *, chunk_size: int = 500) -> dict[str, int]:
        """Rebuild the whole index from the database without a moment of empty results.

        Returns the number of documents indexed per document type.
        """

    def check(self) -> IndexDifferences:
        """Compare the index with a fresh rendering of the database: missing, extra and stale ids per type.

        Stale means the indexed document's digest differs from the fresh one (any field, including
        the dataset fields copied onto variables). Reads every document once (flat memory apart from
        one id → digest map per type).
        """
        fresh: dict[str, dict[int, str]] = {"datasets": {}, "variables": {}}
        for doc_type, document in iter_all_documents():
            fresh[doc_type][document["id"]] = document["digest"]
        differences = IndexDifferences()
        for doc_type, expected in fresh.items():
            indexed = self.indexed_digests(doc_type)
            differences.missing[doc_type] = sorted(expected.keys() - indexed.keys())
            differences.extra[doc_type] = sorted(indexed.keys() - expected.keys())
            differences.stale[doc_type] = sorted(
                pk for pk in expected.keys() & indexed.keys() if expected[pk] != indexed[pk]
            )
        return differences

    @abc.abstractmethod
    def indexed_digests(self, doc_type: str) -> dict[int, str]:
        """id → digest of every indexed document of ``doc_type`` ("datasets" or "variables")."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Remove every indexed document (tests and ``search_reindex --clear``)."""

    def check_available(self) -> None:  # noqa: B027 - optional hook
        """Raise :class:`SearchUnavailable` if queries cannot be answered now (health check; must be cheap).

        The database backend needs nothing beyond the database, which the health check tests itself.
        """

    def prepare(self) -> None:  # noqa: B027 - optional hook
        """Create whatever the backend needs before indexing (indices, aliases)."""
