"""The in-app inbox. E-mail copies are sent on commit by governance.notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from governance import notification_texts


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    verb = models.CharField(max_length=40, help_text="e.g. item_awaits_review, item_approved, item_released.")
    message = models.TextField(help_text="The text in English, as written when notified; read when the key is unknown.")
    message_key = models.CharField(
        max_length=60, blank=True, help_text="What the notification says (governance.notification_texts.MESSAGES)."
    )
    params = models.JSONField(default=dict, blank=True, help_text="The message's parameters (names, titles, dates).")
    target_url = models.CharField(max_length=300, blank=True)
    access_request_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.verb}"

    @property
    def text(self) -> str:
        """What the notification says, in the active language (the stored English text for rows without a key)."""
        return notification_texts.render(self.message_key, self.params, fallback=self.message)
