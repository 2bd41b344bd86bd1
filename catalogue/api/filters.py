"""Query-string filters of the list endpoints."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from catalogue.countries import COUNTRY_CHOICES
from catalogue.models import Concept, Dataset, DatasetStatus, DiseaseArea, Partner, PartnerKind, Vocabulary


class PartnerFilter(django_filters.FilterSet):
    country = django_filters.ChoiceFilter(choices=COUNTRY_CHOICES, help_text="ISO 3166-1 alpha-2 code.")
    kind = django_filters.ChoiceFilter(choices=PartnerKind.choices)

    class Meta:
        model = Partner
        fields = ["country", "kind"]


class DatasetFilter(django_filters.FilterSet):
    partner = django_filters.CharFilter(field_name="partner__slug", help_text="Owning partner's slug.")
    country = django_filters.ChoiceFilter(
        field_name="partner__country", choices=COUNTRY_CHOICES, help_text="Country of the owning partner."
    )
    disease = django_filters.CharFilter(
        method="filter_disease", help_text="Disease area code, e.g. AML; a parent code includes its subtypes."
    )
    status = django_filters.ChoiceFilter(choices=DatasetStatus.choices)
    data_type = django_filters.CharFilter(field_name="data_types__code", help_text="Data type code, e.g. wgs.")

    class Meta:
        model = Dataset
        fields = ["partner", "country", "disease", "status", "data_type"]

    def filter_disease(self, queryset: QuerySet[Dataset], name: str, value: str) -> QuerySet[Dataset]:
        codes = {value}
        frontier = {value}
        while frontier:  # the disease tree is two levels deep; this loop runs at most three times
            frontier = set(DiseaseArea.objects.filter(parent__code__in=frontier).values_list("code", flat=True))
            codes |= frontier
        return queryset.filter(disease_areas__code__in=codes).distinct()


class ConceptFilter(django_filters.FilterSet):
    vocabulary = django_filters.ModelChoiceFilter(
        queryset=Vocabulary.objects.all(), help_text="A vocabulary id, e.g. NCIT."
    )
    q = django_filters.CharFilter(method="filter_q", help_text="Code or name contains (case-insensitive).")

    class Meta:
        model = Concept
        fields = ["vocabulary", "q"]

    def filter_q(self, queryset: QuerySet[Concept], name: str, value: str) -> QuerySet[Concept]:
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))
