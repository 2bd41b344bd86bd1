"""Search pages (namespace ``search``), mounted at the site root (harmony/urls.py)."""

from django.urls import path

from catalogue.search import views

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/suggestions/", views.suggestions, name="suggestions"),
    path("search/feasibility/", views.feasibility_page, name="feasibility"),
]
