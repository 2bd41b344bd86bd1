"""Vocabularies concepts come from: added or changed by the alliance administrators (the Django admin calls this)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from audit.services import audit_record
from catalogue.models import Vocabulary
from catalogue.services.common import field_values

VOCABULARY_FIELDS = ("id", "name", "iri", "code_pattern", "example", "aliases")


@transaction.atomic
def vocabulary_save(*, actor: AbstractBaseUser, vocabulary: Vocabulary) -> Vocabulary:
    """Save a new or changed ``vocabulary`` (validated by its form or ``full_clean``); audited with what changed.

    Its code pattern decides which codes every later import accepts, so every change is on record.
    """
    if actor is None or not actor.is_superuser:
        raise PermissionDenied("Only the alliance administrators can add or change vocabularies.")
    existing = Vocabulary.objects.filter(pk=vocabulary.pk).first()
    before = {} if existing is None else field_values(existing, VOCABULARY_FIELDS)
    vocabulary.save()
    after = field_values(vocabulary, VOCABULARY_FIELDS)
    changed = [name for name in VOCABULARY_FIELDS if before.get(name) != after[name]]
    audit_record(
        actor=actor,
        action="vocabulary.update" if before else "vocabulary.create",
        obj=vocabulary,
        before={name: before[name] for name in changed if name in before},
        after={name: after[name] for name in changed},
    )
    return vocabulary
