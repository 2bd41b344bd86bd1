"""Sign-out, under django.contrib.auth's global name ``logout`` (no namespace), included before
``django.contrib.auth.urls`` so that it replaces theirs: it also ends the provider's session of a single sign-on."""

from django.urls import path

from accounts import views

urlpatterns = [path("logout/", views.sign_out, name="logout")]
