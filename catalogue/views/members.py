"""A partner's members and the single sign-ins that claim an affiliation with it, for its administrators, who
confirm memberships from here (``catalogue.policy.can_review_sign_ins`` / ``can_confirm_membership``).

The claims come from ``accounts.selectors`` (the floor below); this page only shows them: a role exists only
once a person confirms it (``membership_confirm``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import sso_identities_claiming
from catalogue import policy
from catalogue.models import Membership, MembershipRole, Partner
from catalogue.services.memberships import membership_confirm


@login_required
def partner_members(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the partner's members (roles) and the sign-ins claiming its affiliation scopes, each with its claims
    and the roles the viewer may confirm. 403 for anyone but the partner's administrators."""
    partner = get_object_or_404(Partner, slug=slug)
    policy.require(policy.can_review_sign_ins(request.user, partner))
    memberships = Membership.objects.filter(partner=partner).select_related("user").order_by("user__username", "role")
    roles_of: dict[int, list[str]] = {}
    for membership in memberships:
        roles_of.setdefault(membership.user_id, []).append(membership.get_role_display())
    confirmable = [
        (value, label)
        for value, label in MembershipRole.choices
        if policy.can_confirm_membership(request.user, partner, value)
    ]
    sign_ins = [
        {"identity": identity, "roles": roles_of.get(identity.user_id, [])}
        for identity in sso_identities_claiming(partner.affiliation_scope_list)
    ]
    context = {
        "partner": partner,
        "memberships": memberships,
        "sign_ins": sign_ins,
        "confirmable_roles": confirmable,
    }
    return render(request, "catalogue/partner_members.html", context)


@login_required
@require_POST
def partner_member_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """POST ``user`` and ``role``: confirm the membership of someone whose sign-in claims this partner's affiliation
    (only those: anyone else is added by the alliance's administrators). Refused with 403 by the policy, 400 for an
    unknown role or person."""
    partner = get_object_or_404(Partner, slug=slug)
    policy.require(policy.can_review_sign_ins(request.user, partner))
    role = request.POST.get("role", "")
    identity = (
        sso_identities_claiming(partner.affiliation_scope_list).filter(user_id=request.POST.get("user") or 0).first()
        if str(request.POST.get("user", "")).isdigit()
        else None
    )
    if role not in MembershipRole.values or identity is None:
        return HttpResponseBadRequest(_("Choose a role and a person whose sign-in claims this partner."))
    membership_confirm(user=identity.user, partner=partner, role=role, actor=request.user)
    messages.success(
        request,
        _("%(person)s is now %(role)s at %(partner)s.")
        % {
            "person": identity.user.get_full_name() or identity.user.get_username(),
            "role": MembershipRole(role).label,
            "partner": partner.short_name,
        },
    )
    return redirect("partner_members", slug=partner.slug)
