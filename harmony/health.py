"""``/healthz``: is this web process able to serve? (for load balancers, systemd and monitoring).

The database is always checked (``SELECT 1``); apps add their own checks at startup with
:func:`register` (the search app checks its backend), so this floor-0 module imports no app.
Each check must be cheap: it runs on every probe, without authentication.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

HealthCheck = Callable[[], None]
"""Returns when the dependency is usable; raises (any exception, with a readable message) when it is not."""

_checks: dict[str, HealthCheck] = {}


def register(name: str, check: HealthCheck) -> None:
    """Add (or replace) the check ``name``; called from an app's ``AppConfig.ready()``."""
    _checks[name] = check


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def run_checks() -> dict[str, dict[str, object]]:
    """Run the database check and every registered one; never raises."""
    results: dict[str, dict[str, object]] = {}
    for name, check in {"database": check_database, **_checks}.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as error:  # a health check reports failures, it never fails itself
            logger.warning("health check %s failed: %s", name, error)
            results[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"[:500]}
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return results


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 ``{"status": "ok", "checks": {...}}`` when every check passes, else 503 with ``"status": "unavailable"``."""
    checks = run_checks()
    healthy = all(result["ok"] for result in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503
    )
