"""Anchors: the chain's head written outside the database, so that lost newest events are noticed.

The anchor log (``AUDIT_ANCHOR_FILE``, by default ``VAR_DIR/audit-anchors.log``) is append-only:
each line is one JSON object ``{"seq", "count", "head", "at", "mac"}`` — the id of the newest event,
the number of events up to it, its hash, the time, and an HMAC (the chain's key) over the rest.
Deleting the newest events or truncating the table leaves the chain itself intact, but its head no
longer reaches the latest anchor; that is what ``check_anchors`` reports. Events written after the
latest anchor are protected by the chain only, so anchors are written periodically (README).
"""

from __future__ import annotations

import hmac
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from audit.chain import ChainHead, ChainProblem, canonical_json, chain_key, keyed_digest

_ANCHOR_DOMAIN = "harmony-audit-anchor:"  # keeps an anchor's MAC distinct from any event hash


@dataclass(frozen=True)
class Anchor:
    seq: int | None
    count: int
    head: str
    at: str

    def fields(self) -> dict[str, Any]:
        return {"seq": self.seq, "count": self.count, "head": self.head, "at": self.at}


def anchor_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def _mac(fields: Mapping[str, Any], key: bytes) -> str:
    return keyed_digest(_ANCHOR_DOMAIN + canonical_json(dict(fields)), key)


def write_anchor(head: ChainHead, path: Path | None = None) -> Anchor:
    """Append ``head`` as one authenticated line to the anchor log (created if missing) and fsync it."""
    path = path or anchor_path()
    anchor = Anchor(seq=head.event_id, count=head.count, head=head.hash, at=timezone.now().isoformat())
    line = canonical_json({**anchor.fields(), "mac": _mac(anchor.fields(), chain_key())}) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, line.encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return anchor


def read_anchors(path: Path | None = None) -> tuple[list[Anchor], ChainProblem | None]:
    """Every anchor of the log in order, or the first line that is not authentic (edited or forged)."""
    path = path or anchor_path()
    if not path.exists():
        return [], None
    key = chain_key()
    anchors: list[Anchor] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            data = json.loads(raw)
            anchor = Anchor(seq=data["seq"], count=data["count"], head=data["head"], at=data["at"])
            authentic = hmac.compare_digest(_mac(anchor.fields(), key), str(data["mac"]))
        except (ValueError, KeyError, TypeError):
            authentic = False
        if not authentic:
            return anchors, ChainProblem(None, f"anchor log {path} line {number} is not an authentic anchor")
        if anchors and (anchor.count < anchors[-1].count):
            return anchors, ChainProblem(None, f"anchor log {path} line {number} goes back in the chain")
        anchors.append(anchor)
    return anchors, None


def check_anchors(head: ChainHead, anchors: list[Anchor]) -> ChainProblem | None:
    """Does the intact chain whose head is ``head`` still reach the latest anchor?

    ``head`` must come from ``verify_chain(..., watch_id=latest.seq)``: the anchored event must be in
    the chain with the anchored hash and as many events up to it as when it was anchored.
    """
    if not anchors or anchors[-1].count == 0:
        return None
    latest = anchors[-1]
    if head.count < latest.count:
        return ChainProblem(
            None,
            f"the chain has {head.count} events but {latest.count} were anchored at {latest.at} "
            f"(newest anchored event #{latest.seq}): events were deleted or the table was truncated",
        )
    if head.watched != (latest.head, latest.count):
        return ChainProblem(
            latest.seq,
            f"event #{latest.seq} anchored at {latest.at} is missing or differs from its anchor: "
            "the chain was rewritten or its newest events were deleted",
        )
    return None
