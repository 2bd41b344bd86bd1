from __future__ import annotations

from django import forms

from accounts.models import TokenScope
from accounts.services import MAX_LIFETIME_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. “nightly feasibility export”.")
    scope = forms.ChoiceField(choices=TokenScope.choices, initial=TokenScope.READ, widget=forms.RadioSelect)
    lifetime_days = forms.IntegerField(
        label="Expires after (days)", min_value=1, max_value=MAX_LIFETIME_DAYS, initial=90
    )
