"""A job's page, its progress fragment (polled by htmx) and its API resource; owner and administrators only."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from harmony.jobs.models import Job
from harmony.jobs.services import job_cancel, jobs_visible_to

POLL_SECONDS = 1


def visible_job(request: HttpRequest, pk: str) -> Job:
    """The job ``pk`` if the user may see it; 404 otherwise (another user's job is not revealed)."""
    try:
        return jobs_visible_to(request.user).get(pk=pk)
    except (Job.DoesNotExist, ValueError):
        raise Http404(_("No such job.")) from None


def progress_context(job: Job) -> dict[str, Any]:
    return {"job": job, "poll_seconds": POLL_SECONDS}


@login_required
@require_GET
def job_page(request: HttpRequest, pk: str) -> HttpResponse:
    job = visible_job(request, pk)
    return render(request, "jobs/job.html", progress_context(job))


@login_required
@require_GET
def job_progress(request: HttpRequest, pk: str) -> HttpResponse:
    """The progress fragment; it polls itself until the job has finished, then shows the report."""
    return render(request, "jobs/_progress.html", progress_context(visible_job(request, pk)))


@login_required
@require_POST
def job_cancel_view(request: HttpRequest, pk: str) -> HttpResponse:
    job = job_cancel(job=visible_job(request, pk), actor=request.user)
    if request.headers.get("HX-Request"):
        return render(request, "jobs/_progress.html", progress_context(job))
    return redirect("jobs:job", pk=job.pk)


class JobSerializer(serializers.ModelSerializer):
    # A plain string, not an enum: a fourth "status" enum makes drf-spectacular rename the others.
    status = serializers.CharField(read_only=True, help_text="queued, running, succeeded, failed or cancelled")
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "status_label",
            "phase",
            "rows_total",
            "rows_validated",
            "rows_written",
            "report",
            "error",
            "cancel_requested",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class JobAcceptedSerializer(serializers.Serializer):
    """The 202 answer of an endpoint that started a job."""

    id = serializers.UUIDField()
    status = serializers.CharField()
    url = serializers.URLField(help_text="The job resource to poll.")


class JobView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="job_retrieve",
        summary="A background job: status, progress and final report",
        description="Poll until `status` is succeeded, failed or cancelled. Visible to the job's owner and "
        "administrators only (404 for anyone else).",
        responses={200: JobSerializer},
        tags=["jobs"],
    )
    def get(self, request: Request, pk: str) -> Response:
        return Response(JobSerializer(visible_job(request, pk)).data)
