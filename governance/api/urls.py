"""Governance API routes, included under /api/v1/ by harmony/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from governance.api import views

router = SimpleRouter()
router.register("access-requests", views.AccessRequestViewSet, basename="access-request")
router.register("access-request-items", views.AccessRequestItemViewSet, basename="access-request-item")
router.register("request-comments", views.CommentViewSet, basename="request-comment")
router.register("request-documents", views.RequestDocumentViewSet, basename="request-document")
router.register("decision-letters", views.DecisionLetterViewSet, basename="decision-letter")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("grants", views.GrantViewSet, basename="grant")
router.register("audit-events", views.AuditEventViewSet, basename="audit-event")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("dacs", views.DacViewSet, basename="dac")

app_name = "governance-api"
urlpatterns = [
    path("downloads/<int:distribution_id>/", views.DownloadView.as_view(), name="download"),
    path("governance/dashboard/", views.DashboardView.as_view(), name="dashboard"),
    *router.urls,
]
