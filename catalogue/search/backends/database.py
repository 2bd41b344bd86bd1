"""The database search backend (the default): index tables in the catalogue's own database.

The sync worker keeps :class:`~catalogue.search.models.DatasetEntry`,
:class:`~catalogue.search.models.VariableEntry` and :class:`~catalogue.search.models.FacetValue`
in step with the catalogue from the outbox, exactly as it keeps an Elasticsearch index, so
both backends search the same normalised (accent-folded) text.

Matching is ranked, over the analysed clauses of :func:`catalogue.search.query.analyse_query`
(the same clauses Elasticsearch gets): a document must match the query's
``minimum_should_match`` clauses, stop words never have to. On PostgreSQL a clause is a
``tsquery`` over the ``tsvector`` (weights A/B, GIN-indexed; candidates come from the OR of all
clauses in one index scan), ranked by ``ts_rank_cd`` plus the number of clauses matched;
elsewhere a clause is ``LIKE '% term %'`` on the space-padded columns, ranked by the clauses
matched, weighted by field and by rarity (inverse document frequency). On both, the query as a
phrase and an exact title or variable name add a bonus.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Iterator
from itertools import islice
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import Case, Count, F, FloatField, IntegerField, Min, Q, QuerySet, Value, When
from django.db.models.functions import StrIndex

from catalogue.models import Dataset
from catalogue.search.analysis import exact_form
from catalogue.search.backends.base import (
    DATASET_HIGHLIGHT_FIELDS,
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
    Suggestion,
    Visibility,
    fuse_results,
    fusion_window,
    highlights_for,
    wants_semantic,
)
from catalogue.search.backends.database_rows import (
    WRITE_BATCH_SIZE,
    dataset_row,
    facet_rows,
    pad,
    variable_row,
    with_text_hashes,
    write_rows,
)
from catalogue.search.backends.database_statements import (
    LexicalQuery,
    LexicalStatements,
    SemanticQuery,
    Statement,
    lexical_statements,
    load_document,
    semantic_statement,
)
from catalogue.search.documents import Document, iter_dataset_documents, iter_variable_documents
from catalogue.search.embeddings import query_vector, semantic_status
from catalogue.search.facets import DATASET_FACETS, VARIABLE_FACETS
from catalogue.search.models import DatasetEntry, FacetValue, VariableEntry
from catalogue.search.query import AnalysedQuery, Clause, parse_concept
from catalogue.search.vector_index import embedded_text_count, nearest_texts, too_many_texts

EXACT_MATCH_BONUS = 100.0
PHRASE_BONUS = 5.0
PRIMARY_WEIGHT = 10.0
SECONDARY_WEIGHT = 1.0
OPTIONAL_WEIGHT = 0.2
FACET_SIZE = 100


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _chunks(iterable: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def visibility_q(visibility: Visibility) -> Q:
    """The documents ``visibility`` admits, as a filter on an entry table."""
    allowed = Q(status__in=sorted(visibility.statuses))
    if visibility.curated_statuses and visibility.all_partners:
        allowed |= Q(status__in=sorted(visibility.curated_statuses))
    elif visibility.curated_statuses and visibility.curated_partner_ids:
        allowed |= Q(
            status__in=sorted(visibility.curated_statuses), partner_id__in=sorted(visibility.curated_partner_ids)
        )
    return allowed


class DatabaseSearchBackend(SearchBackend):
    name = "database"

    # Querying ---------------------------------------------------------------------------

    def search_datasets(self, request: SearchRequest) -> SearchResults:
        return self._search(request, DatasetEntry, DATASET_FACETS, DATASET_HIGHLIGHT_FIELDS)

    def search_variables(self, request: SearchRequest) -> SearchResults:
        return self._search(request, VariableEntry, VARIABLE_FACETS, VARIABLE_HIGHLIGHT_FIELDS)

    def _search(
        self,
        request: SearchRequest,
        model: type[DatasetEntry] | type[VariableEntry],
        facet_names: tuple[str, ...],
        highlight_fields: tuple[str, ...],
    ) -> SearchResults:
        if not wants_semantic(request):
            return self._lexical(request, model, facet_names, highlight_fields)
        note = semantic_status().reason
        texts = 0 if note else embedded_text_count()
        note = note or too_many_texts(texts)
        vector = None if note else query_vector(request.text)
        if vector is None:
            results = self._lexical(request, model, facet_names, highlight_fields)
            results.semantic_note = note
            return results
        # The fusion window and the neighbours hold up to twice a page: highlight only the hits of the page.
        lexical = self._lexical(fusion_window(request), model, facet_names, ())
        semantic = self._semantic_hits(request, model, facet_names, (), vector, texts)
        fused = fuse_results(request, lexical, semantic)
        for hit in fused.hits:
            hit.highlights = highlights_for(hit.document, request.analysed.terms, highlight_fields)
        return fused

    @staticmethod
    def _admissible(
        request: SearchRequest | LexicalQuery | SemanticQuery, model: type[DatasetEntry] | type[VariableEntry]
    ) -> QuerySet:
        """Entries the searcher may see, within the intended-use restriction (before text and facets)."""
        base = model.objects.filter(visibility_q(request.visibility))
        if request.dataset_ids is not None:
            base = base.filter(**{"pk__in" if model is DatasetEntry else "dataset_id__in": sorted(request.dataset_ids)})
        return base

    def _semantic_hits(
        self,
        request: SearchRequest,
        model: type[DatasetEntry] | type[VariableEntry],
        facet_names: tuple[str, ...],
        highlight_fields: tuple[str, ...],
        vector: Any,
        texts: int,
    ) -> list[Hit]:
        """The semantic leg: the ``SEARCH_SEMANTIC_K`` admissible entries whose embedded text is nearest the
        query (exact cosine over the ``texts`` distinct texts; entries sharing a text rank by recency)."""
        k = settings.SEARCH_SEMANTIC_K
        nearest = nearest_texts(
            vector, limit=5 * k, min_similarity=settings.SEARCH_SEMANTIC_MIN_SIMILARITY, count=texts
        )
        if not nearest:
            return []
        similarity = dict(nearest)
        query = SemanticQuery.of(request, model, facet_names, tuple(similarity), k)
        with connection.cursor() as cursor:
            cursor.execute(*semantic_statement(query, self._semantic_statement))
            rows = cursor.fetchall()
        terms = request.analysed.terms
        hits = []
        for stored, key in rows:
            document = load_document(stored)
            highlights = highlights_for(document, terms, highlight_fields)
            hits.append(Hit(document=document, score=similarity[key], highlights=highlights))
        return hits

    @classmethod
    def _semantic_statement(cls, query: SemanticQuery) -> Statement:
        """The admissible entries (the facet selections applied) whose text is one of the nearest, nearest
        first, then the most recently updated: ``(document, text hash)`` rows."""
        model = query.model
        # The nearest texts' rank, as the position of the entry's hash in their list: one parameter, where a
        # CASE of one WHEN per text cost more to build than the query took to run. Every hash has the same
        # length and the separator is no hex digit, so the positions keep the list's order.
        rank = StrIndex(Value(" ".join(query.text_hashes)), F("embedding_hash"))
        rows = (
            cls._admissible(query, model)
            .filter(*[cls._facet_q(model, name, values) for name, values in query.selected])
            .filter(embedding_hash__in=list(query.text_hashes))
            .annotate(text_rank=rank)
            .order_by("text_rank", "-updated_at", "pk")
            .values_list("document", "embedding_hash")[: query.limit]
        )
        return rows.query.sql_with_params()

    def _lexical(
        self,
        request: SearchRequest,
        model: type[DatasetEntry] | type[VariableEntry],
        facet_names: tuple[str, ...],
        highlight_fields: tuple[str, ...],
    ) -> SearchResults:
        analysed = request.analysed
        statements = lexical_statements(LexicalQuery.of(request, model, facet_names), self._lexical_statements)
        with connection.cursor() as cursor:
            cursor.execute(*statements.count)
            total = int(cursor.fetchone()[0])
            cursor.execute(*statements.page)
            rows = cursor.fetchall()
            facet_rows = None
            if statements.facets is not None:
                cursor.execute(*statements.facets)
                facet_rows = cursor.fetchall()
        hits = []
        for stored, score in rows:
            document = load_document(stored)
            hits.append(
                Hit(
                    document=document,
                    score=float(score) if analysed else None,
                    highlights=highlights_for(document, analysed.terms, highlight_fields),
                )
            )
        facets = _facet_results(facet_rows, facet_names) if request.with_facets else {}
        return SearchResults(total=total, hits=hits, facets=facets)

    @classmethod
    def _lexical_statements(cls, query: LexicalQuery) -> LexicalStatements:
        """The SQL of a lexical search, built by the ORM (nothing is executed, except on SQLite the rarity
        aggregate that weights its score): the total, the page of ``(document, score)`` rows, the facet counts."""
        model = query.model
        analysed = query.analysed
        base = cls._match_text(cls._admissible(query, model), analysed, model, query.minimum)
        selected = dict(query.selected)
        filtered = base.filter(*[cls._facet_q(model, name, values) for name, values in selected.items()])
        matches_sql, matches_params = filtered.order_by().values("pk").query.sql_with_params()
        ordered = cls._order(cls._annotate_score(filtered, analysed, model), query.sort, bool(analysed))
        page = ordered.values_list("document", "score")[query.offset : query.offset + query.limit]
        return LexicalStatements(
            count=(f"SELECT COUNT(*) FROM ({matches_sql}) matches", tuple(matches_params)),
            page=page.query.sql_with_params(),
            facets=cls._facet_statement(model, base, selected, query.facet_names) if query.with_facets else None,
        )

    @staticmethod
    def _match_text(queryset: QuerySet, analysed: AnalysedQuery, model: type, minimum: int) -> QuerySet:
        """Documents matching at least ``minimum`` of the required clauses."""
        if not analysed:
            return queryset
        required = analysed.required
        if _is_postgres():
            # One GIN scan for the candidates (any clause), then the count of clauses each one matches.
            candidates = _tsquery(" | ".join(_clause_tsquery(clause) for clause in required))
            any_clause = Q(vector=candidates)
            keys = [a.concept_key for c in required for a in c.alternatives if a.concept_key]
            if keys and model is VariableEntry:
                for key in keys:
                    any_clause |= Q(concept_keys__contains=f"|{key}|")
            queryset = queryset.filter(any_clause)
            if minimum <= 1:
                return queryset
        return queryset.alias(clauses_matched=_matched_count(required, model)).filter(clauses_matched__gte=minimum)

    @staticmethod
    def _annotate_score(queryset: QuerySet, analysed: AnalysedQuery, model: type) -> QuerySet:
        if not analysed:
            return queryset.annotate(score=Value(0.0, output_field=FloatField()))
        score: Any = Case(
            When(exact=analysed.exact, then=Value(EXACT_MATCH_BONUS)), default=Value(0.0), output_field=FloatField()
        )
        if analysed.phrase:
            score = score + Case(
                When(primary__contains=pad(" ".join(analysed.phrase)), then=Value(PHRASE_BONUS)),
                default=Value(0.0),
                output_field=FloatField(),
            )
        if _is_postgres():
            everything = _tsquery(" | ".join(_clause_tsquery(clause) for clause in analysed.clauses))
            matched = _matched_count(analysed.required, model)
            return queryset.annotate(
                score=SearchRank(F("vector"), everything, cover_density=True) + matched * Value(1.0) + score
            )
        rarity = _rarities(queryset, analysed.clauses, model)
        for clause in analysed.clauses:
            weight = rarity[clause] * (OPTIONAL_WEIGHT if clause in analysed.optional else 1.0)
            score = score + Case(
                When(_clause_q(clause, model, fields=("primary",)), then=Value(PRIMARY_WEIGHT * weight)),
                When(_clause_q(clause, model), then=Value(SECONDARY_WEIGHT * weight)),
                default=Value(0.0),
                output_field=FloatField(),
            )
        return queryset.annotate(score=score)

    @staticmethod
    def _order(queryset: QuerySet, sort: str, has_text: bool) -> QuerySet:
        if sort == "patients":
            return queryset.order_by(F("patient_count").desc(nulls_last=True), "pk")
        if sort == "updated" or not has_text:
            return queryset.order_by("-updated_at", "pk")
        return queryset.order_by("-score", "-updated_at", "pk")

    @staticmethod
    def _facet_q(model: type[DatasetEntry] | type[VariableEntry], name: str, values: Collection[str]) -> Q:
        if name == "value_type":
            return Q(value_type__in=list(values))
        datasets = FacetValue.objects.filter(facet=name, value__in=list(values)).values("dataset_id")
        return Q(pk__in=datasets) if model is DatasetEntry else Q(dataset_id__in=datasets)

    @classmethod
    def _facet_statement(
        cls,
        model: type[DatasetEntry] | type[VariableEntry],
        base: QuerySet,
        selected: dict[str, tuple[str, ...]],
        facet_names: tuple[str, ...],
    ) -> Statement | None:
        """Disjunctive facet counts, counted by the database (``GROUP BY``) in one statement (``None``: no facet).

        Each facet's counts apply every selection except its own, so picking AML still shows how
        many ALL datasets there are. Facets applying the same selections (all the unselected ones)
        share one set of counting units, so the statement has one part per selected facet plus one:
        the matching datasets, or the matching variables counted per dataset (and value type),
        joined to their datasets' facet values. Its rows are ``(facet, value, count)`` (:func:`_facet_results`).
        """
        groups: dict[tuple[str, ...], list[str]] = {}
        for name in facet_names:
            groups.setdefault(tuple(facet for facet in selected if facet != name), []).append(name)
        facet_table = connection.ops.quote_name(FacetValue._meta.db_table)
        ctes: list[str] = []
        parts: list[str] = []
        cte_params: list[Any] = []
        part_params: list[Any] = []
        for index, (applied, names) in enumerate(groups.items()):
            units = base.filter(*[cls._facet_q(model, facet, selected[facet]) for facet in applied]).order_by()
            dataset_facets = [name for name in names if name != "value_type"]
            if model is DatasetEntry:
                units_sql, units_params = units.values("pk").query.sql_with_params()
                placeholders = ", ".join(["%s"] * len(dataset_facets))
                parts.append(
                    f"SELECT fv.facet, fv.value, COUNT(*) FROM {facet_table} fv "
                    f"WHERE fv.facet IN ({placeholders}) AND fv.dataset_id IN ({units_sql}) "
                    "GROUP BY fv.facet, fv.value"
                )
                part_params += [*dataset_facets, *units_params]
                continue
            # Variables: counted once per (dataset, value type) — a few thousand rows whatever the catalogue's size.
            units_sql, units_params = (
                units.values("dataset_id", "value_type").annotate(n=Count("pk")).query.sql_with_params()
            )
            ctes.append(f"u{index} (dataset_id, value_type, n) AS ({units_sql})")
            cte_params += units_params
            if dataset_facets:
                placeholders = ", ".join(["%s"] * len(dataset_facets))
                parts.append(
                    f"SELECT fv.facet, fv.value, SUM(d.n) FROM "
                    f"(SELECT dataset_id, SUM(n) AS n FROM u{index} GROUP BY dataset_id) d "
                    f"JOIN {facet_table} fv ON fv.dataset_id = d.dataset_id "
                    f"WHERE fv.facet IN ({placeholders}) GROUP BY fv.facet, fv.value"
                )
                part_params += dataset_facets
            if "value_type" in names:
                parts.append(f"SELECT 'value_type', value_type, SUM(n) FROM u{index} GROUP BY value_type")
        if not parts:
            return None
        sql = (f"WITH {', '.join(ctes)} " if ctes else "") + " UNION ALL ".join(parts)
        return sql, (*cte_params, *part_params)

    def suggest(self, prefix: str, *, visibility: Visibility, limit: int = 10) -> list[Suggestion]:
        wanted = exact_form(prefix)
        if not wanted:
            return []
        suggestions: list[Suggestion] = []
        datasets = (
            DatasetEntry.objects.filter(visibility_q(visibility), exact__startswith=wanted)
            .order_by("exact", "pk")
            .values_list("document", flat=True)[:limit]
        )
        suggestions.extend(Suggestion(text=d["title"], kind="dataset", dataset_slug=d["slug"]) for d in datasets)
        # Many datasets share variable names: one row per distinct name (GROUP BY), so the list stays
        # complete however many datasets repeat the first names.
        firsts = (
            VariableEntry.objects.filter(visibility_q(visibility), exact__startswith=wanted)
            .order_by("exact")
            .values("exact")
            .annotate(first=Min("pk"))
            .values_list("first", flat=True)[:limit]
        )
        variables = (
            VariableEntry.objects.filter(pk__in=list(firsts)).order_by("exact").values_list("document", flat=True)
        )
        suggestions.extend(
            Suggestion(text=d["name"], kind="variable", dataset_slug=d["dataset_slug"]) for d in variables
        )
        return suggestions

    def feasibility(self, request: FeasibilityRequest) -> FeasibilityResults:
        terms = [parse_concept(raw) for raw in request.concepts]
        candidates = VariableEntry.objects.filter(visibility_q(request.visibility))
        if request.min_patients is not None:
            candidates = candidates.filter(patient_count__gte=request.min_patients)
        if request.disease:
            candidates = candidates.filter(self._facet_q(VariableEntry, "disease", [request.disease]))
        dataset_ids: set[int] | None = None
        for term in terms:
            ids = set(
                candidates.filter(self._concept_q(term)).order_by().values_list("dataset_id", flat=True).distinct()
            )
            dataset_ids = ids if dataset_ids is None else dataset_ids & ids
            if not dataset_ids:
                return FeasibilityResults(total_datasets=0, total_patients=0, datasets=[])
        assert dataset_ids is not None
        entries = list(
            DatasetEntry.objects.filter(pk__in=dataset_ids)
            .order_by(F("patient_count").desc(nulls_last=True), "pk")
            .values_list("pk", "patient_count", "document")
        )
        total_patients = sum(patient_count or 0 for _, patient_count, _ in entries)
        page = entries[: request.limit]
        page_ids = [pk for pk, _, _ in page]
        best: dict[tuple[int, str], Document] = {}
        for term in terms:
            exact = Case(When(exact=term.exact, then=Value(0)), default=Value(1), output_field=FloatField())
            rows = (
                candidates.filter(self._concept_q(term), dataset_id__in=page_ids)
                .annotate(rank=exact)
                .order_by("dataset_id", "rank", "pk")
                .values_list("dataset_id", "document")
            )
            for dataset_id, document in rows:
                best.setdefault((dataset_id, term.raw), document)
        datasets = [
            FeasibilityDataset(
                dataset=document,
                matches=[FeasibilityMatch(concept=term.raw, variable=best[(pk, term.raw)]) for term in terms],
            )
            for pk, _, document in page
        ]
        return FeasibilityResults(total_datasets=len(entries), total_patients=total_patients, datasets=datasets)

    @staticmethod
    def _concept_q(term: ConceptTerm) -> Q:
        if term.concept_key is not None:
            return Q(concept_keys__contains=f"|{term.concept_key}|")
        condition = Q()
        for token in term.tokens:
            condition &= Q(primary__contains=pad(token))
        return condition if term.tokens else Q(pk__in=[])

    # Keeping the index true -------------------------------------------------------------

    @transaction.atomic
    def index_datasets(self, dataset_ids: Collection[int]) -> None:
        ids = sorted(set(dataset_ids))
        for chunk in _chunks(ids, 500):
            self._delete(chunk)
            self._write(iter_dataset_documents(chunk))

    @transaction.atomic
    def rebuild(self, *, chunk_size: int = 500) -> dict[str, int]:
        # One transaction: readers keep seeing the old rows until the new ones commit.
        self.clear()
        counts = {"datasets": 0, "variables": 0}
        dataset_ids = list(Dataset.objects.order_by("pk").values_list("pk", flat=True))
        for chunk in _chunks(dataset_ids, chunk_size):
            written = self._write(iter_dataset_documents(chunk))
            counts["datasets"] += written["datasets"]
            counts["variables"] += written["variables"]
        return counts

    def clear(self) -> None:
        FacetValue.objects.all().delete()
        VariableEntry.objects.all().delete()
        DatasetEntry.objects.all().delete()

    @staticmethod
    def _delete(dataset_ids: list[int]) -> None:
        FacetValue.objects.filter(dataset_id__in=dataset_ids).delete()
        VariableEntry.objects.filter(dataset_id__in=dataset_ids).delete()
        DatasetEntry.objects.filter(pk__in=dataset_ids).delete()

    def _write(self, dataset_documents: Iterable[Document]) -> dict[str, int]:
        documents = list(dataset_documents)
        write_rows(DatasetEntry, with_text_hashes([dataset_row(d) for d in documents], documents))
        write_rows(FacetValue, facet_rows(documents))
        variable_count = 0
        for batch in _chunks(iter_variable_documents(documents), WRITE_BATCH_SIZE):
            write_rows(VariableEntry, with_text_hashes([variable_row(v) for v in batch], batch))
            variable_count += len(batch)
        return {"datasets": len(documents), "variables": variable_count}

    def indexed_digests(self, doc_type: str) -> dict[int, str]:
        model = DatasetEntry if doc_type == "datasets" else VariableEntry
        return dict(model.objects.values_list("pk", "digest").iterator(chunk_size=10_000))


def _by_count(value_count: tuple[str, int]) -> tuple[int, str]:
    return -value_count[1], value_count[0]


def _facet_results(rows: list[tuple[Any, ...]] | None, facet_names: tuple[str, ...]) -> dict[str, list[FacetCount]]:
    """The facet statement's ``(facet, value, count)`` rows as the counts of each facet, ordered by count, then
    value, the first ``FACET_SIZE`` of each (no facet at all when there was no statement)."""
    if rows is None:
        return {}
    counts: dict[str, list[tuple[str, int]]] = {name: [] for name in facet_names}
    for facet, value, n in rows:
        counts[facet].append((value, int(n)))
    return {
        name: [FacetCount(value=value, count=n) for value, n in sorted(tally, key=_by_count)[:FACET_SIZE]]
        for name, tally in counts.items()
    }


def _tsquery(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="raw", config="simple")


def _clause_tsquery(clause: Clause) -> str:
    """A clause as tsquery text: its alternatives OR'ed, each alternative's terms AND'ed.

    Terms are analysed words (ASCII letters and digits only), so they need no quoting.
    """
    parts = [" & ".join(a.terms) for a in clause.alternatives if a.terms]
    return "(" + " | ".join(f"({part})" for part in parts) + ")" if parts else "(zzzznomatch)"


def _clause_q(clause: Clause, model: type, *, fields: tuple[str, ...] = ("primary", "secondary")) -> Q:
    """Whether a document matches ``clause`` (in one of ``fields``): ``LIKE`` conditions, or tsquery on PostgreSQL."""
    condition = Q(pk__in=[])
    for alternative in clause.alternatives:
        if alternative.concept_key is not None:
            if model is VariableEntry:
                condition |= Q(concept_keys__contains=f"|{alternative.concept_key}|")
            continue
        if _is_postgres() and fields == ("primary", "secondary"):
            condition |= Q(vector=_tsquery(" & ".join(alternative.terms)))
            continue
        every = Q()
        for term in alternative.terms:
            anywhere = Q()
            for name in fields:
                anywhere |= Q(**{f"{name}__contains": pad(term)})
            every &= anywhere
        condition |= every
    return condition


def _matched_count(clauses: tuple[Clause, ...], model: type) -> Any:
    """How many of ``clauses`` a document matches, as an SQL expression."""
    count: Any = Value(0)
    for clause in clauses:
        matched = When(_clause_q(clause, model), then=Value(1))
        count = count + Case(matched, default=Value(0), output_field=IntegerField())
    return count


def _rarities(queryset: QuerySet, clauses: tuple[Clause, ...], model: type) -> dict[Clause, float]:
    """Inverse document frequency of each clause among the candidates (one aggregate query)."""
    if not clauses:
        return {}
    counts = queryset.aggregate(
        _total=Count("pk"),
        **{f"c{index}": Count("pk", filter=_clause_q(clause, model)) for index, clause in enumerate(clauses)},
    )
    total = counts.pop("_total") or 0
    return {clause: math.log(1.0 + (total + 1) / (counts[f"c{index}"] + 1)) for index, clause in enumerate(clauses)}
