from django.urls import path

from harmony.jobs import views

app_name = "jobs"

urlpatterns = [
    path("jobs/<uuid:pk>/", views.job_page, name="job"),
    path("jobs/<uuid:pk>/progress/", views.job_progress, name="progress"),
    path("jobs/<uuid:pk>/cancel/", views.job_cancel_view, name="cancel"),
]
