"""The append-only, keyed hash chain of events, and the counters that throttle repetitive events."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One thing that happened: a write of either app, a transition, vote, permission change or download.

    ``hash`` = HMAC-SHA256 (key from ``AUDIT_HMAC_KEY``, never stored in the database) over ``prev_hash``
    and the canonical JSON of the event's content (audit.chain.event_digest); ``manage.py audit_verify``
    recomputes the chain and compares its head with the anchors. Written only by audit.services.
    ``access_request_id`` is a plain number, not a foreign key: the audit app sits below governance.
    """

    created_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True, help_text="Kept so the event reads without joins.")
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60)
    access_request_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_event_object_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id} by {self.actor_username or 'system'}"


class ThrottledEventWindow(models.Model):
    """The current window of one throttled kind of event (action, actor, object).

    The first event of a window is written to the chain; the repeats within the window are only
    counted here, and the count is carried by the next event written (``after["suppressed"]``).
    One row per key, updated in place, so repeating an event cannot grow any table.
    """

    action = models.CharField(max_length=60)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60)
    window_started_at = models.DateTimeField()
    suppressed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["action", "actor", "object_type", "object_id"], name="audit_throttle_one_window_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}: {self.suppressed} repeats counted"
