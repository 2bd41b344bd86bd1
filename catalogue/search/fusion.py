"""Reciprocal-rank fusion of the lexical and the semantic result lists (pure: no database, no backend).

RRF (Cormack, Clarke and Büttcher, SIGIR 2009) scores each item by the sum over the lists it appears in of
``1 / (k + rank)``, rank counted from 1. It needs no score calibration between a BM25 / ``ts_rank`` list
and a cosine list, which is why it is used here; ``k = 60`` is the paper's constant.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

K = 60

Key = TypeVar("Key", bound=Hashable)


def reciprocal_rank_fusion(rankings: Sequence[Sequence[Key]], *, k: int = K) -> list[tuple[Key, float]]:
    """Every item of ``rankings`` once, with its fused score, best first.

    An item repeated within one ranking counts at its best rank only. Ties keep the order in which the items
    first appear (the first ranking's order first), so the result is deterministic.
    """
    scores: dict[Key, float] = {}
    for ranking in rankings:
        seen: set[Key] = set()
        for rank, item in enumerate(ranking, start=1):
            if item in seen:
                continue
            seen.add(item)
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    first_seen = {item: index for index, item in enumerate(scores)}
    return sorted(scores.items(), key=lambda pair: (-pair[1], first_seen[pair[0]]))
