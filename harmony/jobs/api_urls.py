from django.urls import path

from harmony.jobs.views import JobView

urlpatterns = [path("jobs/<uuid:pk>/", JobView.as_view(), name="api-job")]
