from django.urls import path

from accounts import language, views

app_name = "accounts"
urlpatterns = [
    path("language/", language.language_set, name="language"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("oidc/start/", views.SSOStartView.as_view(), name="oidc_start"),
    path("oidc/callback/", views.SSOCallbackView.as_view(), name="oidc_callback"),
]
