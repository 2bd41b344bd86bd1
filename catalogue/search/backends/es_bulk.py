"""Writing to Elasticsearch: the indexed source of a document, and bulk requests (serial or from threads).

Rendering reads the database, so it stays on the calling thread (Django connections are per thread);
only the HTTP requests go to the pool.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from elasticsearch import Elasticsearch, helpers

from catalogue.search.backends.es_mappings import visibility_contexts
from catalogue.search.documents import Document
from catalogue.search.embeddings import embedded_text, text_hash

SCAN_PAGE_SIZE = 5000


class IndexingError(RuntimeError):
    """Elasticsearch refused some documents (the first errors are in the message)."""


def es_document(document: Document, *, sync_token: str | None = None) -> Document:
    """The Elasticsearch source of a rendered document: plus its completion input and contexts, and the hash
    of its embedded text (its vector is in the ``texts`` index, :mod:`.es_knn`)."""
    source = dict(document)
    text = embedded_text(document)
    if text:
        source["text_hash"] = text_hash(text)
    source["suggest"] = {
        "input": [document["exact"]] if document["exact"] else [],
        "contexts": {"visibility": visibility_contexts(document["status"], document["partner_id"])},
    }
    if sync_token is not None:
        source["sync_token"] = sync_token
    return source


def batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def bulk(client: Elasticsearch, actions: Iterable[dict[str, Any]], *, chunk_size: int) -> int:
    """Send ``actions`` (index or delete) in chunks; deleting what is already gone counts as success.

    Returns the number of actions; raises :class:`IndexingError` if any was refused.
    """
    errors: list[Any] = []
    count = 0
    for ok, item in helpers.streaming_bulk(client, actions, chunk_size=chunk_size, raise_on_error=False, max_retries=2):
        count += 1
        if not ok:
            outcome = next(iter(item.values()))
            if outcome.get("status") == 404 and "delete" in item:
                continue  # deleting what is already gone is success (idempotent)
            errors.append(item)
    if errors:
        raise IndexingError(f"{len(errors)} documents refused, first: {errors[:3]}")
    return count


def parallel_bulk(client: Elasticsearch, actions: Iterable[dict[str, Any]], *, chunk_size: int, threads: int) -> None:
    """Send index ``actions`` in chunks from ``threads`` threads while this thread keeps producing them.

    ``helpers.parallel_bulk`` would consume the generator in a pool thread, away from this thread's database
    connection. At most two chunks per thread are in flight, so memory stays flat.
    """
    in_flight: deque[Future[list[Any]]] = deque()
    errors: list[Any] = []
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="search-bulk") as pool:
        for chunk in batches(actions, chunk_size):
            in_flight.append(pool.submit(_send_chunk, client, chunk))
            if len(in_flight) >= 2 * threads:
                errors.extend(in_flight.popleft().result())
        while in_flight:
            errors.extend(in_flight.popleft().result())
    if errors:
        raise IndexingError(f"{len(errors)} documents refused, first: {errors[:3]}")


def _send_chunk(client: Elasticsearch, chunk: list[dict[str, Any]]) -> list[Any]:
    operations: list[Any] = []
    for action in chunk:
        operations.append({"index": {"_index": action["_index"], "_id": action["_id"]}})
        operations.append(action["_source"])
    response = client.bulk(operations=operations)
    if not response["errors"]:
        return []
    return [item for item in response["items"] if item["index"].get("error")]


def scan_ids(search: Callable[..., Any], index: str, query: dict[str, Any]) -> list[int]:
    """Every matching document id (``search_after`` on ``id``; no scroll context to leak), each page fetched by
    ``search`` (the backend's search answered by every shard: a page missing a lost node's shard would leave
    stale documents behind)."""
    found: list[int] = []
    after: list[Any] | None = None
    while True:
        response = search(
            index=index, query=query, sort=[{"id": "asc"}], size=SCAN_PAGE_SIZE, source=False, search_after=after
        )
        hits = response["hits"]["hits"]
        found.extend(int(hit["_id"]) for hit in hits)
        if len(hits) < SCAN_PAGE_SIZE:
            return found
        after = hits[-1]["sort"]
