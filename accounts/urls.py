from django.urls import path

from accounts import language, views

app_name = "accounts"
urlpatterns = [
    path("language/", language.language_set, name="language"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
