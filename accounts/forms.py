from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import TokenScope
from accounts.services import MAX_LIFETIME_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, label=_("Name"), help_text=_("What the token is for, e.g. “nightly feasibility export”.")
    )
    scope = forms.ChoiceField(
        label=_("Scope"), choices=TokenScope.choices, initial=TokenScope.READ, widget=forms.RadioSelect
    )
    lifetime_days = forms.IntegerField(
        label=_("Expires after (days)"), min_value=1, max_value=MAX_LIFETIME_DAYS, initial=90
    )
