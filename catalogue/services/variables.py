"""A dataset's variables, one at a time (bulk registration is ``catalogue.importers.dictionary``).

``variable_errors`` is the single definition of what a valid variable is; the dictionary
importer applies the same function to every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from audit.services import audit_record
from catalogue.models import Dataset, ValueType, Variable
from catalogue.search.outbox import record_dataset_changes
from catalogue.services.common import field_values, require_curator
from catalogue.services.concepts import ConceptRef, concept_ids_for
from catalogue.translations import translation_errors

VARIABLE_FIELDS = frozenset(
    {
        "name",
        "label",
        "description",
        "label_translations",
        "description_translations",
        "value_type",
        "unit",
        "categories",
        "completeness",
        "concepts",
        "position",
    }
)
_VALUE_TYPES = frozenset(ValueType.values)  # computed once: the importer checks every row
_MAX = {name: Variable._meta.get_field(name).max_length for name in ("name", "label", "unit")}
_MAX_NAME, _MAX_LABEL, _MAX_UNIT = _MAX["name"], _MAX["label"], _MAX["unit"]
_NO_COMPLETENESS, _FULL_COMPLETENESS = Decimal(0), Decimal(100)
_CATEGORICAL = ValueType.CATEGORICAL.value


def variable_errors(
    *,
    name: str,
    value_type: str,
    label: str = "",
    unit: str = "",
    categories: dict[str, str] | None = None,
    completeness: Decimal | None = None,
    label_translations: Any = None,
    description_translations: Any = None,
) -> dict[str, list[str]]:
    """Field → messages for one variable (no database access); empty when valid. Translations are
    ``{language code: text}`` with a code from ``settings.CONTENT_LANGUAGES``; a label translation is as
    long as a label may be."""
    errors: dict[str, list[str]] = {}
    # The importer calls this once per row: the common case (no translations passed, every length within
    # bounds) takes a handful of comparisons and no allocation.
    if label_translations is not None or description_translations is not None:
        for field, value, max_length in (
            ("label_translations", label_translations, _MAX["label"]),
            ("description_translations", description_translations, None),
        ):
            if value is None:
                continue  # nothing to check (the importer passes none: it checks its translation columns itself)
            messages = translation_errors(value, max_length=max_length)
            if messages:
                errors[field] = messages
    if not name:
        errors["name"] = [_("A variable needs a name.")]
    if len(name) > _MAX_NAME or len(label) > _MAX_LABEL or len(unit) > _MAX_UNIT:
        for field, value in (("name", name), ("label", label), ("unit", unit)):
            if len(value) > _MAX[field]:
                errors.setdefault(field, []).append(
                    _("At most %(limit)s characters (this one has %(length)s).")
                    % {"limit": _MAX[field], "length": len(value)}
                )
    if value_type not in _VALUE_TYPES:
        errors["value_type"] = [
            _("Unknown value type %(type)s; use one of %(types)s.")
            % {"type": repr(value_type), "types": ", ".join(ValueType.values)}
        ]
    if value_type == _CATEGORICAL and not categories:
        errors["categories"] = [_('A categorical variable needs its categories, e.g. "0=negative; 1=positive".')]
    if completeness is not None and not (_NO_COMPLETENESS <= completeness <= _FULL_COMPLETENESS):
        errors["completeness"] = [
            _("Completeness is a percentage between 0 and 100, not %(value)s.") % {"value": completeness}
        ]
    return errors


def _set_concepts(variable: Variable, concepts: Sequence[ConceptRef]) -> None:
    ids = concept_ids_for(concepts)
    variable.concepts.set(sorted(set(ids.values())))


def _save(variable: Variable, concepts: Sequence[ConceptRef] | None) -> Variable:
    errors = variable_errors(
        name=variable.name,
        value_type=variable.value_type,
        label=variable.label,
        unit=variable.unit,
        categories=variable.categories,
        completeness=None if variable.completeness is None else Decimal(str(variable.completeness)),
        label_translations=variable.label_translations,
        description_translations=variable.description_translations,
    )
    clash = Variable.objects.filter(dataset_id=variable.dataset_id, name=variable.name).exclude(pk=variable.pk)
    if variable.name and clash.exists():
        errors.setdefault("name", []).append(
            _("This dataset already has a variable named %(name)s.") % {"name": repr(variable.name)}
        )
    if errors:
        raise ValidationError(errors)
    if variable.completeness is not None:
        variable.completeness = Decimal(str(variable.completeness)).quantize(Decimal("0.01"))
    variable.save()
    if concepts is not None:
        _set_concepts(variable, concepts)
    record_dataset_changes([variable.dataset_id])
    return variable


def _audited_fields(variable: Variable) -> dict[str, Any]:
    values = field_values(variable, ["dataset", "name", "value_type", "label", "unit", "categories", "completeness"])
    values["concepts"] = sorted(variable.concepts.values_list("vocabulary", "code"))
    return values


@transaction.atomic
def variable_create(
    *,
    actor: AbstractBaseUser,
    dataset: Dataset,
    name: str,
    value_type: str,
    label: str = "",
    description: str = "",
    label_translations: dict[str, str] | None = None,
    description_translations: dict[str, str] | None = None,
    unit: str = "",
    categories: dict[str, str] | None = None,
    completeness: Decimal | None = None,
    concepts: Sequence[ConceptRef] = (),
    position: int | None = None,
) -> Variable:
    """Add one variable to ``dataset`` (appended after the last one unless ``position`` is given)."""
    require_curator(actor=actor, partner=dataset.partner)
    if position is None:
        position = (dataset.variables.aggregate(last=Max("position"))["last"] or 0) + 1
    variable = Variable(
        dataset=dataset,
        name=name.strip(),
        value_type=value_type,
        label=label,
        description=description,
        label_translations=label_translations or {},
        description_translations=description_translations or {},
        unit=unit,
        categories=categories or {},
        completeness=completeness,
        position=position,
    )
    variable = _save(variable, concepts)
    audit_record(actor=actor, action="variable.create", obj=variable, after=_audited_fields(variable))
    return variable


@transaction.atomic
def variable_update(*, actor: AbstractBaseUser, variable: Variable, **changes: Any) -> Variable:
    """Change any of ``VARIABLE_FIELDS``; ``concepts`` (a list of ``ConceptRef``), when given, replaces the mappings."""
    require_curator(actor=actor, partner=variable.dataset.partner)
    unknown = set(changes) - VARIABLE_FIELDS
    if unknown:
        raise TypeError(f"Unknown variable field(s): {', '.join(sorted(unknown))}.")
    concepts = changes.pop("concepts", None)
    before = _audited_fields(variable)
    for field, value in changes.items():
        setattr(variable, field, value.strip() if field == "name" else value)
    for field in ("categories", "label_translations", "description_translations"):
        if getattr(variable, field) is None:
            setattr(variable, field, {})
    variable = _save(variable, concepts)
    audit_record(actor=actor, action="variable.update", obj=variable, before=before, after=_audited_fields(variable))
    return variable


@transaction.atomic
def variable_delete(*, actor: AbstractBaseUser, variable: Variable) -> None:
    require_curator(actor=actor, partner=variable.dataset.partner)
    dataset_id = variable.dataset_id
    before = _audited_fields(variable)
    audit_record(actor=actor, action="variable.delete", obj=variable, before=before)
    variable.delete()
    record_dataset_changes([dataset_id])
