"""The accounts app's entries of the main navigation."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from ui.registry import NavLink


def accounts_nav(request: HttpRequest) -> Iterator[NavLink]:
    """ "API tokens" for every signed-in user; "Admin" only for those the Django admin site lets in.

    The admin link follows ``admin.site.has_permission`` (active staff, superusers included), so it is never
    shown to someone the admin would turn away.
    """
    if request.user.is_authenticated:
        yield NavLink(_("API tokens"), reverse("accounts:tokens"), order=95)
    if admin.site.has_permission(request):
        yield NavLink(_("Admin"), reverse("admin:index"), order=99)
