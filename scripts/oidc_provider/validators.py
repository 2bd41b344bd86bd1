"""The claims this provider asserts: standard profile and e-mail claims, and ``eduperson_scoped_affiliation``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator

from oidc_provider.people import PEOPLE


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "preferred_username": "profile",
        "eduperson_scoped_affiliation": "eduperson_scoped_affiliation",
    }

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        person = PEOPLE[settings.INSTANCE].get(request.user.username, {})
        given, family = person.get("given_name", ""), person.get("family_name", "")
        return {
            "preferred_username": request.user.username,
            "name": f"{given} {family}".strip(),
            **person,
        }
