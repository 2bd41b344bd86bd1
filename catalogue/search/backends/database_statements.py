"""The database backend's statements: what a search's SQL is built from, and the compiled SQL kept per query shape.

A search's SQL is built by the ORM (:class:`~catalogue.search.backends.database.DatabaseSearchBackend`) from a
:class:`LexicalQuery` or a :class:`SemanticQuery`: exactly what the builder reads of a request, nothing else. Its
SQL depends on the query's *shape* (the model; how many clauses, alternatives and terms; which facets are selected
and with how many values; the sort, page and page size; the visibility's structure) and, within a shape, only on
its *values* (terms, concept keys, the exact form, facet values, statuses, ids, text hashes), which the compiled
parameters carry either as themselves or inside a parameter string (a tsquery such as ``((npm1) | (npm))``, a
``LIKE`` pattern such as ``% jak2 v617f %``).

So on PostgreSQL a query is split into a *template* — the same query with each value replaced by a marker — and
its values; the statements the builder makes for the template are kept under the template (it is the cache key:
two queries share compiled SQL exactly when their templates are equal), and a query's statements are those with
the markers replaced by its values. Compiling three to five statements with the ORM cost 4 to 6 ms of Python per
search, binding a template a few hundredths of that. The builder is the same code with or without the cache:
``tests/search/test_statement_templates.py`` checks that bound statements equal the directly built ones.

Not cached: SQLite (the builder runs a rarity aggregate there and puts its answer into the score), and queries
with a value the ORM would rewrite (a ``LIKE`` value holding ``%``, ``_`` or ``\\``, which it escapes) or that
holds the marker character.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from threading import Lock
from typing import TYPE_CHECKING, Any

import orjson
from django.db import connection

from catalogue.search.backends.base import SearchRequest, Visibility
from catalogue.search.query import Alternative, AnalysedQuery, Clause

if TYPE_CHECKING:
    from catalogue.search.models import DatasetEntry, VariableEntry

Statement = tuple[str, tuple[Any, ...]]

TEMPLATES_KEPT = 2048
_MARK = "\x00"  # never in a request's text: DRF's CharField refuses it, PostgreSQL cannot store it
_INT_MARKER_BASE = -(10**15)  # far below every id, so markers sort like the values they stand for
_LIKE_SPECIAL = frozenset("%_\\")


@dataclass(frozen=True)
class LexicalQuery:
    """What the lexical statements are built from (``minimum``: how many required clauses a match needs)."""

    model: type[DatasetEntry] | type[VariableEntry]
    visibility: Visibility
    dataset_ids: tuple[int, ...] | None
    analysed: AnalysedQuery
    minimum: int
    selected: tuple[tuple[str, tuple[str, ...]], ...]
    facet_names: tuple[str, ...]
    sort: str
    offset: int
    limit: int
    with_facets: bool

    @classmethod
    def of(
        cls,
        request: SearchRequest,
        model: type[DatasetEntry] | type[VariableEntry],
        facet_names: tuple[str, ...],
    ) -> LexicalQuery:
        analysed = request.analysed
        return cls(
            model=model,
            visibility=request.visibility,
            dataset_ids=_ids(request.dataset_ids),
            analysed=analysed,
            minimum=request.minimum_should_match if analysed else 0,
            selected=_selected(request, facet_names),
            facet_names=facet_names,
            sort=request.sort,
            offset=request.offset,
            limit=request.page_size,
            with_facets=request.with_facets,
        )


@dataclass(frozen=True)
class SemanticQuery:
    """What the semantic leg's statement is built from: the admissible entries (``selected`` facets applied)
    whose text is one of ``text_hashes`` (nearest first), the first ``limit``."""

    model: type[DatasetEntry] | type[VariableEntry]
    visibility: Visibility
    dataset_ids: tuple[int, ...] | None
    selected: tuple[tuple[str, tuple[str, ...]], ...]
    text_hashes: tuple[str, ...]
    limit: int

    @classmethod
    def of(
        cls,
        request: SearchRequest,
        model: type[DatasetEntry] | type[VariableEntry],
        facet_names: tuple[str, ...],
        text_hashes: tuple[str, ...],
        limit: int,
    ) -> SemanticQuery:
        return cls(
            model=model,
            visibility=request.visibility,
            dataset_ids=_ids(request.dataset_ids),
            selected=_selected(request, facet_names),
            text_hashes=text_hashes,
            limit=limit,
        )


@dataclass(frozen=True)
class LexicalStatements:
    """A lexical search's SQL: its total (one row, one column), its page of ``(document, score)`` rows, and its
    facet counts as ``(facet, value, count)`` rows (``None``: no facets asked for)."""

    count: Statement
    page: Statement
    facets: Statement | None


def _ids(ids: Collection[int] | None) -> tuple[int, ...] | None:
    return None if ids is None else tuple(sorted(ids))


def _selected(request: SearchRequest, facet_names: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((name, tuple(values)) for name, values in request.active_filters().items() if name in facet_names)


def load_document(stored: str) -> dict[str, Any]:
    """A stored document (the JSON text both databases return for the column) decoded: what
    ``JSONField.from_db_value`` gives, decoded by orjson (a third of the time of ``json.loads``)."""
    return orjson.loads(stored)


# Templates -------------------------------------------------------------------------------


class _Markers:
    """Hands out markers for a query's values, in the order asked, and keeps the values they stand for.

    Collections the builder sorts are marked in sorted order, so the markers sort as their values do.
    A falsy value stays as it is: the builder may test truthiness, so it belongs to the shape.
    """

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.ints: list[int] = []
        self.cacheable = True

    def text(self, value: str, *, in_like: bool = False) -> str:
        if not value:
            return value
        if _MARK in value or (in_like and not _LIKE_SPECIAL.isdisjoint(value)):
            self.cacheable = False
        self.texts.append(value)
        return f"{_MARK}{len(self.texts) - 1:06d}{_MARK}"

    def texts_as_given(self, values: tuple[str, ...]) -> tuple[str, ...]:
        """Markers for values that are never empty nor in a ``LIKE`` (the semantic leg's text hashes), at once."""
        start = len(self.texts)
        self.texts.extend(values)
        if any(_MARK in value for value in values):
            self.cacheable = False
        return tuple([f"{_MARK}{number:06d}{_MARK}" for number in range(start, len(self.texts))])

    def texts_sorted(self, values: Collection[str]) -> frozenset[str]:
        return frozenset(self.text(value) for value in sorted(values))

    def integer(self, value: int) -> int:
        self.ints.append(value)
        return _INT_MARKER_BASE + len(self.ints) - 1

    def visibility(self, visibility: Visibility) -> Visibility:
        return Visibility(
            statuses=self.texts_sorted(visibility.statuses),
            curated_statuses=self.texts_sorted(visibility.curated_statuses),
            curated_partner_ids=frozenset(self.integer(pk) for pk in sorted(visibility.curated_partner_ids)),
            all_partners=visibility.all_partners,
        )

    def ids(self, ids: tuple[int, ...] | None) -> tuple[int, ...] | None:
        return None if ids is None else tuple(self.integer(pk) for pk in ids)

    def selected(self, selected: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple((name, tuple(self.text(value) for value in values)) for name, values in selected)

    def analysed(self, analysed: AnalysedQuery) -> AnalysedQuery:
        # What the builder never reads (the typed text, languages, fuzzy forms, expansions shown) is left out of
        # the template, so queries differing only there share it.
        return AnalysedQuery(
            text="",
            languages=(),
            clauses=tuple(
                Clause(
                    text="",
                    alternatives=tuple(
                        Alternative(
                            terms=tuple(self.text(term) for term in alternative.terms),
                            concept_key=None
                            if alternative.concept_key is None
                            else self.text(alternative.concept_key, in_like=True),
                            expansion=alternative.expansion,
                        )
                        for alternative in clause.alternatives
                    ),
                    optional=clause.optional,
                )
                for clause in analysed.clauses
            ),
            phrase=tuple(self.text(word, in_like=True) for word in analysed.phrase),
            exact=self.text(analysed.exact),
            expanded_terms=(),
        )


def lexical_template(query: LexicalQuery) -> tuple[LexicalQuery, _Markers]:
    markers = _Markers()
    template = replace(
        query,
        visibility=markers.visibility(query.visibility),
        dataset_ids=markers.ids(query.dataset_ids),
        analysed=markers.analysed(query.analysed),
        selected=markers.selected(query.selected),
    )
    return template, markers


def semantic_template(query: SemanticQuery) -> tuple[SemanticQuery, _Markers]:
    markers = _Markers()
    template = replace(
        query,
        visibility=markers.visibility(query.visibility),
        dataset_ids=markers.ids(query.dataset_ids),
        selected=markers.selected(query.selected),
        text_hashes=markers.texts_as_given(query.text_hashes),
    )
    return template, markers


def _is_int_marker(param: Any) -> bool:
    return isinstance(param, int) and not isinstance(param, bool) and param < _INT_MARKER_BASE // 2


@dataclass(frozen=True)
class _Compiled:
    """One statement compiled from a template, with where its parameters hold markers.

    ``marked``: for each parameter holding markers, its position and how to bind it: an integer marker's type
    (the ORM may wrap an id in the driver's integer type, psycopg's ``Int8``, and the value keeps the wrapper),
    or a text parameter's pieces, split once here: its literal parts at even positions, the numbers of the
    values that go between them at odd ones.
    """

    sql: str
    params: tuple[Any, ...]
    marked: tuple[tuple[int, Any], ...]

    @classmethod
    def of(cls, statement: Statement) -> _Compiled:
        sql, params = statement
        marked: list[tuple[int, Any]] = []
        for index, param in enumerate(params):
            if _is_int_marker(param):
                marked.append((index, type(param)))
            elif isinstance(param, str) and _MARK in param:
                pieces = param.split(_MARK)
                marked.append((index, tuple(int(piece) if odd else piece for odd, piece in _alternating(pieces))))
        return cls(sql=sql, params=tuple(params), marked=tuple(marked))

    def bind(self, markers: _Markers) -> Statement:
        if not self.marked:
            return self.sql, self.params
        params = list(self.params)
        texts = markers.texts
        for index, how in self.marked:
            if isinstance(how, type):
                params[index] = how(markers.ints[params[index] - _INT_MARKER_BASE])
            elif len(how) == 3 and not how[0] and not how[2]:  # the whole parameter is one marker
                params[index] = texts[how[1]]
            else:
                params[index] = "".join(texts[piece] if odd else piece for odd, piece in _alternating(how))
        return self.sql, tuple(params)


def _alternating(pieces: Any) -> Any:
    return ((position % 2 == 1, piece) for position, piece in enumerate(pieces))


class _TemplateCache:
    """Compiled statements per (database vendor, template), the most recently used ``TEMPLATES_KEPT`` kept."""

    def __init__(self) -> None:
        self._compiled: OrderedDict[tuple[str, Any], Any] = OrderedDict()
        self._lock = Lock()

    def get(self, key: tuple[str, Any]) -> Any:
        with self._lock:
            compiled = self._compiled.get(key)
            if compiled is not None:
                self._compiled.move_to_end(key)
            return compiled

    def put(self, key: tuple[str, Any], compiled: Any) -> None:
        with self._lock:
            self._compiled[key] = compiled
            while len(self._compiled) > TEMPLATES_KEPT:
                self._compiled.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._compiled.clear()


_templates = _TemplateCache()


def forget_templates() -> None:
    """Drop every compiled template (tests that compare the cached and the direct statements start empty)."""
    _templates.clear()


def _cacheable() -> bool:
    return connection.vendor == "postgresql"


def lexical_statements(query: LexicalQuery, build: Callable[[LexicalQuery], LexicalStatements]) -> LexicalStatements:
    """``build(query)``, from the compiled template of ``query``'s shape when there is one (compiled now if not)."""
    if not _cacheable():
        return build(query)
    template, markers = lexical_template(query)
    if not markers.cacheable:
        return build(query)

    def compile_template(template: LexicalQuery) -> tuple[_Compiled, _Compiled, _Compiled | None]:
        built = build(template)
        facets = None if built.facets is None else _Compiled.of(built.facets)
        return _Compiled.of(built.count), _Compiled.of(built.page), facets

    count, page, facets = _compiled_for(template, compile_template)
    return LexicalStatements(
        count=count.bind(markers), page=page.bind(markers), facets=None if facets is None else facets.bind(markers)
    )


def semantic_statement(query: SemanticQuery, build: Callable[[SemanticQuery], Statement]) -> Statement:
    """``build(query)``, from the compiled template of ``query``'s shape when there is one (compiled now if not)."""
    if not _cacheable():
        return build(query)
    template, markers = semantic_template(query)
    if not markers.cacheable:
        return build(query)
    return _compiled_for(template, lambda template: _Compiled.of(build(template))).bind(markers)


def _compiled_for(template: Any, compile_template: Callable[[Any], Any]) -> Any:
    """The statements compiled for ``template`` on this database, compiled now (and kept) if there are none."""
    key = (connection.vendor, template)
    compiled = _templates.get(key)
    if compiled is None:
        compiled = compile_template(template)
        _templates.put(key, compiled)
    return compiled
