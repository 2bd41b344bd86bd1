"""Governance's names for the one service-error vocabulary (harmony.errors), kept while callers move over.

New code raises :mod:`harmony.errors` directly: ``NotPermitted`` (403), ``InvalidState`` (409),
``RuleRefused`` (400), ``InvalidInput`` (400).
"""

from __future__ import annotations

from harmony.errors import InvalidState, NotPermitted, RuleRefused, ServiceError

GovernanceError = ServiceError
InvalidTransition = InvalidState
RuleViolation = RuleRefused

__all__ = ["GovernanceError", "InvalidTransition", "NotPermitted", "RuleViolation"]
