"""What every governance page does with a service's refusal: tell the user why, in their words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from governance.errors import GovernanceError


def run_action(request: HttpRequest, action: Callable[..., Any], success: str, **arguments: Any) -> bool:
    """Call a governance service; on success flash ``success``, on refusal flash its message and reasons."""
    try:
        action(**arguments)
    except GovernanceError as error:
        text = error.message
        if error.reasons:
            text += " " + " ".join(error.reasons)
        messages.error(request, text)
        return False
    messages.success(request, success)
    return True
