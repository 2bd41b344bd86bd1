"""Pages of the accounts app: "API tokens" (a user's personal access tokens, creating one with its secret shown
once, and revoking) and single sign-on (start, the provider's callback, sign-out)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts import services
from accounts.forms import TokenForm
from accounts.oidc import SignInRefused, endpoint_setting, provider_logout_url, provider_metadata, sso_enabled
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


def sso_refused(request: HttpRequest, refusal: SignInRefused) -> HttpResponse:
    """The page of a refused sign-in (status 400; 502 when the provider could not be reached), after auditing it.
    The person sees what happened and what to do; the technical detail goes to the audit trail only."""
    services.sso_refusal_record(code=refusal.code, detail=refusal.detail or refusal.message)
    status = 502 if refusal.code == "provider_unreachable" else 400
    context = {"refusal": refusal, "provider_name": settings.OIDC_PROVIDER_NAME}
    return render(request, "registration/sso_refused.html", context, status=status)


class SSOStartView(OIDCAuthenticationRequestView):
    """``/accounts/oidc/start/``: sends the browser to the provider with a fresh state, nonce and PKCE challenge
    (mozilla-django-oidc keeps them in the session). 404 when SSO is not configured."""

    get_settings = staticmethod(endpoint_setting)

    def __init__(self, **kwargs: object) -> None:
        # The library reads the authorization endpoint here; with discovery that is a request to the provider,
        # so it is read in get(), where a failure can be answered with the refusal page.
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404(_("Single sign-on is not configured."))
        try:
            provider_metadata()
            self.OIDC_OP_AUTH_ENDPOINT = endpoint_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except SignInRefused as refusal:
            return sso_refused(request, refusal)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class SSOCallbackView(OIDCAuthenticationCallbackView):
    """``/accounts/oidc/callback/``: where the provider sends the browser back.

    Signs the person in only when the state is one this browser started (used once), the code is exchanged for
    an ID token that verifies (accounts.oidc.SSOBackend) and the account is active. Every other outcome, the
    provider's own error included, ends on the refusal page and is audited.
    """

    get_settings = staticmethod(endpoint_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404(_("Single sign-on is not configured."))
        error = request.GET.get("error")
        state = request.GET.get("state")
        try:
            if error:
                super().get(request)  # the library forgets the state and signs nobody in
                raise SignInRefused(
                    "provider_error",
                    _("Your institution's sign-in service did not sign you in."),
                    detail=f"{error}: {request.GET.get('error_description', '')}",
                )
            if state is None or state not in request.session.get("oidc_states", {}):
                raise SignInRefused(
                    "state_mismatch",
                    _("This sign-in was not started from this browser, or was already used. Sign in again."),
                    detail="unknown or reused state",
                )
            return super().get(request)
        except SignInRefused as refusal:
            return sso_refused(request, refusal)
        except SuspiciousOperation as exc:
            return sso_refused(request, SignInRefused("state_mismatch", _("Sign in again."), detail=str(exc)))

    def login_failure(self) -> HttpResponse:
        # Reached when the backend returned no user or an inactive one (a deactivated account).
        return sso_refused(
            self.request,
            SignInRefused(
                "inactive_account", _("Your account here is deactivated. Contact the registry's administrators.")
            ),
        )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """``POST /accounts/logout/``: ends the local session. For someone who signed in through SSO at a provider
    that advertises ``end_session_endpoint``, the answer is a page that forwards the browser there (RP-initiated
    logout, accounts.oidc.provider_logout_url) to end the provider's session too, and links it for browsers that
    do not follow refreshes; everyone else lands on the home page as before.

    A page rather than a redirect: the Content-Security-Policy's ``form-action 'self'`` also binds the redirects
    that follow a form's submission, so a redirect to the provider would be blocked.
    """
    provider_url = provider_logout_url(request) if request.user.is_authenticated else None
    auth.logout(request)
    home = resolve_url(settings.LOGOUT_REDIRECT_URL)
    if not provider_url or provider_url == home:
        return redirect(home)
    context = {"provider_logout_url": provider_url, "provider_name": settings.OIDC_PROVIDER_NAME}
    response = render(request, "registration/sso_signed_out.html", context)
    response["Cache-Control"] = "no-store"  # the address carries the ID token as hint
    return response
