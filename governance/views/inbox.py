"""The in-app inbox: the notifications governance sends (an item awaits review, a decision, a release …)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from catalogue.views.paging import paginate
from governance import selectors, services


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    notifications = selectors.notifications_for(request.user).order_by("-created_at", "-id")
    return render(request, "governance/inbox.html", {"page": paginate(request, notifications, per_page=25)})


@login_required
@require_POST
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one notification read and go where it points."""
    notification = get_object_or_404(selectors.notifications_for(request.user), pk=notification_id)
    services.notification_mark_read(notification=notification, user=request.user)
    target = notification.target_url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("governance:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext("%(count)s notification marked as read.", "%(count)s notifications marked as read.", count)
        % {"count": count},
    )
    return redirect("governance:inbox")
