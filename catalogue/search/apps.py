from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "catalogue.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from catalogue.search import checks  # noqa: F401 - registers the system checks
