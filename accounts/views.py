"""The "API tokens" page: a user's personal access tokens, creating one (its secret shown once) and revoking."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import TokenForm
from accounts.selectors import tokens_of


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """GET: the list and an empty form. POST: create a token and render its secret in this response only (never
    in a redirect, the session or a message, so it is not stored anywhere)."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = services.token_create(user=request.user, **form.cleaned_data)
        form = TokenForm()
    response = render(
        request, "accounts/tokens.html", {"tokens": tokens_of(request.user), "form": form, "secret": secret}
    )
    if secret:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(tokens_of(request.user), pk=pk)
    services.token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name})
    return redirect("accounts:tokens")
