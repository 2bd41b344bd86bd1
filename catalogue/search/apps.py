from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "catalogue.search"
    label = "search"
    verbose_name = "Search"
