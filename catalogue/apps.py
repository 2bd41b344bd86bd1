from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from catalogue import checks  # noqa: F401  (registers system checks)
        from catalogue.figures import FIGURES_REFRESH, deliver_figure_changes
        from catalogue.jobs import (
            DICTIONARY_IMPORT,
            SEARCH_REINDEX,
            discard_dictionary_import,
            run_dictionary_import,
            run_search_reindex,
        )
        from catalogue.navigation import catalogue_nav
        from harmony import jobs, outbox
        from ui.registry import register_nav

        register_nav(catalogue_nav)
        jobs.register(DICTIONARY_IMPORT, run_dictionary_import, discard=discard_dictionary_import)
        outbox.register(FIGURES_REFRESH, deliver_figure_changes, batch_size=500, max_attempts=None, backoff_seconds=5)
        jobs.register(SEARCH_REINDEX, run_search_reindex, admin_label="Rebuild the search index")
