"""How the OpenAPI schema (drf-spectacular) describes this app's authentication classes; imported at startup."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import BasicScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class LockoutAwareBasicScheme(BasicScheme):
    target_class = "accounts.authentication.LockoutAwareBasicAuthentication"


class PersonalAccessTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.PersonalAccessTokenAuthentication"
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        definition = build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Bearer")
        definition["description"] = "A personal access token (API tokens page, or POST /api/v1/tokens/)."
        return definition
