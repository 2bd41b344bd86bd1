"""The admin dashboard's count of failed outbox messages (e-mail not sent, index not updated)."""

from __future__ import annotations

from django import template

from harmony.outbox.models import OutboxMessage

register = template.Library()


@register.simple_tag
def failed_outbox_count() -> int:
    """Pending messages that failed at least once (retrying, or given up)."""
    return OutboxMessage.objects.failed().count()
