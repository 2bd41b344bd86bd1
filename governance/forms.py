"""HTML forms of the governance pages. They parse input; governance.services and governance.workflow decide.

A service's ``GovernanceError`` is put back on the form by ``add_governance_error``: next to its
field when it names one, otherwise at the top of the form with its reasons.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from catalogue.consent_matching import SENSITIVE_RESEARCH
from catalogue.countries import COUNTRY_CHOICES
from catalogue.forms import PartnerChoiceField
from catalogue.models import Dataset, MondoTerm, Partner
from governance.models import AccessRequest, DocumentKind, Purpose, VoteDecision
from governance.services.requests import EDITABLE_FIELDS


class DatasetChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Dataset) -> str:
        return f"{obj.title} — {obj.partner.short_name}"


class AccessRequestForm(forms.Form):
    """Who asks, for what, how the data will be used (in DUO terms), for how long, under which ethics approval."""

    partner = PartnerChoiceField(
        queryset=Partner.objects.none(),
        label=_("Requesting on behalf of"),
        help_text=_("The partner where you are a researcher; it signs the data-sharing agreement."),
    )
    datasets = DatasetChoiceField(
        queryset=Dataset.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Datasets"),
        help_text=_("Each dataset is decided by its own data access committee."),
    )
    title = forms.CharField(max_length=300, label=_("Title"))
    lay_summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Lay summary"),
        help_text=_("The project in words a patient would understand."),
    )
    scientific_aims = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label=_("Scientific aims"))
    purpose = forms.ChoiceField(
        choices=Purpose.choices, widget=forms.RadioSelect, label=_("Research purpose (DUO)"), initial=Purpose.HMB
    )
    disease = forms.ModelChoiceField(
        queryset=MondoTerm.objects.order_by("name"),
        required=False,
        label=_("Disease"),
        help_text=_(
            "For disease-specific research: the disease studied (a MONDO term). For methods development: the "
            "disease the methods are for, if any."
        ),
    )
    sensitive_research = forms.MultipleChoiceField(
        choices=[(code, capfirst(label)) for code, label in SENSITIVE_RESEARCH.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("The project involves"),
        help_text=_("Each of these is reviewed by the committee, whatever the consent says."),
    )
    countries_of_use = forms.MultipleChoiceField(
        choices=COUNTRY_CHOICES,
        required=False,
        label=_("Countries where the data will be stored or analysed"),
        help_text=_("Checked against consents limited to some countries (DUO GS)."),
    )
    publication_date = forms.DateField(
        required=False,
        label=_("Planned first publication"),
        help_text=_("Checked against publication moratoria (DUO MOR)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    commercial = forms.BooleanField(required=False, label=_("The use is commercial"))
    will_publish = forms.BooleanField(required=False, initial=True, label=_("Results will be published"))
    collaboration_with_holder = forms.BooleanField(
        required=False, label=_("The project is a collaboration with the data holder")
    )
    methods_development = forms.BooleanField(required=False, label=_("The project develops methods or software"))
    genetic_studies = forms.BooleanField(required=False, label=_("The project is a genetic study"))
    requested_start = forms.DateField(
        required=False, label=_("Requested start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    requested_end = forms.DateField(
        required=False, label=_("Requested end"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ethics_reference = forms.CharField(
        max_length=200, required=False, label=_("Ethics approval reference"), help_text=_("e.g. EC-2025-114")
    )
    ethics_expiry = forms.DateField(
        required=False, label=_("Ethics approval valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    REQUEST_FIELDS = EDITABLE_FIELDS
    step_fields = (
        (_("Datasets"), ("partner", "datasets")),
        (_("The project"), ("title", "lay_summary", "scientific_aims")),
        (
            _("Intended use"),
            (
                "purpose",
                "disease",
                "commercial",
                "will_publish",
                "collaboration_with_holder",
                "methods_development",
                "genetic_studies",
                "sensitive_research",
                "countries_of_use",
            ),
        ),
        (
            _("Period and ethics"),
            ("requested_start", "requested_end", "publication_date", "ethics_reference", "ethics_expiry"),
        ),
    )

    def __init__(
        self,
        *args: Any,
        partners: QuerySet[Partner],
        datasets: QuerySet[Dataset],
        items_editable: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["datasets"].queryset = datasets
        if not items_editable:
            # Once submitted, a request's datasets and requesting partner are fixed (withdraw items instead).
            del self.fields["partner"]
            del self.fields["datasets"]

    def steps(self) -> list[tuple[str, list[forms.BoundField]]]:
        steps = [(title, [self[name] for name in names if name in self.fields]) for title, names in self.step_fields]
        return [(title, fields) for title, fields in steps if fields]

    def request_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.REQUEST_FIELDS}
        data["ethics_reference"] = data["ethics_reference"] or ""
        return data

    @classmethod
    def initial_for(cls, access_request: AccessRequest) -> dict[str, Any]:
        initial = {name: getattr(access_request, name) for name in cls.REQUEST_FIELDS}
        initial["partner"] = access_request.partner_id
        initial["datasets"] = [item.dataset_id for item in access_request.items.all()]
        return initial


SEND_BACK = "send_back"


class VoteForm(forms.Form):
    """The review page's one decision form: a vote (approve, reject, ask for changes) for a voting member, plus,
    for the chair and the secretary, sending the item back without a vote (their procedural power). Which choices
    are offered comes from governance.policy through the view; the services decide."""

    prefix = "vote"  # the review page also holds the comment form: keep field ids unique
    decision = forms.ChoiceField(widget=forms.RadioSelect, label=_("Your decision"))
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Reason for the requester"),
        help_text=_(
            "The requester reads it in the decision letter. Required to reject, to ask for changes (say what should "
            "change) and to send back; optional to approve."
        ),
    )
    conditions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Conditions of approval"),
        help_text=_("Only with an approval: one condition per line; the decision letter lists them."),
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Comment for the committee"),
        help_text=_("Goes with your vote to the committee only; the requester does not see it."),
    )

    def __init__(self, *args: Any, can_vote: bool, can_send_back: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = list(VoteDecision.choices) if can_vote else []
        if can_send_back:
            choices.append((SEND_BACK, _("Send back to the requester without voting (chair or secretary)")))
        self.fields["decision"].choices = choices


class CommentForm(forms.Form):
    prefix = "comment"
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Comment"))
    dac_only = forms.BooleanField(required=False, label=_("Visible to the committee only"))


class RevokeForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason for revoking access"))


class ReleaseForm(forms.Form):
    """The holder's choice of the grant's last day; the service checks it lies within the approved period."""

    valid_until = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        label=_("Last day of access"),
        help_text=_("Inclusive: access ends at the end of this day. At most the end of the approved period."),
    )


class SignForm(forms.Form):
    """Signing one side of an agreement: the typed name, and the hash of the text shown (checked by the service)."""

    signed_name = forms.CharField(
        max_length=200,
        label=_("Your full name"),
        help_text=_("Typing your name signs the text above on behalf of your organisation."),
    )
    text_sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
    side = forms.ChoiceField(choices=[("requester", "requester"), ("holder", "holder")], widget=forms.HiddenInput)


class DocumentForm(forms.Form):
    """Attaching a document to a request: its kind and the file (size and content are checked by the service)."""

    prefix = "document"
    kind = forms.ChoiceField(choices=DocumentKind.choices, label=_("Kind of document"))
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Formatted per request, in the reader's language (a module-level % would fix the language at import).
        self.fields["file"].help_text = _(
            "PDF, Word (DOCX), OpenDocument text (ODT) or plain text; at most %(limit)s."
        ) % {"limit": filesizeformat(settings.REQUEST_DOCUMENT_MAX_BYTES)}
