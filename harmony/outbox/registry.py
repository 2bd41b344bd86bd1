"""Which handler delivers which kind of outbox message (filled by the apps at startup)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:  # the registry is imported by AppConfig.ready(), models may not be loaded at import
    from harmony.outbox.models import OutboxMessage

MessageHandler = Callable[[list["OutboxMessage"]], None]
"""Delivers a batch of messages of one kind; raises to have the whole batch retried later."""


@dataclass(frozen=True)
class Handler:
    kind: str
    deliver: MessageHandler
    batch_size: int = 1
    max_attempts: int | None = 8  # None: retry for ever (the search index must converge)
    backoff_seconds: float = 30.0  # first retry delay; doubled per attempt
    max_backoff_seconds: float = 3600.0


_handlers: dict[str, Handler] = {}


def register(
    kind: str,
    deliver: MessageHandler,
    *,
    batch_size: int = 1,
    max_attempts: int | None = 8,
    backoff_seconds: float = 30.0,
    max_backoff_seconds: float = 3600.0,
) -> Handler:
    """Register the handler of ``kind``; registering the same kind twice with another function is an error."""
    handler = Handler(kind, deliver, batch_size, max_attempts, backoff_seconds, max_backoff_seconds)
    existing = _handlers.get(kind)
    if existing is not None and existing.deliver is not deliver:
        raise ImproperlyConfigured(f"Outbox kind {kind!r} already has a handler ({existing.deliver!r}).")
    _handlers[kind] = handler
    return handler


def handler_for(kind: str) -> Handler:
    try:
        return _handlers[kind]
    except KeyError:
        raise ImproperlyConfigured(f"No outbox handler is registered for {kind!r}.") from None


def handlers() -> list[Handler]:
    return sorted(_handlers.values(), key=lambda handler: handler.kind)
