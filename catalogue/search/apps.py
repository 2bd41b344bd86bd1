from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "catalogue.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from catalogue.navigation import search_nav
        from catalogue.search import checks  # noqa: F401 - registers the system checks
        from catalogue.search.backends import get_search_backend
        from catalogue.search.models import SEARCH_SYNC
        from catalogue.search.sync import deliver_search_changes
        from harmony import health, outbox
        from ui.registry import register_nav

        register_nav(search_nav)

        health.register("search", lambda: get_search_backend().check_available())
        # Never given up: the index must converge on the database; short backoff, the outage is usually brief.
        outbox.register(
            SEARCH_SYNC,
            deliver_search_changes,
            batch_size=500,
            max_attempts=None,
            backoff_seconds=5,
            max_backoff_seconds=300,
        )
