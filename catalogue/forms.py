"""HTML forms of the curation pages. They parse and present input; the services validate and write.

A service's ``ValidationError`` (field → messages) is put back on the form with
``add_service_errors`` so each message appears next to its field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from catalogue.countries import COUNTRY_CHOICES
from catalogue.models import Consent, DataModel, Dataset, DataType, DiseaseArea, DuoKind, DuoTerm, MondoTerm, Partner
from catalogue.services.consents import ModifierSpec


class DiseaseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: DiseaseArea) -> str:
        return f"{obj.name} ({obj.code})"


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Partner) -> str:
        return obj.name if obj.short_name == obj.name else f"{obj.name} ({obj.short_name})"


class DatasetForm(forms.Form):
    """The guided registration/edit form: who holds it, what it is about, how big, how it is modelled."""

    partner = PartnerChoiceField(
        queryset=Partner.objects.none(),
        label=_("Partner"),
        help_text=_("The partner that holds the data and whose committee decides."),
    )
    title = forms.CharField(max_length=300, label=_("Title"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        label=_("Description"),
        help_text=_("What the cohort is, who was included and how the data were collected."),
    )
    disease_areas = DiseaseChoiceField(
        queryset=DiseaseArea.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Disease areas"),
    )
    data_types = forms.ModelMultipleChoiceField(
        queryset=DataType.objects.all(), widget=forms.CheckboxSelectMultiple, required=False, label=_("Data types")
    )
    patient_count = forms.IntegerField(required=False, label=_("Number of patients"))
    sample_count = forms.IntegerField(required=False, label=_("Number of samples"))
    collection_start = forms.DateField(
        required=False, label=_("Collection started"), widget=forms.DateInput(attrs={"type": "date"})
    )
    collection_end = forms.DateField(
        required=False, label=_("Collection ended"), widget=forms.DateInput(attrs={"type": "date"})
    )
    patient_countries = forms.MultipleChoiceField(
        label=_("Countries of the patients"),
        choices=COUNTRY_CHOICES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Where the patients were treated. Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    data_model = forms.ChoiceField(choices=DataModel.choices, initial=DataModel.CUSTOM, label=_("Data model"))
    keywords = forms.CharField(
        required=False, label=_("Keywords"), help_text=_("Comma-separated, e.g. relapse, FLT3, transplant.")
    )
    version = forms.CharField(max_length=30, initial="1.0", label=_("Version"))
    contact_email = forms.EmailField(required=False, label=_("Contact e-mail"))
    persistent_identifier = forms.CharField(
        max_length=200, required=False, label=_("Persistent identifier"), help_text=_("DOI, Handle or ARK, if any.")
    )
    dictionary_downloadable = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Let everyone who can see the dataset download its data dictionary (CSV or XLSX)"),
    )

    step_fields = (
        (_("Who holds it"), ("partner", "title", "description")),
        (_("What it covers"), ("disease_areas", "data_types", "patient_count", "sample_count")),
        (_("When and where"), ("collection_start", "collection_end", "patient_countries")),
        (
            _("How it is described"),
            (
                "data_model",
                "keywords",
                "version",
                "contact_email",
                "persistent_identifier",
                "dictionary_downloadable",
            ),
        ),
    )

    def __init__(self, *args: Any, partners: QuerySet[Partner], editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        if editing:
            # The owning partner of an existing dataset does not change.
            del self.fields["partner"]

    def steps(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in self.step_fields]

    def clean_keywords(self) -> list[str]:
        return [word.strip() for word in self.cleaned_data["keywords"].split(",") if word.strip()]

    def service_fields(self) -> dict[str, Any]:
        """Cleaned data in the shape ``dataset_create``/``dataset_update`` take (partner and title apart)."""
        data = dict(self.cleaned_data)
        data.pop("partner", None)
        data.pop("title", None)
        for name in ("description", "contact_email", "persistent_identifier"):
            data[name] = data.get(name) or ""
        return data

    @staticmethod
    def initial_for(dataset: Dataset) -> dict[str, Any]:
        return {
            "title": dataset.title,
            "description": dataset.description,
            "disease_areas": list(dataset.disease_areas.all()),
            "data_types": list(dataset.data_types.all()),
            "patient_count": dataset.patient_count,
            "sample_count": dataset.sample_count,
            "collection_start": dataset.collection_start,
            "collection_end": dataset.collection_end,
            "patient_countries": dataset.patient_countries,
            "data_model": dataset.data_model,
            "keywords": ", ".join(dataset.keywords),
            "version": dataset.version,
            "contact_email": dataset.contact_email,
            "persistent_identifier": dataset.persistent_identifier,
            "dictionary_downloadable": dataset.dictionary_downloadable,
        }


class DictionaryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Data dictionary (CSV or XLSX)"),
        help_text=_(
            "One variable per row. Variables already in the dataset are updated by name; nothing is written "
            "unless the whole file is valid."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    strict = forms.BooleanField(
        label=_("Strict: refuse the file if it has columns the catalogue does not know"),
        required=False,
        help_text=_("Otherwise unknown columns are listed as warnings and their values ignored."),
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Attach a service's field → messages errors to ``form``; unknown fields become form-level errors."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def duo_terms(kind: str) -> QuerySet[DuoTerm]:
    """Selectable DUO terms of ``kind`` (the abstract roots, which have no short code, are left out)."""
    return DuoTerm.objects.filter(kind=kind).exclude(short_code="").order_by("short_code")


#: Modifiers whose meaning needs a parameter: a date (MOR, TS) or a free text (which countries, users …).
DATED_MODIFIERS = ("MOR", "TS")
VALUED_MODIFIERS = {
    "GS": _("Which countries (ISO codes, e.g. DE, AT)"),
    "US": _("Which users"),
    "PS": _("Which project"),
    "IS": _("Which institutions (partner short names)"),
    "RS": _("Which restriction"),
}


class ModifierRow:
    """One line of the DUO picker: the checkbox and, where the term takes one, its parameter field."""

    def __init__(self, form: forms.Form, term: DuoTerm) -> None:
        self.term = term
        self.checkbox = form[f"modifier_{term.short_code}"]
        self.until = form[f"until_{term.short_code}"] if term.short_code in DATED_MODIFIERS else None
        self.value = form[f"value_{term.short_code}"] if term.short_code in VALUED_MODIFIERS else None


class ConsentForm(forms.Form):
    """The DUO picker: one permission (radio) plus modifier checkboxes with their parameter fields."""

    form_version = forms.CharField(
        max_length=50, label=_("Form version"), help_text=_("The consent form's version, e.g. v3.1 (2019).")
    )
    participant_count = forms.IntegerField(
        required=False, label=_("Participant count"), help_text=_("How many participants signed this form.")
    )
    permission = forms.ChoiceField(widget=forms.RadioSelect, label=_("Data-use permission"))
    diseases = forms.ModelMultipleChoiceField(
        queryset=MondoTerm.objects.order_by("name"),
        required=False,
        label=_("Diseases"),
        help_text=_(
            "Only for disease-specific research (DS): the diseases the data may be used for (MONDO terms; "
            "research on a subtype is admitted too)."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.modifier_errors: list[str] = []  # the consent service's messages about the modifiers
        self.permission_terms = list(duo_terms(DuoKind.PERMISSION))
        self.modifier_terms = list(duo_terms(DuoKind.MODIFIER))
        self.fields["permission"].choices = [
            (term.pk, f"{term.short_code} — {term.display_label}") for term in self.permission_terms
        ]
        for term in self.modifier_terms:
            code = term.short_code
            self.fields[f"modifier_{code}"] = forms.BooleanField(required=False, label=f"{code} — {term.display_label}")
            if code in DATED_MODIFIERS:
                self.fields[f"until_{code}"] = forms.DateField(
                    required=False, label=_("Until"), widget=forms.DateInput(attrs={"type": "date"})
                )
            if code in VALUED_MODIFIERS:
                self.fields[f"value_{code}"] = forms.CharField(
                    required=False, max_length=300, label=VALUED_MODIFIERS[code]
                )

    def permission_rows(self) -> list[tuple[Any, DuoTerm]]:
        """Each permission's radio button with its DUO term (for the definition and example beside it)."""
        terms = {term.pk: term for term in self.permission_terms}
        return [(choice, terms[choice.data["value"]]) for choice in self["permission"]]

    def modifier_rows(self) -> list[ModifierRow]:
        return [ModifierRow(self, term) for term in self.modifier_terms]

    def modifier_specs(self) -> list[ModifierSpec]:
        """The ticked modifiers as the consent services take them."""
        specs = []
        for term in self.modifier_terms:
            code = term.short_code
            if self.cleaned_data.get(f"modifier_{code}"):
                specs.append(
                    ModifierSpec(
                        term=term.pk,
                        until=self.cleaned_data.get(f"until_{code}"),
                        value=self.cleaned_data.get(f"value_{code}", ""),
                    )
                )
        return specs

    @staticmethod
    def initial_for(consent: Consent) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "form_version": consent.form_version,
            "participant_count": consent.participant_count,
            "permission": consent.permission_id,
            "diseases": [term.pk for term in consent.diseases.all()],
        }
        for modifier in consent.modifiers.all():
            code = modifier.term.short_code
            initial[f"modifier_{code}"] = True
            initial[f"until_{code}"] = modifier.until
            initial[f"value_{code}"] = modifier.value
        return initial


class DistributionFileForm(forms.Form):
    """A file the registry holds privately (size and checksum are computed by ``distribution_create``)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))
    media_type = forms.CharField(
        label=_("Media type"), max_length=100, required=False, help_text=_("e.g. text/csv; the browser's if empty.")
    )


class DistributionUrlForm(forms.Form):
    """An external access URL, optionally with the size of what it serves; also the edit form of one."""

    title = forms.CharField(label=_("Title"), max_length=200)
    access_url = forms.URLField(label=_("Access URL"), assume_scheme="https")
    media_type = forms.CharField(label=_("Media type"), max_length=100, required=False)
    byte_size = forms.IntegerField(label=_("Size in bytes"), min_value=0, required=False)


class DistributionFileEditForm(forms.Form):
    """What can change on a held file (its bytes cannot: a new distribution replaces them)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    media_type = forms.CharField(label=_("Media type"), max_length=100, required=False)
