"""factory_boy factories for catalogue models."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from catalogue.models import (
    Concept,
    Consent,
    Dataset,
    DatasetStatus,
    DataUseModifier,
    DiseaseArea,
    DuoTerm,
    Partner,
    PartnerKind,
    ValueType,
    Variable,
)
from catalogue.selectors import mondo_term_for


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("harmony-test")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner Institution {n}")
    short_name = factory.Sequence(lambda n: f"P{n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    country = "NL"
    kind = PartnerKind.ACADEMIC


class DatasetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dataset
        skip_postgeneration_save = True

    partner = factory.SubFactory(PartnerFactory)
    title = factory.Sequence(lambda n: f"Cohort {n}")
    slug = factory.Sequence(lambda n: f"cohort-{n}")
    description = "A hematology cohort."
    patient_count = 100
    status = DatasetStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    collection_start = datetime.date(2015, 1, 1)
    collection_end = datetime.date(2020, 12, 31)

    @factory.post_generation
    def diseases(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            self.disease_areas.set(DiseaseArea.objects.filter(code__in=extracted))


class DraftDatasetFactory(DatasetFactory):
    status = DatasetStatus.DRAFT
    published_at = None


class VariableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variable

    dataset = factory.SubFactory(DatasetFactory)
    name = factory.Sequence(lambda n: f"var_{n}")
    label = factory.LazyAttribute(lambda v: v.name.replace("_", " ").title())
    value_type = ValueType.TEXT


class ConceptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concept
        django_get_or_create = ("vocabulary_id", "code")

    vocabulary_id = "HGNC"
    code = factory.Sequence(lambda n: f"GENE{n}")
    name = factory.LazyAttribute(lambda c: c.code)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    dataset = factory.SubFactory(DatasetFactory)
    form_version = factory.Sequence(lambda n: f"v{n}")
    participant_count = 100
    permission = factory.LazyFunction(lambda: DuoTerm.objects.get(short_code="HMB"))

    @factory.post_generation
    def diseases(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        """A DS consent's diseases, as MONDO ids or disease-area codes (``diseases=["AML"]``)."""
        if create and extracted:
            self.diseases.set([mondo_term_for(identifier) for identifier in extracted])


class DataUseModifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataUseModifier

    consent = factory.SubFactory(ConsentFactory)
    term = factory.LazyFunction(lambda: DuoTerm.objects.get(short_code="NPU"))
