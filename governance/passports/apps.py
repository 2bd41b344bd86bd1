from django.apps import AppConfig


class PassportsConfig(AppConfig):
    name = "governance.passports"
    label = "passports"
    verbose_name = "GA4GH Passports"

    def ready(self) -> None:
        from governance.passports import checks  # noqa: F401  (registers the system check)
