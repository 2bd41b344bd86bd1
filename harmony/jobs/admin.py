"""Jobs in the admin: read-only history, and buttons for the kinds administrators may start (reindex)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from harmony.jobs import registry
from harmony.jobs.models import Job
from harmony.jobs.services import job_start


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    change_list_template = "admin/jobs/job/change_list.html"
    list_display = ["title", "kind", "owner", "status", "phase", "rows_validated", "rows_written", "created_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        start = self.admin_site.admin_view(require_POST(self.start_view))
        return [path("start/<str:kind>/", start, name="jobs_job_start"), *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        startable = registry.admin_startable() if request.user.is_superuser else []
        return super().changelist_view(request, {**(extra_context or {}), "startable_jobs": startable})

    def start_view(self, request: HttpRequest, kind: str) -> HttpResponseRedirect:
        """Start a job of ``kind`` owned by the administrator (superusers only), then show its progress."""
        if not request.user.is_superuser:
            raise PermissionDenied
        job_kind = next((k for k in registry.admin_startable() if k.kind == kind), None)
        if job_kind is None:
            messages.error(request, f"{kind!r} cannot be started from the admin.")
            return redirect(reverse("admin:jobs_job_changelist"))
        job = job_start(kind=kind, title=job_kind.admin_label, owner=request.user)
        messages.success(request, f"“{job_kind.admin_label}” queued; the worker (manage.py db_worker) runs it.")
        return redirect("jobs:job", pk=job.pk)
