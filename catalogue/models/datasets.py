"""Datasets and what describes them: variables, consents (DUO conditions) and distributions."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalogue.models.partners import Partner
from catalogue.models.vocabularies import Concept, DataType, DiseaseArea, DuoTerm, MondoTerm


class DatasetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class DataModel(models.TextChoices):
    OMOP_54 = "omop-5.4", "OMOP CDM 5.4"
    OMOP_53 = "omop-5.3", "OMOP CDM 5.3"
    FHIR_R4 = "fhir-r4", "HL7 FHIR R4"
    CDISC_SDTM = "cdisc-sdtm", "CDISC SDTM"
    PHENOPACKETS = "phenopackets", "GA4GH Phenopackets"
    CUSTOM = "custom", _("Custom")


class DatasetQuerySet(models.QuerySet["Dataset"]):
    def published(self) -> DatasetQuerySet:
        return self.filter(status=DatasetStatus.PUBLISHED)


class Dataset(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="datasets")
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    title_translations = models.JSONField(
        default=dict, blank=True, help_text="Language code → title, for languages other than the English title."
    )
    description_translations = models.JSONField(default=dict, blank=True, help_text="Language code → description.")
    disease_areas = models.ManyToManyField(DiseaseArea, related_name="datasets", blank=True)
    data_types = models.ManyToManyField(DataType, related_name="datasets", blank=True)
    patient_count = models.PositiveIntegerField(null=True, blank=True)
    sample_count = models.PositiveIntegerField(null=True, blank=True)
    collection_start = models.DateField(null=True, blank=True)
    collection_end = models.DateField(null=True, blank=True)
    patient_countries = models.JSONField(default=list, blank=True, help_text="ISO 3166-1 alpha-2 codes.")
    data_model = models.CharField(max_length=20, choices=DataModel.choices, default=DataModel.CUSTOM)
    keywords = models.JSONField(default=list, blank=True)
    version = models.CharField(max_length=30, default="1.0")
    status = models.CharField(max_length=10, choices=DatasetStatus.choices, default=DatasetStatus.DRAFT)
    contact_email = models.EmailField(blank=True)
    persistent_identifier = models.CharField(max_length=200, blank=True, help_text="DOI, Handle or ARK.")
    dictionary_downloadable = models.BooleanField(
        default=True,
        help_text="Whether everyone who can see the dataset may download its data dictionary (CSV or XLSX).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = DatasetQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "partner"]), models.Index(fields=["-updated_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(collection_start__isnull=True)
                | Q(collection_end__isnull=True)
                | Q(collection_start__lte=models.F("collection_end")),
                name="dataset_collection_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="dataset_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == DatasetStatus.PUBLISHED


class ValueType(models.TextChoices):
    INTEGER = "integer", _("Integer")
    DECIMAL = "decimal", _("Decimal")
    TEXT = "text", _("Text")
    DATE = "date", _("Date")
    BOOLEAN = "boolean", _("Boolean")
    CATEGORICAL = "categorical", _("Categorical")


class Variable(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="variables")
    name = models.CharField(max_length=200)
    label = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    label_translations = models.JSONField(
        default=dict, blank=True, help_text="Language code → label, for languages other than the English label."
    )
    description_translations = models.JSONField(default=dict, blank=True, help_text="Language code → description.")
    value_type = models.CharField(max_length=12, choices=ValueType.choices)
    unit = models.CharField(max_length=50, blank=True, help_text="UCUM unit, e.g. 10*9/L.")
    categories = models.JSONField(default=dict, blank=True, help_text="code → label, for categorical variables.")
    completeness = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    concepts = models.ManyToManyField(Concept, related_name="variables", blank=True)

    class Meta:
        ordering = ["dataset", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "name"], name="unique_variable_name_per_dataset"),
            models.CheckConstraint(
                condition=Q(completeness__isnull=True) | Q(completeness__gte=0, completeness__lte=100),
                name="variable_completeness_percentage",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Consent(models.Model):
    """The data-use conditions of one consent form under which (part of) a dataset was collected.

    One DUO permission (GRU, HMB, DS with its disease, POA, NRES) plus modifiers. Once the dataset is published a
    consent is never edited in place: a change makes a new ``version`` that ``supersedes`` it, and the old one is
    withdrawn (catalogue.services.consents), so decisions taken on the old conditions can be re-checked.
    """

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="consents")
    form_version = models.CharField(max_length=50, help_text="Version of the consent form, e.g. v3.1 (2019).")
    participant_count = models.PositiveIntegerField(null=True, blank=True)
    permission = models.ForeignKey(
        DuoTerm, on_delete=models.PROTECT, related_name="+", limit_choices_to={"kind": "permission"}
    )
    diseases = models.ManyToManyField(
        MondoTerm,
        blank=True,
        related_name="consents",
        help_text="DS only: the diseases the data may be used for (research on any of them, or on a subtype).",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveSmallIntegerField(default=1, editable=False)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        editable=False,
        help_text="The previous version of this consent, withdrawn when this one replaced it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dataset", "form_version", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "form_version", "version"], name="unique_consent_form_version_per_dataset"
            ),
            models.UniqueConstraint(
                fields=["dataset", "form_version"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_form",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} consent {self.form_version}"


class DataUseModifier(models.Model):
    """A DUO modifier on a consent, with its parameter where the term has one (MOR/TS date, GS countries …)."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="modifiers")
    term = models.ForeignKey(DuoTerm, on_delete=models.PROTECT, related_name="+", limit_choices_to={"kind": "modifier"})
    until = models.DateField(null=True, blank=True, help_text="MOR: moratorium end; TS: end of permitted use.")
    value = models.CharField(max_length=300, blank=True, help_text="GS countries, US/PS/IS/RS details.")

    class Meta:
        ordering = ["term"]
        constraints = [models.UniqueConstraint(fields=["consent", "term"], name="unique_modifier_per_consent")]

    def __str__(self) -> str:
        return self.term.short_code or self.term_id


class DistributionKind(models.TextChoices):
    FILE = "file", _("File held by the registry")
    URL = "url", _("External access URL")


class Distribution(models.Model):
    """How the data can be obtained. Files are stored privately and only released through a live access grant."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="distributions")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=4, choices=DistributionKind.choices)
    file = models.FileField(upload_to="distributions/%Y/%m/", blank=True)
    access_url = models.URLField(blank=True)
    media_type = models.CharField(max_length=100, blank=True, help_text="e.g. text/csv, application/parquet")
    byte_size = models.PositiveBigIntegerField(null=True, blank=True)
    checksum_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dataset", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="")) | (Q(kind="url") & ~Q(access_url="")),
                name="distribution_has_location",
            ),
        ]

    def __str__(self) -> str:
        return self.title
