"""The one vocabulary of service errors, and the one JSON shape every API error has.

Services of every app refuse with one of four errors; the API, the pages and the commands turn them into
responses, form errors and exit codes. Nothing else decides an error's status.

=================  ======  ==================  ==================================================================
error              status  ``code``            meaning
=================  ======  ==================  ==================================================================
``InvalidInput``   400     ``invalid``         the input itself is wrong (a field message per field)
``RuleRefused``    400     ``rule_refused``    the input is well-formed but a rule refuses it (consent, ethics …)
``NotPermitted``   403     ``not_permitted``   who you are does not allow this (the policy's reason)
``InvalidState``   409     ``invalid_state``   the object's current state forbids this (the workflow's table)
=================  ======  ==================  ==================================================================

Every API error — these, Django's ``ValidationError``/``PermissionDenied``/``Http404``, and DRF's own
exceptions (authentication, throttling, parsing, 404, 405) — has this body (:data:`ERROR_SCHEMA`)::

    {"detail": "…", "code": "…", "reasons": ["…"], "fields": {"<field>": ["…"]}}

``reasons`` lists the rule's details (may be empty), ``fields`` the messages per input field (nested for nested
input, may be empty). An endpoint may add one documented extension key (the dictionary import adds ``rows``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

FieldErrors = dict[str, Any]


class ServiceError(Exception):
    """A service refused: ``message`` for people, ``reasons`` for details, ``fields`` for per-field messages."""

    status_code = 400
    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        reasons: Sequence[str] = (),
        field: str | None = None,
        fields: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.reasons = list(reasons)
        self.field = field
        self.fields: FieldErrors = {name: list(messages) for name, messages in (fields or {}).items()}
        if field and field not in self.fields:
            self.fields[field] = [message]


class InvalidInput(ServiceError):
    status_code = 400
    code = "invalid"


class RuleRefused(ServiceError):
    status_code = 400
    code = "rule_refused"


class NotPermitted(ServiceError):
    status_code = 403
    code = "not_permitted"


class InvalidState(ServiceError):
    status_code = 409
    code = "invalid_state"


def error_body(
    detail: str, code: str, *, reasons: Sequence[str] = (), fields: FieldErrors | None = None
) -> dict[str, Any]:
    """The one error shape (see the module docstring)."""
    return {"detail": detail, "code": code, "reasons": list(reasons), "fields": fields or {}}


def _plain(detail: Any) -> Any:
    """DRF's ErrorDetail strings, lists and dicts as plain JSON values."""
    if isinstance(detail, dict):
        return {str(key): _plain(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_plain(value) for value in detail]
    return str(detail)


def _first_message(detail: Any) -> str:
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_message(value)
        return ""
    if isinstance(detail, list):
        return _first_message(detail[0]) if detail else ""
    return str(detail)


def _validation_body(detail: Any) -> dict[str, Any]:
    """A serializer's (or a Django ValidationError's) messages as the one shape: non-field messages are reasons."""
    detail = _plain(detail)
    if isinstance(detail, dict):
        fields = dict(detail)
        reasons = fields.pop("non_field_errors", []) + fields.pop("__all__", [])
    else:
        fields, reasons = {}, detail if isinstance(detail, list) else [detail]
    summary = reasons[0] if reasons and not fields else _("Invalid input.")
    return error_body(summary, "invalid", reasons=reasons, fields=fields)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every API error in the one shape, with DRF's headers kept
    (``WWW-Authenticate`` on 401, ``Retry-After`` on 429, ``Allow`` on 405)."""
    if isinstance(exc, ServiceError):
        body = error_body(exc.message, exc.code, reasons=exc.reasons, fields=exc.fields)
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return Response(_validation_body(detail), status=400)
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied(str(exc) or drf.PermissionDenied.default_detail)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected exception: a 500, logged by Django
    if isinstance(exc, drf.ValidationError):
        response.data = _validation_body(exc.detail)
    elif isinstance(exc, drf.APIException):
        code = exc.get_codes()
        code = code if isinstance(code, str) else exc.default_code
        if isinstance(exc, drf.PermissionDenied):
            code = "not_permitted"
        response.data = error_body(_first_message(_plain(exc.detail)), code)
    return response


def apply_to_form(
    form: forms.Form, error: ServiceError | DjangoValidationError, *, aliases: Mapping[str, str] | None = None
) -> None:
    """Put a service's refusal onto ``form`` (the one form adapter): each field's messages next to that field
    when the form has it (``aliases`` maps a service field to the form's, e.g. ``items`` → ``datasets``), the rest
    at the top; a refusal that names no field goes at the top with its reasons."""
    if isinstance(error, DjangoValidationError):
        fields = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        error = InvalidInput(_("Invalid input."), fields=fields)
    top: list[str] = []
    for name, messages in error.fields.items():
        target = (aliases or {}).get(name, name)
        extra = error.reasons if name == error.field else []
        if target in form.fields:
            form.add_error(target, [*map(str, messages), *extra])
        else:
            top += [*map(str, messages), *extra]
    if not error.fields:
        top = [error.message, *error.reasons]
    if top:
        form.add_error(None, top)


# OpenAPI: the one error shape, added to every operation by ``error_responses_hook``.
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every API error has this shape (harmony.errors).",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, for people."},
        "code": {
            "type": "string",
            "description": "invalid, rule_refused, not_permitted, invalid_state, not_authenticated, "
            "authentication_failed, not_found, method_not_allowed, not_acceptable, unsupported_media_type, "
            "parse_error, throttled, search_unavailable, …",
        },
        "reasons": {"type": "array", "items": {"type": "string"}, "description": "The rule's details."},
        "fields": {
            "type": "object",
            "additionalProperties": True,
            "description": "Messages per input field (a list of strings, or nested for nested input).",
        },
        "rows": {
            "type": "array",
            "items": {"type": "object", "additionalProperties": True},
            "description": "Dictionary import only: the row errors (row, column, message).",
        },
    },
    "required": ["detail", "code", "reasons", "fields"],
}
_ERROR_STATUSES = {
    "400": "Invalid input, or a rule refuses it.",
    "401": "Not signed in, or the credentials are not valid.",
    "403": "Not permitted.",
    "404": "Not found (or not visible to you).",
    "405": "Method not allowed.",
    "409": "The current state forbids this.",
    "415": "Unsupported media type.",
    "429": "Too many requests.",
    "503": "A backing service (search) is unavailable.",
}


def error_responses_hook(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: document the one error shape for every operation's error statuses."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in _ERROR_STATUSES.items():
                responses.setdefault(status, {"description": description, "content": reference})
    return result
