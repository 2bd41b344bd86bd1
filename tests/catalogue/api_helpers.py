"""Shared helpers for the catalogue API tests: the role names of the cast, and a client per role."""

from __future__ import annotations

from rest_framework.test import APIClient

from tests.conftest import Cast, api_as

ROLES = ["anonymous", "rita_researcher", "olga_owner_curator", "carl_other_curator", "ada_admin"]


def client_for(cast: Cast, role: str) -> APIClient:
    return api_as(None if role == "anonymous" else getattr(cast, role))


def by_role(anonymous: int, rita: int, olga: int, carl: int, ada: int) -> list[tuple[str, int]]:
    """Expected status per role, in ROLES order, for ``pytest.mark.parametrize("role,expected", …)``."""
    return list(zip(ROLES, [anonymous, rita, olga, carl, ada], strict=True))
