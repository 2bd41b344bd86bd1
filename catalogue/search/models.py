"""The transactional outbox of changes the search index has not yet applied."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchChange(models.Model):
    """A dataset whose search documents (the dataset and its variables) must be rewritten or deleted.

    Written in the same transaction as the catalogue change, so the index can
    never miss a committed write; applied (idempotently) by the sync worker.
    """

    dataset_id = models.BigIntegerField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"dataset {self.dataset_id} changed"


class DatasetEntry(models.Model):
    """The database backend's index row for one dataset: its rendered document plus normalised text.

    Maintained only by the sync worker (``catalogue.search.sync``) from the outbox, like an
    Elasticsearch index would be, so the database backend folds accents the same way.
    Text columns are padded with spaces so ``contains(" word ")`` is a whole-word match.
    """

    dataset_id = models.BigIntegerField(primary_key=True)
    status = models.CharField(max_length=10)
    partner_id = models.BigIntegerField()
    patient_count = models.PositiveIntegerField(null=True)
    updated_at = models.DateTimeField()
    exact = models.TextField()
    primary = models.TextField()
    secondary = models.TextField()
    vector = SearchVectorField(null=True, help_text="PostgreSQL only: weighted tsvector of primary (A), secondary (B).")
    digest = models.CharField(max_length=16, default="")
    document = models.JSONField()

    class Meta:
        indexes = [models.Index(fields=["status", "partner_id"], name="search_dataset_visibility")]

    def __str__(self) -> str:
        return f"search entry of dataset {self.dataset_id}"


class VariableEntry(models.Model):
    """The database backend's index row for one variable, with its dataset's status and partner copied in."""

    variable_id = models.BigIntegerField(primary_key=True)
    dataset = models.ForeignKey(DatasetEntry, on_delete=models.CASCADE, related_name="variables")
    status = models.CharField(max_length=10)
    partner_id = models.BigIntegerField()
    patient_count = models.PositiveIntegerField(null=True)
    updated_at = models.DateTimeField()
    value_type = models.CharField(max_length=12)
    exact = models.TextField()
    primary = models.TextField()
    secondary = models.TextField()
    concept_keys = models.TextField(help_text='"|hgnc npm1|loinc 21907 1|": delimited for an exact contains match.')
    vector = SearchVectorField(null=True)
    digest = models.CharField(max_length=16, default="")
    document = models.JSONField()

    class Meta:
        indexes = [models.Index(fields=["status", "partner_id"], name="search_variable_visibility")]

    def __str__(self) -> str:
        return f"search entry of variable {self.variable_id}"


class FacetValue(models.Model):
    """One facet value of an indexed dataset (its variables share it)."""

    dataset = models.ForeignKey(DatasetEntry, on_delete=models.CASCADE, related_name="facet_values")
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "facet", "value"], name="unique_search_facet_value"),
        ]
        indexes = [models.Index(fields=["facet", "value"], name="search_facet_value")]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"
