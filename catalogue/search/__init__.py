"""Search over datasets and variables: one interface, a database backend (default) and an Elasticsearch one.

Where things live:

* ``text.py``, ``analysis/`` — the application's text analysis, applied to indexed text *and* queries
  (accent folding, hematology notation, British/American spelling, Snowball stemming per language),
  so every backend and every Elasticsearch cluster (even one without ``analysis-common``) matches
  the same way; ``highlighting.py`` marks the matched words of displayed text.
* ``query.py``, ``thesaurus.py`` (``data/thesaurus.csv``), ``corrections.py`` — a query's ranked-matching
  clauses (stop words optional, thesaurus expansion, minimum-should-match), the hematology thesaurus,
  and "did you mean" over the published catalogue's words.
* ``documents.py`` / ``facets.py`` — the documents both backends index and the facet values they carry.
* ``backends/`` — ``base.py`` (the interface and its value objects), ``database.py`` (with
  ``database_rows.py``), ``elasticsearch.py`` (the backend) with ``es_queries.py`` (request bodies),
  ``es_knn.py`` (the semantic leg over the texts index), ``es_bulk.py`` (writing) and ``es_mappings.py``;
  ``get_search_backend()`` loads ``settings.SEARCH_BACKEND``.
* ``outbox.py`` / ``sync.py`` — the transactional outbox: ``record_dataset_changes`` in the catalogue's
  write transaction, ``apply_pending_changes`` (``manage.py search_sync``) applies it idempotently;
  ``rebuild_index`` (``manage.py search_reindex``) rebuilds with an alias swap; ``search_check`` compares.
* ``selectors.py`` — the only entry point for reads: turns the user into a ``Visibility`` (the
  catalogue's rule: published for all, drafts and asked-for retired datasets for their curators).
* ``api/``, ``views.py`` — the REST API (``/api/v1/search/…``) and the search and feasibility pages.

After-commit syncing (``SEARCH_SYNC_ON_COMMIT``): a write touching datasets with at most
``sync.INLINE_SYNC_MAX_VARIABLES`` (5,000) variables is indexed right after its commit, in the
request; larger ones (a 100,000-variable dictionary import) are left to ``search_sync``, which must
run continuously in production (``search_sync --loop``) — re-indexing 100,000 variables takes tens of
seconds, too long to hold a request. Nothing depends on the inline path: it is an optimisation
of latency, the outbox is the guarantee.
"""
