"""Maintained aggregates behind the home page and the statistics page (``catalogue.figures`` keeps them)."""

from __future__ import annotations

from django.db import models

from catalogue.models.datasets import Dataset


class VariableFigures(models.Model):
    """How many variables of one value type a dataset has.

    A few rows per dataset, so the catalogue's variable totals are a sum over datasets, not a count of
    every variable. Refreshed from the outbox after each change of the dataset (``catalogue.figures``).
    """

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="variable_figures")
    value_type = models.CharField(max_length=12)
    variables = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "value_type"], name="unique_variable_figures"),
        ]

    def __str__(self) -> str:
        return f"{self.variables} {self.value_type} variables of dataset {self.dataset_id}"
