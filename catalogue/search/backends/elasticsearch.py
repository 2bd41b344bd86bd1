"""The Elasticsearch search backend (``SEARCH_BACKEND=elasticsearch``), for catalogues at scale.

Queries are built as plain request bodies (:meth:`ElasticsearchSearchBackend.search_body`), so
the benchmark can send exactly the same body straight to Elasticsearch. Connection settings
(URL, API key or basic auth, CA certificate) come from the environment through settings; every
one of them can be overridden per instance (tests point one at a dead URL).
"""

from __future__ import annotations

import functools
import time
import uuid
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from elasticsearch import ConnectionError as TransportConnectionError
from elasticsearch import ConnectionTimeout, Elasticsearch, NotFoundError, helpers

from catalogue.search.analysis import exact_form
from catalogue.search.backends.base import (
    DATASET_HIGHLIGHT_FIELDS,
    INTERNAL_FIELDS,
    MAX_RESULT_WINDOW,
    VARIABLE_HIGHLIGHT_FIELDS,
    ConceptTerm,
    FacetCount,
    FeasibilityDataset,
    FeasibilityMatch,
    FeasibilityRequest,
    FeasibilityResults,
    Hit,
    SearchBackend,
    SearchRequest,
    SearchResults,
    SearchUnavailable,
    Suggestion,
    Visibility,
    fuse_results,
    fusion_window,
    highlights_for,
    wants_semantic,
)
from catalogue.search.backends.es_mappings import DOC_TYPES, MAPPINGS, index_settings, visibility_contexts
from catalogue.search.documents import Document, iter_all_documents, iter_dataset_documents, iter_variable_documents
from catalogue.search.embeddings import query_vector, semantic_status, with_embeddings
from catalogue.search.facets import DATASET_FACETS, VARIABLE_FACETS
from catalogue.search.query import AnalysedQuery, Clause, parse_concept

FACET_SIZE = 100
EXACT_MATCH_BOOST = 10.0
PHRASE_BOOST = 2.0
PRIMARY_BOOST = 3.0
FUZZY_BOOST = 0.5
EXPANSION_BOOST = 0.8
OPTIONAL_BOOST = 0.2
SCAN_PAGE_SIZE = 5000
COMPOSITE_PAGE_SIZE = 10_000


class SearchError(RuntimeError):
    """Elasticsearch answered a search with an error (a bug in the query, or a broken index)."""


class IndexingError(RuntimeError):
    """Elasticsearch refused some documents (the first errors are in the message)."""


P = ParamSpec("P")
R = TypeVar("R")
HEALTH_CHECK_TIMEOUT = 2.0  # seconds: /healthz must answer before a load balancer gives up on it


def _unavailable_when_unreachable(query: Callable[P, R]) -> Callable[P, R]:
    """Turn the client's connection errors (refused, reset, timed out) into :class:`SearchUnavailable`."""

    @functools.wraps(query)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return query(*args, **kwargs)
        except (TransportConnectionError, ConnectionTimeout) as error:
            raise SearchUnavailable(f"Elasticsearch cannot be reached: {error}") from error

    return wrapper


def build_client(
    *,
    url: str,
    api_key: str = "",
    username: str = "",
    password: str = "",
    ca_certs: str = "",
    request_timeout: float = 30.0,
    max_retries: int = 3,
) -> Elasticsearch:
    """A client over every node of ``url`` (comma-separated): a request whose connection fails or times
    out is retried up to ``max_retries`` times, on another node when there is one (a dead node is left
    out until its back-off ends), so losing one node of a cluster fails no request."""
    hosts = [host.strip() for host in url.split(",") if host.strip()]
    options: dict[str, Any] = {
        "request_timeout": request_timeout,
        "max_retries": max_retries,
        "retry_on_timeout": True,
    }
    if api_key:
        options["api_key"] = api_key
    elif username:
        options["basic_auth"] = (username, password)
    if ca_certs:
        options["ca_certs"] = ca_certs
    return Elasticsearch(hosts, **options)


class ElasticsearchSearchBackend(SearchBackend):
    """Options (all optional, defaults from settings): ``url``, ``api_key``, ``username``, ``password``,
    ``ca_certs``, ``index_prefix``, ``shards``, ``replicas``, ``max_retries``, ``refresh`` (make every
    write searchable at once: tests), ``request_timeout``, ``bulk_chunk_size``, ``bulk_threads``."""

    name = "elasticsearch"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.index_prefix: str = options.get("index_prefix", settings.ELASTICSEARCH_INDEX_PREFIX).lower()
        self.shards: int = options.get("shards", settings.ELASTICSEARCH_SHARDS)
        self.replicas: int = options.get("replicas", settings.ELASTICSEARCH_REPLICAS)
        self.refresh: bool = options.get("refresh", False)
        self.bulk_chunk_size: int = options.get("bulk_chunk_size", 1000)
        self.bulk_threads: int = options.get("bulk_threads", 2)
        self.client = build_client(
            url=options.get("url", settings.ELASTICSEARCH_URL),
            api_key=options.get("api_key", settings.ELASTICSEARCH_API_KEY),
            username=options.get("username", settings.ELASTICSEARCH_USERNAME),
            password=options.get("password", settings.ELASTICSEARCH_PASSWORD),
            ca_certs=options.get("ca_certs", settings.ELASTICSEARCH_CA_CERTS),
            request_timeout=options.get("request_timeout", 30.0),
            max_retries=options.get("max_retries", settings.ELASTICSEARCH_MAX_RETRIES),
        )

    # Index names -------------------------------------------------------------------------

    def alias(self, doc_type: str) -> str:
        return f"{self.index_prefix}-{doc_type}"

    def new_index_name(self, doc_type: str) -> str:
        return f"{self.alias(doc_type)}-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"

    def physical_indices(self, doc_type: str) -> list[str]:
        """The physical indices currently behind the alias (normally exactly one)."""
        try:
            return sorted(self.client.indices.get_alias(name=self.alias(doc_type)).body)
        except NotFoundError:
            return []

    def create_index(self, doc_type: str, *, building: bool = False) -> str:
        name = self.new_index_name(doc_type)
        self.client.indices.create(
            index=name,
            settings=index_settings(replicas=self.replicas, building=building, shards=self.shards),
            mappings=MAPPINGS[doc_type],
        )
        return name

    def prepare(self) -> None:
        """Create each document type's first physical index and alias if there is none."""
        for doc_type in DOC_TYPES:
            if not self.physical_indices(doc_type):
                name = self.create_index(doc_type)
                self.client.indices.update_aliases(actions=[{"add": {"index": name, "alias": self.alias(doc_type)}}])

    def check_available(self) -> None:
        try:
            self.client.options(request_timeout=HEALTH_CHECK_TIMEOUT, max_retries=0).info()
        except (TransportConnectionError, ConnectionTimeout) as error:
            raise SearchUnavailable(f"Elasticsearch cannot be reached: {error}") from error

    def drop_indices(self) -> None:
        """Delete every physical index of this prefix (tests; the wildcard is resolved here because
        clusters refuse wildcard deletes by default)."""
        names = list(self.client.indices.get(index=f"{self.index_prefix}-*", expand_wildcards="all").body)
        for name in names:
            self.client.indices.delete(index=name, ignore_unavailable=True)

    # Querying ----------------------------------------------------------------------------

    @_unavailable_when_unreachable
    def search_datasets(self, request: SearchRequest) -> SearchResults:
        return self._search("datasets", request, DATASET_FACETS, DATASET_HIGHLIGHT_FIELDS)

    @_unavailable_when_unreachable
    def search_variables(self, request: SearchRequest) -> SearchResults:
        return self._search("variables", request, VARIABLE_FACETS, VARIABLE_HIGHLIGHT_FIELDS)

    def _search(
        self, doc_type: str, request: SearchRequest, facet_names: tuple[str, ...], highlight_fields: tuple[str, ...]
    ) -> SearchResults:
        searches, semantic_note = self.search_requests(request, facet_names, doc_type)
        responses = self.client.msearch(searches=searches)["responses"]
        for response in responses:
            if "error" in response:
                raise SearchError(f"Elasticsearch refused the search: {response['error']}")
        lexical = self._results(responses[0], request.analysed.terms, facet_names, highlight_fields)
        if len(responses) == 1:
            lexical.semantic_note = semantic_note
            return lexical
        semantic = self._results(responses[1], request.analysed.terms, (), highlight_fields).hits
        return fuse_results(request, lexical, semantic)

    @staticmethod
    def _results(
        response: dict[str, Any],
        terms: tuple[str, ...],
        facet_names: tuple[str, ...],
        highlight_fields: tuple[str, ...],
    ) -> SearchResults:
        hits = [
            Hit(
                document=hit["_source"],
                score=hit.get("_score") if terms else None,
                highlights=highlights_for(hit["_source"], terms, highlight_fields),
            )
            for hit in response["hits"]["hits"]
        ]
        facets = {
            name: [
                FacetCount(value=bucket["key"], count=bucket["doc_count"])
                for bucket in response["aggregations"][name]["values"]["buckets"]
            ]
            for name in facet_names
            if "aggregations" in response and name in response["aggregations"]
        }
        return SearchResults(total=response["hits"]["total"]["value"], hits=hits, facets=facets)

    def search_requests(
        self, request: SearchRequest, facet_names: tuple[str, ...], doc_type: str
    ) -> tuple[list[dict[str, Any]], str]:
        """The ``_msearch`` lines of a search, and why the semantic leg is left out (if it is).

        Lexical only: the one body of :meth:`search_body`. With a query vector: the lexical body for the
        fusion window and a kNN body, answered side by side in one round trip and fused by the caller. The
        benchmark sends exactly these lines to Elasticsearch as its raw baseline.
        """
        alias = self.alias(doc_type)
        status = semantic_status()
        vector = query_vector(request.text) if wants_semantic(request) else None
        if vector is None:
            note = status.reason if wants_semantic(request) else ""
            return [{"index": alias}, self.search_body(request, facet_names, doc_type)], note
        window = fusion_window(request)
        return [
            {"index": alias},
            self.search_body(window, facet_names, doc_type),
            {"index": alias},
            knn_body(request, facet_names, doc_type, vector.tolist()),
        ], ""

    def search_body(self, request: SearchRequest, facet_names: tuple[str, ...], doc_type: str) -> dict[str, Any]:
        """The request body of a search: text in ``query``, facet selections in ``post_filter`` so each
        facet's aggregation can apply every selection but its own (disjunctive counts)."""
        if request.offset + request.page_size > MAX_RESULT_WINDOW:
            raise ValueError(f"Results beyond the first {MAX_RESULT_WINDOW} cannot be paged to.")
        analysed = request.analysed
        selected = {name: values for name, values in request.active_filters().items() if name in facet_names}
        facet_filters = {name: {"terms": {f"facets.{name}": values}} for name, values in selected.items()}
        query: dict[str, Any] = {"bool": {"filter": base_filters(request, doc_type)}}
        if analysed:
            query["bool"]["must"] = [lexical_query(analysed, minimum_should_match=request.minimum_should_match)]
        body: dict[str, Any] = {
            "query": query,
            "sort": _sort(request.sort, bool(analysed)),
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

    @_unavailable_when_unreachable
    def suggest(self, prefix: str, *, visibility: Visibility, limit: int = 10) -> list[Suggestion]:
        wanted = exact_form(prefix)
        if not wanted:
            return []
        completion = {
            "prefix": wanted,
            "completion": {
                "field": "suggest",
                "size": limit,
                "skip_duplicates": True,
                "contexts": {"visibility": suggest_contexts(visibility)},
            },
        }
        searches: list[dict[str, Any]] = []
        for doc_type, source in (("datasets", ["title", "slug"]), ("variables", ["name", "dataset_slug"])):
            searches.append({"index": self.alias(doc_type)})
            searches.append({"suggest": {"s": completion}, "_source": source, "size": 0})
        responses = self.client.msearch(searches=searches)["responses"]
        suggestions: list[Suggestion] = []
        for response, kind in zip(responses, ("dataset", "variable"), strict=True):
            for option in response["suggest"]["s"][0]["options"]:
                source = option["_source"]
                if kind == "dataset":
                    suggestions.append(Suggestion(text=source["title"], kind=kind, dataset_slug=source["slug"]))
                else:
                    suggestions.append(Suggestion(text=source["name"], kind=kind, dataset_slug=source["dataset_slug"]))
        return suggestions

    @_unavailable_when_unreachable
    def feasibility(self, request: FeasibilityRequest) -> FeasibilityResults:
        terms = [parse_concept(raw) for raw in request.concepts]
        base: list[dict[str, Any]] = [visibility_filter(request.visibility)]
        if request.min_patients is not None:
            base.append({"range": {"patient_count": {"gte": request.min_patients}}})
        if request.disease:
            base.append({"term": {"facets.disease": request.disease}})
        dataset_ids: set[int] | None = None
        for term in terms:
            ids = self._datasets_with_variable([*base, concept_filter(term)])
            dataset_ids = ids if dataset_ids is None else dataset_ids & ids
            if not dataset_ids:
                return FeasibilityResults(total_datasets=0, total_patients=0, datasets=[])
        assert dataset_ids is not None
        response = self.client.search(
            index=self.alias("datasets"),
            query={"bool": {"filter": [{"terms": {"id": sorted(dataset_ids)}}]}},
            sort=[{"patient_count": {"order": "desc", "missing": "_last"}}, {"id": "asc"}],
            size=request.limit,
            track_total_hits=True,
            aggs={"patients": {"sum": {"field": "patient_count"}}},
            source_excludes=list(INTERNAL_FIELDS),
        )
        page = [hit["_source"] for hit in response["hits"]["hits"]]
        page_ids = [document["id"] for document in page]
        best: dict[tuple[int, str], Document] = {}
        for term in terms:
            for hit in self._best_variable_per_dataset([*base, concept_filter(term)], term, page_ids):
                best[(hit["dataset_id"], term.raw)] = hit
        return FeasibilityResults(
            total_datasets=response["hits"]["total"]["value"],
            total_patients=int(response["aggregations"]["patients"]["value"]),
            datasets=[
                FeasibilityDataset(
                    dataset=document,
                    matches=[
                        FeasibilityMatch(concept=term.raw, variable=best[(document["id"], term.raw)]) for term in terms
                    ],
                )
                for document in page
            ],
        )

    def _datasets_with_variable(self, filters: list[dict[str, Any]]) -> set[int]:
        """Ids of datasets with at least one variable matching ``filters`` (a paged composite aggregation)."""
        found: set[int] = set()
        after: dict[str, Any] | None = None
        while True:
            composite: dict[str, Any] = {
                "size": COMPOSITE_PAGE_SIZE,
                "sources": [{"dataset": {"terms": {"field": "dataset_id"}}}],
            }
            if after:
                composite["after"] = after
            response = self.client.search(
                index=self.alias("variables"),
                query={"bool": {"filter": filters}},
                size=0,
                aggs={"datasets": {"composite": composite}},
            )
            aggregation = response["aggregations"]["datasets"]
            found.update(int(bucket["key"]["dataset"]) for bucket in aggregation["buckets"])
            after = aggregation.get("after_key")
            if not after or len(aggregation["buckets"]) < COMPOSITE_PAGE_SIZE:
                return found

    def _best_variable_per_dataset(
        self, filters: list[dict[str, Any]], term: ConceptTerm, dataset_ids: list[int]
    ) -> list[Document]:
        """For each dataset, its matching variable: an exact name match first, then the lowest id."""
        if not dataset_ids:
            return []
        should = [{"constant_score": {"filter": {"term": {"exact": term.exact}}}}] if term.exact else []
        response = self.client.search(
            index=self.alias("variables"),
            query={"bool": {"filter": [*filters, {"terms": {"dataset_id": dataset_ids}}], "should": should}},
            collapse={"field": "dataset_id"},
            sort=[{"_score": "desc"}, {"id": "asc"}],
            size=len(dataset_ids),
            source_excludes=list(INTERNAL_FIELDS),
        )
        return [hit["_source"] for hit in response["hits"]["hits"]]

    # Keeping the index true ----------------------------------------------------------------

    def index_datasets(self, dataset_ids: Collection[int]) -> None:
        ids = set(dataset_ids)
        if not ids:
            return
        token = uuid.uuid4().hex
        documents = list(iter_dataset_documents(ids))
        gone = ids - {document["id"] for document in documents}
        datasets_alias, variables_alias = self.alias("datasets"), self.alias("variables")

        def actions() -> Iterator[dict[str, Any]]:
            for document, vector in with_embeddings(documents):
                yield {
                    "_index": datasets_alias,
                    "_id": document["id"],
                    "_source": es_document(document, embedding=vector),
                }
            for dataset_id in gone:
                yield {"_op_type": "delete", "_index": datasets_alias, "_id": dataset_id}
            for document, vector in with_embeddings(iter_variable_documents(documents)):
                yield {
                    "_index": variables_alias,
                    "_id": document["id"],
                    "_source": es_document(document, sync_token=token, embedding=vector),
                }

        self._bulk(actions())
        # Variables removed from the catalogue (or of deleted datasets) still carry an older token.
        self.client.indices.refresh(index=variables_alias)
        stale = self._scan_ids(
            variables_alias,
            {
                "bool": {
                    "filter": [{"terms": {"dataset_id": sorted(ids)}}],
                    "must_not": [{"term": {"sync_token": token}}],
                }
            },
        )
        self._bulk({"_op_type": "delete", "_index": variables_alias, "_id": pk} for pk in stale)
        if self.refresh:
            self.client.indices.refresh(index=f"{datasets_alias},{variables_alias}")

    def _bulk(self, actions: Iterable[dict[str, Any]]) -> int:
        errors: list[Any] = []
        count = 0
        for ok, item in helpers.streaming_bulk(
            self.client, actions, chunk_size=self.bulk_chunk_size, raise_on_error=False, max_retries=2
        ):
            count += 1
            if not ok:
                outcome = next(iter(item.values()))
                if outcome.get("status") == 404 and "delete" in item:
                    continue  # deleting what is already gone is success (idempotent)
                errors.append(item)
        if errors:
            raise IndexingError(f"{len(errors)} documents refused, first: {errors[:3]}")
        return count

    def _parallel_bulk(self, actions: Iterable[dict[str, Any]]) -> None:
        """Send ``actions`` in chunks from ``bulk_threads`` threads while this thread keeps rendering.

        Rendering reads the database, so it must stay on this thread (Django connections are
        per thread); ``helpers.parallel_bulk`` would consume the generator in a pool thread.
        At most two chunks per thread are in flight, so memory stays flat.
        """
        in_flight: deque[Future[list[Any]]] = deque()
        errors: list[Any] = []
        with ThreadPoolExecutor(max_workers=self.bulk_threads, thread_name_prefix="search-bulk") as pool:
            for chunk in _batches(actions, self.bulk_chunk_size):
                in_flight.append(pool.submit(self._send_chunk, chunk))
                if len(in_flight) >= 2 * self.bulk_threads:
                    errors.extend(in_flight.popleft().result())
            while in_flight:
                errors.extend(in_flight.popleft().result())
        if errors:
            raise IndexingError(f"{len(errors)} documents refused, first: {errors[:3]}")

    def _send_chunk(self, chunk: list[dict[str, Any]]) -> list[Any]:
        operations: list[Any] = []
        for action in chunk:
            operations.append({"index": {"_index": action["_index"], "_id": action["_id"]}})
            operations.append(action["_source"])
        response = self.client.bulk(operations=operations)
        if not response["errors"]:
            return []
        return [item for item in response["items"] if item["index"].get("error")]

    def _scan_ids(self, index: str, query: dict[str, Any]) -> list[int]:
        """Every matching document id (``search_after`` on ``id``; no scroll context to leak)."""
        found: list[int] = []
        after: list[Any] | None = None
        while True:
            response = self.client.search(
                index=index,
                query=query,
                sort=[{"id": "asc"}],
                size=SCAN_PAGE_SIZE,
                source=False,
                search_after=after,
            )
            hits = response["hits"]["hits"]
            found.extend(int(hit["_id"]) for hit in hits)
            if len(hits) < SCAN_PAGE_SIZE:
                return found
            after = hits[-1]["sort"]

    def rebuild(self, *, chunk_size: int = 500) -> dict[str, int]:
        """Build fresh physical indices from the database, then swap both aliases in one
        ``_aliases`` call and delete the old indices: readers see the old index until the swap and
        the complete new one after it, never an empty or half-built one.

        Call it under :func:`catalogue.search.sync.sync_lock` (``search_reindex`` does), so changes
        committed during the build stay in the outbox and are applied to the new index afterwards.
        """
        self.prepare()
        new = {doc_type: self.create_index(doc_type, building=True) for doc_type in DOC_TYPES}
        counts = dict.fromkeys(DOC_TYPES, 0)

        def actions() -> Iterator[dict[str, Any]]:
            for (doc_type, document), vector in _with_embeddings_typed(
                iter_all_documents(dataset_chunk_size=chunk_size)
            ):
                counts[doc_type] += 1
                yield {
                    "_index": new[doc_type],
                    "_id": document["id"],
                    "_source": es_document(document, embedding=vector),
                }

        try:
            self._parallel_bulk(actions())
            for name in new.values():
                self.client.indices.put_settings(
                    index=name, settings={"refresh_interval": None, "number_of_replicas": self.replicas}
                )
                self.client.indices.refresh(index=name)
        except Exception:
            for name in new.values():
                self.client.indices.delete(index=name, ignore_unavailable=True)
            raise
        self.swap_aliases(new)
        return counts

    def swap_aliases(self, new: dict[str, str]) -> None:
        """Point each alias at its new index and drop the old ones — one atomic ``_aliases`` call."""
        old = {doc_type: self.physical_indices(doc_type) for doc_type in new}
        actions: list[dict[str, Any]] = []
        for doc_type, name in new.items():
            actions.extend({"remove": {"index": index, "alias": self.alias(doc_type)}} for index in old[doc_type])
            actions.append({"add": {"index": name, "alias": self.alias(doc_type)}})
        self.client.indices.update_aliases(actions=actions)
        for names in old.values():
            for name in names:
                self.client.indices.delete(index=name, ignore_unavailable=True)

    def clear(self) -> None:
        # A fresh empty index swapped in (delete_by_query lives in the reindex module, absent from the core).
        new = {doc_type: self.create_index(doc_type) for doc_type in DOC_TYPES}
        self.swap_aliases(new)

    def indexed_digests(self, doc_type: str) -> dict[int, str]:
        found: dict[int, str] = {}
        after: list[Any] | None = None
        while True:
            response = self.client.search(
                index=self.alias(doc_type),
                query={"match_all": {}},
                sort=[{"id": "asc"}],
                size=SCAN_PAGE_SIZE,
                source=["digest"],
                search_after=after,
            )
            hits = response["hits"]["hits"]
            found.update((int(hit["_id"]), hit["_source"].get("digest", "")) for hit in hits)
            if len(hits) < SCAN_PAGE_SIZE:
                return found
            after = hits[-1]["sort"]


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _with_embeddings_typed(
    typed_documents: Iterable[tuple[str, Document]],
) -> Iterator[tuple[tuple[str, Document], Any]]:
    """``with_embeddings`` over the (document type, document) pairs of a rebuild."""
    pairs = iter(typed_documents)
    types: deque[str] = deque()

    def documents() -> Iterator[Document]:
        for doc_type, document in pairs:
            types.append(doc_type)
            yield document

    for document, vector in with_embeddings(documents()):
        yield (types.popleft(), document), vector


def es_document(document: Document, *, sync_token: str | None = None, embedding: Any = None) -> Document:
    """The Elasticsearch source of a rendered document: plus its completion input and contexts, and its text
    embedding when there is one (:mod:`catalogue.search.embeddings`)."""
    source = dict(document)
    if embedding is not None:
        source["embedding"] = embedding.tolist()
    source["suggest"] = {
        "input": [document["exact"]] if document["exact"] else [],
        "contexts": {"visibility": visibility_contexts(document["status"], document["partner_id"])},
    }
    if sync_token is not None:
        source["sync_token"] = sync_token
    return source


_TEXT_FIELDS = [f"primary^{PRIMARY_BOOST}", "secondary"]


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


def knn_body(
    request: SearchRequest, facet_names: tuple[str, ...], doc_type: str, vector: list[float]
) -> dict[str, Any]:
    """The semantic leg: the ``SEARCH_SEMANTIC_K`` nearest documents by embedding with at least
    ``SEARCH_SEMANTIC_MIN_SIMILARITY`` cosine similarity, under the same visibility, intended-use and facet
    filters as the lexical query (applied inside the kNN search, so the neighbours are all admissible)."""
    selected = {name: values for name, values in request.active_filters().items() if name in facet_names}
    k = settings.SEARCH_SEMANTIC_K
    return {
        "knn": {
            "field": "embedding",
            "query_vector": vector,
            "k": k,
            "num_candidates": max(100, 5 * k),
            "similarity": settings.SEARCH_SEMANTIC_MIN_SIMILARITY,
            "filter": [
                *base_filters(request, doc_type),
                *({"terms": {f"facets.{name}": values}} for name, values in selected.items()),
            ],
        },
        "size": k,
        "_source": {"excludes": list(INTERNAL_FIELDS)},
    }


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


def _sort(sort: str, has_text: bool) -> list[Any]:
    if sort == "patients":
        return [{"patient_count": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
    if sort == "updated" or not has_text:
        return [{"updated_at": "desc"}, {"id": "asc"}]
    return ["_score", {"updated_at": "desc"}, {"id": "asc"}]
