from django.urls import path

from governance.passports import api

urlpatterns = [
    path(".well-known/jwks.json", api.JwksView.as_view(), name="passport-jwks"),
    path("api/v1/passport/", api.PassportView.as_view(), name="passport"),
    path("api/v1/passport/visas/", api.VisaListView.as_view(), name="passport-visas"),
]
