from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "harmony.outbox"
    label = "outbox"
    verbose_name = "Outbox (background side effects)"
    default_auto_field = "django.db.models.BigAutoField"
