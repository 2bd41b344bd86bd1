"""Controlled vocabularies: disease areas, the MONDO hematology subset, data types, standard concepts and GA4GH
DUO terms."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.translations import text_in_active_language


class MondoTerm(models.Model):
    """A disease of the shipped MONDO hematology subset (catalogue/data/mondo_hematology.csv), with its DOID
    cross-reference and its parents within the subset (MONDO is a graph: a term may have several)."""

    id = models.CharField(max_length=13, primary_key=True, help_text="e.g. MONDO:0018874")
    name = models.CharField(max_length=200)
    name_translations = models.JSONField(
        default=dict, blank=True, help_text="Language code → text, from catalogue/data/translations/ (reference_data)."
    )
    doid = models.CharField("DOID", max_length=20, blank=True, help_text="Human Disease Ontology id, e.g. DOID:9119.")
    parents = models.ManyToManyField("self", symmetrical=False, related_name="children", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "MONDO term"

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"

    @property
    def display_name(self) -> str:
        """The name in the active language (the English MONDO label when there is no translation)."""
        return text_in_active_language(self.name, self.name_translations)


def mondo_lineages() -> dict[str, frozenset[str]]:
    """Every MONDO term's id with its ancestors' ids (itself included), from one query over the parent links.

    The ancestry the consent matcher compares: a consent's DS term admits research on any term whose lineage
    contains it.
    """
    parents: dict[str, set[str]] = {pk: set() for pk in MondoTerm.objects.values_list("pk", flat=True)}
    for child, parent in MondoTerm.parents.through.objects.values_list("from_mondoterm_id", "to_mondoterm_id"):
        parents[child].add(parent)
    lineages: dict[str, frozenset[str]] = {}

    def lineage(term: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
        if term not in lineages:
            found = {term}
            for parent in parents.get(term, ()):
                if parent not in seen:  # a cycle in hand-edited data must not recurse forever
                    found |= lineage(parent, seen | {term})
            lineages[term] = frozenset(found)
        return lineages[term]

    for term in parents:
        lineage(term)
    return lineages


class DiseaseArea(models.Model):
    """A hematologic malignancy (or subtype) with its ICD-10 and ICD-O-3 codes and its MONDO term."""

    code = models.SlugField(max_length=20, unique=True, help_text="Short code, e.g. AML, DLBCL.")
    name = models.CharField(max_length=200)
    name_translations = models.JSONField(
        default=dict, blank=True, help_text="Language code → text, from catalogue/data/translations/ (reference_data)."
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="subtypes")
    icd10 = models.CharField(max_length=100, blank=True, help_text="Comma-separated ICD-10 codes.")
    icdo3 = models.CharField(max_length=100, blank=True, help_text="Comma-separated ICD-O-3 morphology codes.")
    mondo = models.ForeignKey(
        MondoTerm,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disease_areas",
        help_text="The area's MONDO term (its DOID is on the term).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language (the English name when there is no translation)."""
        return text_in_active_language(self.name, self.name_translations)


class DataType(models.Model):
    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=100)
    name_translations = models.JSONField(
        default=dict, blank=True, help_text="Language code → text, from catalogue/data/translations/ (reference_data)."
    )
    category = models.CharField(max_length=30, help_text="clinical, genomic, cytogenetics, …")

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language (the English name when there is no translation)."""
        return text_in_active_language(self.name, self.name_translations)


def validate_code_pattern(value: str) -> None:
    """A vocabulary's code pattern must be a valid Python regular expression."""
    try:
        re.compile(value)
    except re.error as exc:
        raise ValidationError(f"Not a valid regular expression: {exc}.") from None


class Vocabulary(models.Model):
    """A standard vocabulary concepts come from, shipped in catalogue/data/vocabularies.csv.

    Administrators may add more in the Django admin; a vocabulary some concept uses cannot be deleted.
    """

    id = models.CharField(
        max_length=10,
        primary_key=True,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9]*$", "Capital letters and digits, e.g. NCIT.")],
        help_text="What dictionaries and the API write before the colon, e.g. NCIT in NCIT:C3171.",
    )
    name = models.CharField(max_length=100)
    iri = models.CharField("IRI or namespace", max_length=200, blank=True)
    code_pattern = models.CharField(
        max_length=200,
        validators=[validate_code_pattern],
        help_text="Regular expression the whole code must match, e.g. C[0-9]{1,7}.",
    )
    example = models.CharField(max_length=50, help_text="A valid code, shown when a code does not match.")
    aliases = models.CharField(
        max_length=200, blank=True, help_text="Other spellings accepted on import, separated by |, e.g. NCI|NCIt."
    )

    class Meta:
        verbose_name_plural = "vocabularies"

    def __str__(self) -> str:
        return self.id

    def clean(self) -> None:
        try:
            pattern = re.compile(self.code_pattern)
        except re.error:
            return  # the field's validator reports it
        if self.example and not pattern.fullmatch(self.example):
            raise ValidationError({"example": "The example does not match the code pattern."})


class Concept(models.Model):
    # The column keeps its name and its values (the vocabulary ids), so the API's strings are unchanged.
    vocabulary = models.ForeignKey(
        Vocabulary, on_delete=models.PROTECT, db_column="vocabulary", related_name="concepts"
    )
    code = models.CharField(max_length=50)
    name = models.CharField(max_length=255)

    class Meta:
        ordering = ["vocabulary_id", "code"]
        constraints = [models.UniqueConstraint(fields=["vocabulary", "code"], name="unique_concept_code")]

    def __str__(self) -> str:
        return f"{self.vocabulary_id}:{self.code} {self.name}"


class DuoKind(models.TextChoices):
    PERMISSION = "permission", _("Data use permission")
    MODIFIER = "modifier", _("Data use modifier")


class DuoTerm(models.Model):
    """A GA4GH Data Use Ontology term, loaded from the official term list shipped in catalogue/data/."""

    id = models.CharField(max_length=11, primary_key=True, help_text="e.g. DUO:0000007")
    label = models.CharField(max_length=200)
    label_translations = models.JSONField(
        default=dict, blank=True, help_text="Language code → text, from catalogue/data/translations/ (reference_data)."
    )
    kind = models.CharField(max_length=10, choices=DuoKind.choices)
    short_code = models.CharField(max_length=10, blank=True, help_text="e.g. DS, NPU; empty for abstract roots.")
    definition = models.TextField(blank=True, help_text="The term's DUO description.")
    definition_translations = models.JSONField(
        default=dict, blank=True, help_text="Language code → text, from catalogue/data/translations/ (reference_data)."
    )
    example = models.TextField(blank=True, help_text="An example of a consent that carries the term.")
    example_translations = models.JSONField(
        default=dict, blank=True, help_text="Language code → text, from catalogue/data/translations/ (reference_data)."
    )

    class Meta:
        ordering = ["kind", "short_code"]

    def __str__(self) -> str:
        return f"{self.short_code or self.id} ({self.label})"

    @property
    def display_label(self) -> str:
        """The label in the active language (DUO's English label when there is no translation)."""
        return text_in_active_language(self.label, self.label_translations)

    @property
    def display_definition(self) -> str:
        return text_in_active_language(self.definition, self.definition_translations)

    @property
    def display_example(self) -> str:
        return text_in_active_language(self.example, self.example_translations)
