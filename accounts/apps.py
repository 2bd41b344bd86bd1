from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts import (
            checks,  # noqa: F401  (registers the single sign-on system checks)
            schema,  # noqa: F401  (registers the OpenAPI descriptions of the authentication classes)
        )
        from accounts.language import on_signed_in
        from accounts.navigation import accounts_nav
        from ui.registry import register_nav

        register_nav(accounts_nav)
        user_logged_in.connect(on_signed_in, dispatch_uid="accounts.language")
