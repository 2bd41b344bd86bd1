from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "catalogue.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from catalogue.search import checks  # noqa: F401 - registers the system checks
        from catalogue.search.backends import get_search_backend
        from harmony import health

        health.register("search", lambda: get_search_backend().check_available())
