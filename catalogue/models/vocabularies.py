"""Controlled vocabularies: disease areas, data types, standard concepts and GA4GH DUO terms."""

from __future__ import annotations

from django.db import models


class DiseaseArea(models.Model):
    """A hematologic malignancy (or subtype) with its ICD-10 and ICD-O-3 codes."""

    code = models.SlugField(max_length=20, unique=True, help_text="Short code, e.g. AML, DLBCL.")
    name = models.CharField(max_length=200)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="subtypes")
    icd10 = models.CharField(max_length=100, blank=True, help_text="Comma-separated ICD-10 codes.")
    icdo3 = models.CharField(max_length=100, blank=True, help_text="Comma-separated ICD-O-3 morphology codes.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def lineage_codes(self) -> set[str]:
        """This disease's code and its ancestors' (a DS-lymphoma consent admits DLBCL research)."""
        codes = {self.code}
        node = self.parent
        while node is not None:
            codes.add(node.code)
            node = node.parent
        return codes


class DataType(models.Model):
    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=100)
    category = models.CharField(max_length=30, help_text="clinical, genomic, cytogenetics, …")

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class Vocabulary(models.TextChoices):
    OMOP = "OMOP", "OMOP concept id"
    LOINC = "LOINC", "LOINC"
    SNOMED = "SNOMED", "SNOMED CT"
    ICD10 = "ICD10", "ICD-10"
    HGNC = "HGNC", "HGNC gene symbol"


class Concept(models.Model):
    vocabulary = models.CharField(max_length=10, choices=Vocabulary.choices)
    code = models.CharField(max_length=50)
    name = models.CharField(max_length=255)

    class Meta:
        ordering = ["vocabulary", "code"]
        constraints = [models.UniqueConstraint(fields=["vocabulary", "code"], name="unique_concept_code")]

    def __str__(self) -> str:
        return f"{self.vocabulary}:{self.code} {self.name}"


class DuoKind(models.TextChoices):
    PERMISSION = "permission", "Data use permission"
    MODIFIER = "modifier", "Data use modifier"


class DuoTerm(models.Model):
    """A GA4GH Data Use Ontology term, loaded from the official term list shipped in catalogue/data/."""

    id = models.CharField(max_length=11, primary_key=True, help_text="e.g. DUO:0000007")
    label = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=DuoKind.choices)
    short_code = models.CharField(max_length=10, blank=True, help_text="e.g. DS, NPU; empty for abstract roots.")

    class Meta:
        ordering = ["kind", "short_code"]

    def __str__(self) -> str:
        return f"{self.short_code or self.id} ({self.label})"
