from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from catalogue import checks  # noqa: F401  (registers system checks)
        from catalogue.navigation import catalogue_nav
        from ui.registry import register_nav

        register_nav(catalogue_nav)
