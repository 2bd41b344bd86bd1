from django.apps import apps
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from harmony.health import healthz

# Governance sits on top of the catalogue; without it the catalogue still serves (tests/test_boundaries.py).
governance_urls = (
    [
        path("api/v1/", include("governance.api.urls")),
        path("", include("governance.passports.urls")),
        path("", include("governance.urls")),
    ]
    if apps.is_installed("governance")
    else []
)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    # Before django.contrib.auth's: sign-out also ends the provider's session of a single sign-on.
    path("accounts/", include("accounts.auth_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, so the page needs no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/", include("accounts.api.urls")),
    path("api/v1/", include("catalogue.api.urls")),
    path("api/v1/", include("catalogue.search.api_urls")),
    path("api/v1/", include("catalogue.dcat.urls")),
    path("api/v1/", include("harmony.jobs.api_urls")),
    path("", include("harmony.jobs.urls")),
    *governance_urls,
    path("", include("catalogue.search.urls")),
    path("", include("catalogue.urls")),
]
