"""Administrators see failed side effects (e-mail not sent, index not updated) and can retry them."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from harmony.outbox.models import OutboxMessage
from harmony.outbox.services import retry_now


class DeliveryFilter(admin.SimpleListFilter):
    title = "delivery"
    parameter_name = "delivery"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("failed", "Failed (retrying or given up)"), ("pending", "Pending"), ("done", "Delivered")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> QuerySet[OutboxMessage]:
        if self.value() == "failed":
            return queryset.filter(done_at__isnull=True, attempts__gt=0)
        if self.value() == "pending":
            return queryset.filter(done_at__isnull=True)
        if self.value() == "done":
            return queryset.filter(done_at__isnull=False)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "created_at", "attempts", "next_attempt_at", "done_at", "short_error"]
    list_filter = [DeliveryFilter, "kind"]
    search_fields = ["last_error"]
    actions = ["retry"]
    readonly_fields = ["kind", "payload", "created_at", "attempts", "next_attempt_at", "last_error", "done_at"]

    @admin.display(description="last error")
    def short_error(self, message: OutboxMessage) -> str:
        return message.last_error[:120]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # messages are written by services in the transaction that owes them

    def has_change_permission(self, request: HttpRequest, obj: OutboxMessage | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OutboxMessage | None = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    @admin.action(description="Retry now (reset attempts)", permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = retry_now(message_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} messages will be retried by the worker.", messages.SUCCESS)
