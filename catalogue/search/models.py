"""The database backend's index tables, and the search view of the outbox (:class:`SearchChange`)."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from harmony.outbox.models import OutboxMessage, OutboxMessageQuerySet

SEARCH_SYNC = "search.sync"  # the outbox kind of "re-render this dataset's search documents"


class SearchChangeManager(models.Manager["SearchChange"]):
    def get_queryset(self) -> OutboxMessageQuerySet:
        return (
            OutboxMessageQuerySet(self.model, using=self._db)
            .filter(kind=SEARCH_SYNC, done_at__isnull=True)
            .annotate(dataset_id=Cast(KT("payload__dataset_id"), models.BigIntegerField()))
        )


class SearchChange(OutboxMessage):
    """A dataset whose search documents (the dataset and its variables) must be rewritten or deleted:
    a pending ``search.sync`` message of the one outbox (``harmony.outbox``), with its ``dataset_id``.

    Written in the same transaction as the catalogue change (:mod:`catalogue.search.outbox`), so the
    index can never miss a committed write; applied (idempotently) by the worker.
    """

    objects = SearchChangeManager()

    class Meta:
        proxy = True
        ordering = ["id"]

    def __str__(self) -> str:
        return f"dataset {self.payload.get('dataset_id')} changed"


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
    embedding_hash = models.CharField(
        max_length=32, blank=True, db_index=True, help_text="Hash of the embedded text (an EmbeddingCache row)."
    )
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
    embedding_hash = models.CharField(
        max_length=32, blank=True, db_index=True, help_text="Hash of the embedded text (an EmbeddingCache row)."
    )
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


class EmbeddingCache(models.Model):
    """The embedding of one distinct text by one model, computed once (most variable labels repeat across
    datasets, so a million variables are far fewer texts). ``vector`` is little-endian float32, L2-normalised."""

    model = models.CharField(max_length=60)
    text_hash = models.CharField(max_length=32)
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "text_hash"], name="unique_embedding_per_model")]

    def __str__(self) -> str:
        return f"{self.model} embedding {self.text_hash}"
