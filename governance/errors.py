"""Exceptions raised by governance services; the API and the pages turn them into responses.

Status mapping (governance.api.views.ServiceErrorMixin):

- :class:`NotPermitted` → 403: who you are does not allow this (not a DAC member, recused, not the requester).
- :class:`InvalidTransition` → 409: the item's or request's current state forbids this (the transition
  table in governance.workflow, or a vote already cast in this round).
- :class:`RuleViolation` → 400: the governance rules refuse it (consent incompatibility, expired ethics,
  retired dataset, missing fields); ``reasons`` lists the details.
"""

from __future__ import annotations

from collections.abc import Sequence


class GovernanceError(Exception):
    status_code = 400
    code = "governance_error"

    def __init__(self, message: str, *, reasons: Sequence[str] = (), field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.reasons = list(reasons)
        self.field = field


class NotPermitted(GovernanceError):
    status_code = 403
    code = "not_permitted"


class InvalidTransition(GovernanceError):
    status_code = 409
    code = "invalid_transition"


class RuleViolation(GovernanceError):
    status_code = 400
    code = "rule_violation"
