"""Service errors in API responses: a Django ``ValidationError`` from a service becomes HTTP 400 with its
field → messages dict, exactly as a serializer error would. (``PermissionDenied`` → 403 and ``Http404`` → 404
are translated by DRF itself.)"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler


def service_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = ValidationError(detail)
    return exception_handler(exc, context)


class ServiceErrorsMixin:
    """Mix into an API view whose handlers call services."""

    def get_exception_handler(self):  # type: ignore[no-untyped-def]
        return service_exception_handler
