"""The facets of the search: which values a document carries and how they are labelled.

A facet value is a short keyword stored on the dataset document and copied onto each of its
variable documents, so both document types filter and count the same way. Values are
derived once, at indexing time (:mod:`catalogue.search.documents`); labels are looked up at
query time from the small reference tables.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalogue.countries import COUNTRY_CHOICES
from catalogue.models import DataModel, DataType, DiseaseArea, DuoTerm, Partner, PartnerKind, ValueType


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    variables_only: bool = False


FACETS: tuple[Facet, ...] = (
    Facet("disease", _("Disease area")),
    Facet("country", _("Country")),
    Facet("partner", _("Partner")),
    Facet("partner_kind", _("Partner kind")),
    Facet("data_type", _("Data type")),
    Facet("data_model", _("Data model")),
    Facet("duo_permission", _("Data use permission")),
    Facet("duo_modifier", _("Data use modifier")),
    Facet("patients", _("Patients")),
    Facet("period", _("Collection period")),
    Facet("value_type", _("Value type"), variables_only=True),
)
DATASET_FACETS = tuple(facet.name for facet in FACETS if not facet.variables_only)
VARIABLE_FACETS = tuple(facet.name for facet in FACETS)
FACET_LABELS = {facet.name: facet.label for facet in FACETS}

# Patient-count ranges, lower bound inclusive; the last one is open.
PATIENT_RANGES: tuple[tuple[str, int, int | None], ...] = (
    ("0-99", 0, 99),
    ("100-499", 100, 499),
    ("500-999", 500, 999),
    ("1000-4999", 1000, 4999),
    ("5000+", 5000, None),
)


def patient_range(patient_count: int | None) -> str | None:
    if patient_count is None:
        return None
    for key, low, high in PATIENT_RANGES:
        if patient_count >= low and (high is None or patient_count <= high):
            return key
    return None


def collection_decades(start: datetime.date | None, end: datetime.date | None, *, today: datetime.date) -> list[str]:
    """The decades a collection period touches ("2010s", "2020s"); an open end means "until today"."""
    if start is None:
        return []
    last_year = (end or today).year
    return [f"{decade}s" for decade in range(start.year // 10 * 10, last_year // 10 * 10 + 1, 10)]


LABEL_CACHE_SECONDS = 60.0
_label_cache: dict[str, tuple[float, dict[str, dict[str, str]]]] = {}


def facet_value_labels() -> dict[str, dict[str, str]]:
    """Display labels of every facet value in the active language, from the reference tables (diseases, data
    types and DUO terms with their shipped translations).

    Cached per process and language for a minute: every search request needs them (to label counts and to
    validate selections), and they change only when an administrator renames a partner.
    """
    language = get_language() or settings.LANGUAGE_CODE
    now = time.monotonic()
    cached = _label_cache.get(language)
    if cached is None or now - cached[0] > LABEL_CACHE_SECONDS:
        # Translated now, in the language they are cached for: a lazy label would be translated again by every
        # response that shows it (about twenty per search).
        labels = {
            name: {value: str(label) for value, label in values.items()}
            for name, values in _load_facet_value_labels().items()
        }
        cached = _label_cache[language] = (now, labels)
    return cached[1]


def clear_facet_label_cache() -> None:
    _label_cache.clear()


def _load_facet_value_labels() -> dict[str, dict[str, str]]:
    duo = {term.short_code: term.display_label for term in DuoTerm.objects.exclude(short_code="")}
    return {
        "disease": {area.code: area.display_name for area in DiseaseArea.objects.all()},
        "country": dict(COUNTRY_CHOICES),
        "partner": dict(Partner.objects.values_list("slug", "name")),
        "partner_kind": dict(PartnerKind.choices),
        "data_type": {data_type.code: data_type.display_name for data_type in DataType.objects.all()},
        "data_model": dict(DataModel.choices),
        "duo_permission": duo,
        "duo_modifier": duo,
        "patients": {key: format_lazy(_("{range} patients"), range=key) for key, _low, _high in PATIENT_RANGES},
        "period": {},
        "value_type": dict(ValueType.choices),
    }
