"""The Elasticsearch search backend (``SEARCH_BACKEND=elasticsearch``), for catalogues at scale.

This module is the backend: index names and aliases, the client, what each query sends and how answers
become results, keeping the index true. Request bodies are built in :mod:`.es_queries` (lexical, facets)
and :mod:`.es_knn` (the semantic leg over the ``texts`` index), so the benchmark sends exactly the same
ones straight to Elasticsearch; bulk writing is in :mod:`.es_bulk`, mappings in :mod:`.es_mappings`.
Connection settings (URL, API key or basic auth, CA certificate) come from the environment through
settings; every one of them can be overridden per instance (tests point one at a dead URL).
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from elasticsearch import ConnectionError as TransportConnectionError
from elasticsearch import ConnectionTimeout, Elasticsearch, NotFoundError

from catalogue.search.analysis import exact_form
from catalogue.search.backends.base import (
    DATASET_HIGHLIGHT_FIELDS,
    INTERNAL_FIELDS,
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
from catalogue.search.backends.es_bulk import IndexingError, bulk, es_document, parallel_bulk, scan_ids
from catalogue.search.backends.es_knn import neighbours, neighbours_body, semantic_body, text_id, text_source
from catalogue.search.backends.es_mappings import INDEX_TYPES, MAPPINGS, TEXTS, index_settings
from catalogue.search.backends.es_queries import (
    concept_filter,
    search_body,
    suggest_contexts,
    visibility_filter,
)
from catalogue.search.documents import Document, iter_all_documents, iter_documents
from catalogue.search.embeddings import embedded_text, passage_vectors, query_vector, semantic_status, text_hash
from catalogue.search.facets import DATASET_FACETS, VARIABLE_FACETS
from catalogue.search.query import parse_concept

__all__ = ["ElasticsearchSearchBackend", "IndexingError", "SearchError", "build_client", "es_document"]

SCAN_PAGE_SIZE = 5000
COMPOSITE_PAGE_SIZE = 10_000
TEXT_KEYS_PER_REQUEST = 1000  # ids per mget when looking for texts the index does not hold yet
TextKey = tuple[str, str]  # (document type, text hash)


class SearchError(RuntimeError):
    """Elasticsearch answered a search with an error (a bug in the query, or a broken index)."""


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


RETRY_BACKOFF_BASE = 0.25
RETRY_BACKOFF_CAP = 2.0


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
        # 0.25 s, 0.5 s, 1 s between attempts: long enough for a cluster to elect a new master after
        # losing one (503 master_not_discovered is retried), short enough for a web request.
        "retry_backoff_base": RETRY_BACKOFF_BASE,
        "retry_backoff_cap": RETRY_BACKOFF_CAP,
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
        self.max_retries: int = options.get("max_retries", settings.ELASTICSEARCH_MAX_RETRIES)
        self._prepared = False  # whether this instance has made sure every alias exists (index_datasets)
        self.client = build_client(
            url=options.get("url", settings.ELASTICSEARCH_URL),
            api_key=options.get("api_key", settings.ELASTICSEARCH_API_KEY),
            username=options.get("username", settings.ELASTICSEARCH_USERNAME),
            password=options.get("password", settings.ELASTICSEARCH_PASSWORD),
            ca_certs=options.get("ca_certs", settings.ELASTICSEARCH_CA_CERTS),
            request_timeout=options.get("request_timeout", 30.0),
            max_retries=self.max_retries,
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
            # With replicas, every copy must be started before documents arrive: a node lost before its
            # replica started would leave a shard with no copy to promote.
            wait_for_active_shards="all" if self.replicas else None,
        )
        return name

    def prepare(self) -> None:
        """Create each document type's first physical index and alias if there is none."""
        for doc_type in INDEX_TYPES:
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
        self._prepared = False

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
        vector, note = semantic_vector(request)
        if vector is None:
            response = self._msearch([{"index": self.alias(doc_type)}, search_body(request, facet_names, doc_type)])[0]
            results = self._results(response, request.analysed.terms, facet_names, highlight_fields)
            results.semantic_note = note
            return results
        nearest = self.nearest_texts(doc_type, vector)
        responses = self._msearch(self.search_requests(request, facet_names, doc_type, nearest))
        # The fusion window and the neighbours hold up to twice a page: highlight only the hits of the page.
        lexical = self._results(responses[0], request.analysed.terms, facet_names, ())
        semantic = self._results(responses[1], request.analysed.terms, (), ()).hits if nearest else []
        fused = fuse_results(request, lexical, semantic)
        for hit in fused.hits:
            hit.highlights = highlights_for(hit.document, request.analysed.terms, highlight_fields)
        return fused

    def _msearch(self, searches: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return self._whole(lambda: self.client.msearch(searches=searches)["responses"])

    def _search_whole(self, **body: Any) -> Any:
        """``client.search(**body)``, answered by every shard (see :meth:`_whole`)."""
        return self._whole(lambda: [self.client.search(**body)])[0]

    def _whole(self, send: Callable[[], list[Any]]) -> list[Any]:
        """The responses of ``send()`` once every shard has answered each of them.

        While a node is being lost, Elasticsearch answers a search from the shard copies it still reaches and
        reports the rest as failed shards — a 200 with hits missing, which would show a researcher a smaller
        catalogue without a word. Such an answer (and a search that failed server-side, status ≥ 500) is asked
        again, up to ``max_retries`` times with the client's back-off, once the cluster has promoted the
        replicas; after that the search is unavailable (503, "try again"), never partial. A search refused as
        malformed (status < 500) raises :class:`SearchError` at once."""
        for attempt in range(self.max_retries + 1):
            responses = send()
            missing = ""
            for response in responses:
                error = response.get("error")
                if error is not None and response.get("status", 500) < 500:
                    raise SearchError(f"Elasticsearch refused the search: {error}")
                shards = response.get("_shards", {})
                if error is not None or shards.get("failed"):
                    missing = str(error) if error is not None else f"{shards['failed']} of {shards['total']} shards"
            if not missing:
                return responses
            if attempt < self.max_retries:
                time.sleep(min(RETRY_BACKOFF_BASE * 2**attempt, RETRY_BACKOFF_CAP))
        raise SearchUnavailable(f"Elasticsearch answered without part of the index: {missing}")

    def nearest_texts(self, doc_type: str, vector: Any) -> list[tuple[str, float]]:
        """The semantic leg's first step (:func:`.es_knn.neighbours_body`): the texts of ``doc_type`` nearest
        ``vector``; none when the index set has no texts index (built before there was one)."""
        response = self._search_whole(
            index=self.alias(TEXTS), ignore_unavailable=True, **neighbours_body(doc_type, vector.tolist())
        )
        return neighbours(response)

    def search_requests(
        self,
        request: SearchRequest,
        facet_names: tuple[str, ...],
        doc_type: str,
        nearest: list[tuple[str, float]],
    ) -> list[dict[str, Any]]:
        """The ``_msearch`` lines of a semantic search, once the ``nearest`` texts are known: the lexical body
        for the fusion window and, when there are neighbours, the body of the documents carrying them —
        answered side by side in one round trip and fused by the caller. The benchmark sends exactly these."""
        alias = self.alias(doc_type)
        searches = [{"index": alias}, search_body(fusion_window(request), facet_names, doc_type)]
        if nearest:
            searches += [{"index": alias}, semantic_body(request, facet_names, doc_type, nearest)]
        return searches

    @staticmethod
    def _results(
        response: dict[str, Any],
        terms: tuple[str, ...],
        facet_names: tuple[str, ...],
        highlight_fields: tuple[str, ...],
    ) -> SearchResults:
        hits = []
        for hit in response["hits"]["hits"]:
            document = hit["_source"]
            document.pop("text_hash", None)  # the semantic leg reads it; callers never see it
            hits.append(
                Hit(
                    document=document,
                    score=hit.get("_score") if terms else None,
                    highlights=highlights_for(document, terms, highlight_fields),
                )
            )
        facets = {
            name: [
                FacetCount(value=bucket["key"], count=bucket["doc_count"])
                for bucket in response["aggregations"][name]["values"]["buckets"]
            ]
            for name in facet_names
            if "aggregations" in response and name in response["aggregations"]
        }
        return SearchResults(total=response["hits"]["total"]["value"], hits=hits, facets=facets)

    def search_body(self, request: SearchRequest, facet_names: tuple[str, ...], doc_type: str) -> dict[str, Any]:
        """The lexical request body of a search (:func:`.es_queries.search_body`)."""
        return search_body(request, facet_names, doc_type)

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
        responses = self._msearch(searches)
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
        response = self._search_whole(
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
            response = self._search_whole(
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
        response = self._search_whole(
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
        if not self._prepared:
            # Writing to a missing alias would auto-create a concrete index under its name, and every later
            # rebuild would fail to swap the alias: make the first physical indices and aliases first.
            self.prepare()
            self._prepared = True
        token = uuid.uuid4().hex
        datasets_alias, variables_alias = self.alias("datasets"), self.alias("variables")
        texts: dict[TextKey, str] = {}
        seen: set[int] = set()

        def actions() -> Iterator[dict[str, Any]]:
            for doc_type, document in iter_documents(ids):
                remember_text(texts, doc_type, document)
                if doc_type == "datasets":
                    seen.add(document["id"])
                    yield {"_index": datasets_alias, "_id": document["id"], "_source": es_document(document)}
                else:
                    source = es_document(document, sync_token=token)
                    yield {"_index": variables_alias, "_id": document["id"], "_source": source}
            for dataset_id in ids - seen:
                yield {"_op_type": "delete", "_index": datasets_alias, "_id": dataset_id}
            yield from self._text_actions(self.alias(TEXTS), self._missing_texts(texts))

        self._bulk(actions())
        # Variables removed from the catalogue (or of deleted datasets) still carry an older token.
        self.client.indices.refresh(index=variables_alias)
        stale = scan_ids(
            self._search_whole,
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
            self.client.indices.refresh(index=f"{datasets_alias},{variables_alias},{self.alias(TEXTS)}")

    def _missing_texts(self, texts: dict[TextKey, str]) -> dict[TextKey, str]:
        """The ``texts`` the texts index does not hold yet (texts are immutable: a held one is never rewritten)."""
        if not texts or not semantic_status().available:
            return {}
        keys = list(texts)
        missing: dict[TextKey, str] = {}
        for start in range(0, len(keys), TEXT_KEYS_PER_REQUEST):
            chunk = keys[start : start + TEXT_KEYS_PER_REQUEST]
            response = self.client.mget(index=self.alias(TEXTS), ids=[text_id(*key) for key in chunk], source=False)
            for key, found in zip(chunk, response["docs"], strict=True):
                if not found.get("found"):
                    missing[key] = texts[key]
        return missing

    @staticmethod
    def _text_actions(index: str, texts: dict[TextKey, str]) -> Iterator[dict[str, Any]]:
        """Index actions of the texts index for ``texts``, embedding those no cache holds (nothing when
        semantic search is unavailable: the texts index stays empty and searches stay lexical)."""
        vectors = passage_vectors(texts.values())
        for (kind, key), _ in texts.items():
            if key in vectors:
                yield {"_index": index, "_id": text_id(kind, key), "_source": text_source(kind, key, vectors[key])}

    def _bulk(self, actions: Iterable[dict[str, Any]]) -> int:
        return bulk(self.client, actions, chunk_size=self.bulk_chunk_size)

    def rebuild(self, *, chunk_size: int = 500) -> dict[str, int]:
        """Build fresh physical indices from the database, then swap every alias in one ``_aliases`` call
        and delete the old indices: readers see the old index until the swap and the complete new one after
        it, never an empty or half-built one.

        One pass over the catalogue (:func:`~catalogue.search.documents.iter_documents`); the distinct texts
        seen are embedded (from the cache when it holds them) and indexed last, one entry each.
        Call it under :func:`catalogue.search.sync.sync_lock` (``search_reindex`` does), so changes
        committed during the build stay in the outbox and are applied to the new index afterwards.
        """
        self.prepare()
        new = {doc_type: self.create_index(doc_type, building=True) for doc_type in INDEX_TYPES}
        counts = {"datasets": 0, "variables": 0}
        texts: dict[TextKey, str] = {}

        def actions() -> Iterator[dict[str, Any]]:
            for doc_type, document in iter_all_documents(dataset_chunk_size=chunk_size):
                counts[doc_type] += 1
                remember_text(texts, doc_type, document)
                yield {"_index": new[doc_type], "_id": document["id"], "_source": es_document(document)}
            if semantic_status().available:
                yield from self._text_actions(new[TEXTS], texts)

        try:
            parallel_bulk(self.client, actions(), chunk_size=self.bulk_chunk_size, threads=self.bulk_threads)
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
        new = {doc_type: self.create_index(doc_type) for doc_type in INDEX_TYPES}
        self.swap_aliases(new)

    def indexed_digests(self, doc_type: str) -> dict[int, str]:
        found: dict[int, str] = {}
        after: list[Any] | None = None
        while True:
            response = self._search_whole(
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


def remember_text(texts: dict[TextKey, str], doc_type: str, document: Document) -> None:
    """Note the embedded text of ``document`` (once per document type and distinct text)."""
    text = embedded_text(document)
    if text:
        texts.setdefault((doc_type, text_hash(text)), text)


def semantic_vector(request: SearchRequest) -> tuple[Any, str]:
    """The query vector of a search that wants a semantic leg, or ``None`` and why it has none ('' when the
    search does not want one: no text, or not ranked by relevance)."""
    if not wants_semantic(request):
        return None, ""
    vector = query_vector(request.text)
    return vector, "" if vector is not None else semantic_status().reason
