"""Researchers' tools on the catalogue pages: a dataset's data dictionary as a file, and datasets compared side
by side. Thin: validate, ask the policy and the selectors, render."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from catalogue.dictionary_export import dictionary_csv, dictionary_xlsx
from catalogue.importers.template import CONTENT_TYPES
from catalogue.models import Consent, Dataset, DataUseModifier, Variable
from catalogue.policy import can_download_dictionary
from catalogue.search.api.serializers import IntendedUseParamsSerializer
from catalogue.search.intended_use import UseVerdict, verdicts_for
from catalogue.search.intended_use_inputs import intended_use_controls, remember_use, stated_use
from catalogue.selectors import dataset_for_user, datasets_visible_to
from catalogue.services.concepts import parse_concepts

MAX_COMPARED = 4
MAX_KEY_VARIABLES = 10
_CONCEPT_LIKE = re.compile(r"^[A-Za-z][\w-]*:\S+$")


@require_GET
def dataset_dictionary_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The dataset's variables in the importer's columns: CSV streamed, XLSX in one piece. 404 for a dataset
    the user cannot see, 403 when its curators do not offer the dictionary."""
    dataset = dataset_for_user(slug, request.user)
    decision = can_download_dictionary(request.user, dataset)
    if not decision:
        raise PermissionDenied(decision.reason)
    filename = f"{dataset.slug}-data-dictionary.{fmt}"
    if fmt == "csv":
        response: HttpResponse = StreamingHttpResponse(dictionary_csv(dataset), content_type=CONTENT_TYPES["csv"])
    else:
        response = HttpResponse(dictionary_xlsx(dataset), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@dataclass
class ComparedDataset:
    """One column of the comparison."""

    dataset: Dataset
    verdict: UseVerdict | None = None
    key_variables: list[Variable | None] = field(default_factory=list)


def _key_variable_q(line: str) -> Q | None:
    """A dataset holds a key variable when one of its variables is annotated with that concept
    (``VOCABULARY:CODE``) or is named or labelled exactly so (case-insensitive); ``None`` for a concept of an
    unknown vocabulary."""
    if _CONCEPT_LIKE.match(line):
        refs, errors = parse_concepts(line)
        if errors or not refs:
            return None
        return Q(concepts__vocabulary_id=refs[0].vocabulary, concepts__code=refs[0].code)
    return Q(name__iexact=line) | Q(label__iexact=line)


@require_GET
def dataset_compare(request: HttpRequest) -> HttpResponse:
    """Up to four datasets (``?datasets=<slug>`` repeated) side by side: size, period, data types, consents and
    whether they admit the stated intended use (the search's ``use_*`` parameters, judged by the one consent
    matcher), and which of the key variables (``key``, one per line) each holds."""
    visible = datasets_visible_to(request.user)
    slugs = [slug for slug in dict.fromkeys(request.GET.getlist("datasets")) if slug]
    errors: list[str] = []
    if len(slugs) > MAX_COMPARED:
        errors.append(_("Compare at most %(count)d datasets at a time.") % {"count": MAX_COMPARED})
        slugs = slugs[:MAX_COMPARED]
    consents = Consent.objects.filter(withdrawn_at__isnull=True).select_related("permission")
    consents = consents.prefetch_related(
        "diseases", Prefetch("modifiers", queryset=DataUseModifier.objects.select_related("term"))
    )
    found = {
        dataset.slug: dataset
        for dataset in visible.filter(slug__in=slugs).prefetch_related(
            "data_types", "disease_areas", Prefetch("consents", queryset=consents, to_attr="active_consents")
        )
    }
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        errors.append(_("No dataset matches: %(slugs)s.") % {"slugs": ", ".join(missing)})
    columns = [ComparedDataset(found[slug]) for slug in slugs if slug in found]

    use_data = stated_use(request)
    params = IntendedUseParamsSerializer(data=use_data)
    use_valid = params.is_valid()
    intended_use = params.intended_use(request.user) if use_valid else None
    if use_valid:
        remember_use(request, use_data)
    if intended_use is not None:
        verdicts = verdicts_for(intended_use, [column.dataset.pk for column in columns])
        for column in columns:
            column.verdict = verdicts.get(column.dataset.pk)

    key_lines = [line.strip() for line in request.GET.get("key", "").splitlines() if line.strip()]
    if len(key_lines) > MAX_KEY_VARIABLES:
        errors.append(_("Give at most %(count)d key variables.") % {"count": MAX_KEY_VARIABLES})
        key_lines = key_lines[:MAX_KEY_VARIABLES]
    key_rows: list[tuple[str, list[Variable | None]]] = []
    for line in key_lines:
        condition = _key_variable_q(line)
        if condition is None:
            errors.append(_("%(line)s is not a known vocabulary:code.") % {"line": line})
            continue
        holders = {}
        matching = Variable.objects.filter(condition, dataset__in=[column.dataset for column in columns])
        for variable in matching.order_by("dataset_id", "position", "name").distinct():
            holders.setdefault(variable.dataset_id, variable)
        key_rows.append((line, [holders.get(column.dataset.pk) for column in columns]))

    context = {
        "columns": columns,
        "choices": visible.order_by("title").only("slug", "title", "partner__short_name"),
        "selected": slugs + [""] * (MAX_COMPARED - len(slugs)),
        "key_text": "\n".join(key_lines),
        "key_rows": key_rows,
        "intended_use": intended_use,
        "controls": intended_use_controls(use_data, None if use_valid else params.errors),
        "errors": errors,
    }
    return render(request, "catalogue/compare.html", context, status=400 if errors or not use_valid else 200)
