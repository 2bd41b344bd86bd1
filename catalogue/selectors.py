"""Reads that carry catalogue rules: who may see which dataset, who curates which partner, the home-page counts.

Visibility rule (one place, used by pages, API and search):

* a **published** dataset is visible to everyone, anonymous visitors included;
* a **draft** or **retired** dataset is visible only to curators of its owning partner and to
  superusers (the rule and its filter: ``catalogue.policy.can_view_dataset`` / ``datasets_visible_q``).

Every selector returns a query set already joined for display (partner, disease areas,
data types) so that list pages and API lists run a fixed number of queries whatever
the page size.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext

from catalogue import policy
from catalogue.consent_matching import ConsentConditions, Modifier, either_of
from catalogue.figures import apply_pending_figures, figures_version
from catalogue.models import (
    Consent,
    Dataset,
    DatasetStatus,
    DiseaseArea,
    MondoTerm,
    Partner,
    Variable,
    VariableFigures,
    mondo_lineages,
)

AnyUser = AbstractBaseUser | AnonymousUser


def partners_curated_by(user: AnyUser | None) -> QuerySet[Partner]:
    """Partners whose datasets ``user`` may register and edit (``catalogue.policy.can_curate``)."""
    if user is None or not user.is_authenticated:
        return Partner.objects.none()
    return Partner.objects.filter(policy.partners_curated_q(user))


def user_curates(user: AnyUser | None, partner: Partner) -> bool:
    """True when ``user`` may write ``partner``'s datasets (``catalogue.policy.can_curate``)."""
    return bool(policy.can_curate(user, partner))


def _variable_count() -> Coalesce:
    # A correlated subquery rather than a JOIN + GROUP BY: it is evaluated only for the
    # rows of the page being shown, not for every dataset before LIMIT.
    per_dataset = (
        Variable.objects.filter(dataset=OuterRef("pk"))
        .order_by()
        .values("dataset")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(per_dataset, output_field=IntegerField()), Value(0))


def datasets_visible_to(user: AnyUser | None, *, include_retired: bool = False) -> QuerySet[Dataset]:
    """Datasets ``user`` may see, joined for display and annotated with ``variable_count``.

    Published datasets for everyone; drafts of the partners ``user`` curates (all drafts for a
    superuser). Retired datasets are hidden from lists unless ``include_retired`` is set, and
    even then only curators of the owning partner and superusers get them.
    """
    queryset = Dataset.objects.filter(policy.datasets_visible_q(user, include_retired=include_retired))
    return (
        queryset.select_related("partner")
        .prefetch_related("disease_areas", "data_types")
        .annotate(variable_count=_variable_count())
    )


def dataset_for_user(slug: str, user: AnyUser | None) -> Dataset:
    """The dataset with ``slug`` if ``user`` may see it (retired ones included for their curators).

    Raises ``Http404`` otherwise — the same answer for "does not exist" and "you may not see it",
    so a draft's existence is not disclosed. DRF turns ``Http404`` into a 404 response.
    """
    try:
        return datasets_visible_to(user, include_retired=True).get(slug=slug)
    except Dataset.DoesNotExist:
        raise Http404("No dataset matches the given query.") from None


@dataclass(frozen=True)
class DiseaseCount:
    code: str
    name: str
    datasets: int
    patients: int


@dataclass(frozen=True)
class CountryCount:
    country: str  # ISO code of the holders' country
    datasets: int
    patients: int


@dataclass(frozen=True)
class CatalogueStatistics:
    """Counts over **published** datasets, for the home page and the statistics page."""

    datasets: int
    patients: int
    variables: int
    partners: int
    countries: int
    by_disease: list[DiseaseCount]
    by_country: list[CountryCount] = field(default_factory=list)  # most patients first
    variables_by_type: list[tuple[str, int]] = field(default_factory=list)  # (value type, variables), most first


STATISTICS_CACHE_SECONDS = 300


def catalogue_statistics() -> CatalogueStatistics:
    """Published datasets, their patients and variables, the partners holding them and their countries,
    dataset/patient counts per top-level disease area (subtypes roll up to their parent) and per country,
    and variables per value type.

    Computed once per catalogue change, not per page view: cached under the catalogue's figures version
    (:func:`catalogue.figures.figures_version`, which every committed catalogue change moves forward in its
    own transaction). The version is read before the pending figure refreshes are applied and the counts
    computed, so a change committed meanwhile can only make the cached value fresher than its key, never
    older. Partner and disease-area edits by administrators (which queue no catalogue change) show within
    ``STATISTICS_CACHE_SECONDS``. Variables are summed from the maintained per-dataset figures.
    """
    key = f"catalogue-statistics:{figures_version()}"
    cached = cache.get(key)
    if cached is None:
        apply_pending_figures()
        cached = _count_catalogue()
        cache.set(key, cached, STATISTICS_CACHE_SECONDS)
    return cached


def _count_catalogue() -> CatalogueStatistics:
    """Four queries: published datasets grouped by holder, variables by value type, disease areas, and the
    published datasets' disease links (one row per dataset and area)."""
    published = Dataset.objects.filter(status=DatasetStatus.PUBLISHED)
    per_country: dict[str, list[int]] = {}
    partners = 0
    by_holder = (
        published.order_by()
        .values_list("partner__country", "partner_id")
        .annotate(datasets=Count("pk"), patients=Coalesce(Sum("patient_count"), 0))
    )
    for country, _partner_id, datasets, patients in by_holder:
        partners += 1
        tally = per_country.setdefault(country, [0, 0])
        tally[0] += datasets
        tally[1] += patients
    by_country = sorted(
        (CountryCount(country=code, datasets=d, patients=p) for code, (d, p) in per_country.items()),
        key=lambda row: (-row.patients, row.country),
    )
    by_type = (
        VariableFigures.objects.filter(dataset__status=DatasetStatus.PUBLISHED)
        .values("value_type")
        .annotate(n=Sum("variables"))
        .order_by("-n", "value_type")
    )
    variables_by_type = [(row["value_type"], row["n"]) for row in by_type]

    areas = list(DiseaseArea.objects.order_by().values_list("pk", "parent_id", "code", "name"))
    roots = {pk: (code, name) for pk, parent_id, code, name in areas if parent_id is None}
    parent_of = {pk: parent_id for pk, parent_id, _, _ in areas}
    datasets_by_root: dict[int, set[int]] = {pk: set() for pk in roots}
    patients_by_dataset: dict[int, int] = {}
    links = published.values_list("pk", "patient_count", "disease_areas")
    for dataset_id, patient_count, area_id in links:
        if area_id is None:
            continue
        root_id = area_id
        while parent_of.get(root_id) is not None:
            root_id = parent_of[root_id]
        datasets_by_root[root_id].add(dataset_id)
        patients_by_dataset[dataset_id] = patient_count or 0
    by_disease = [
        DiseaseCount(
            code=roots[root_id][0],
            name=roots[root_id][1],
            datasets=len(dataset_ids),
            patients=sum(patients_by_dataset[pk] for pk in dataset_ids),
        )
        for root_id, dataset_ids in datasets_by_root.items()
    ]
    by_disease.sort(key=lambda row: (-row.datasets, row.name))
    return CatalogueStatistics(
        datasets=sum(row.datasets for row in by_country),
        patients=sum(row.patients for row in by_country),
        variables=sum(n for _, n in variables_by_type),
        partners=partners,
        countries=len(by_country),
        by_disease=by_disease,
        by_country=by_country,
        variables_by_type=variables_by_type,
    )


def mondo_term_for(identifier: str) -> MondoTerm | None:
    """The MONDO term named by ``identifier``: a MONDO id of the shipped subset (``MONDO:0018874``, any case) or
    a disease area code (``AML``) whose area has a MONDO term; None when it names neither."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if identifier.upper().startswith("MONDO:"):
        return MondoTerm.objects.filter(pk=identifier.upper()).first()
    area = DiseaseArea.objects.filter(code__iexact=identifier).select_related("mondo").first()
    return area.mondo if area is not None else None


def unknown_disease_message(identifier: str) -> str:
    """How a refused disease identifier is reported (the API's 400 and the forms say the same)."""
    return gettext(
        "Unknown disease %(identifier)s: give a MONDO id of the hematology subset (e.g. MONDO:0018874, "
        "acute myeloid leukemia) or a disease area code (e.g. AML)."
    ) % {"identifier": repr(identifier)}


def mondo_lineage_of(term: MondoTerm | None) -> frozenset[str]:
    """``term``'s MONDO id with its ancestors' ids (empty for no term): what a use's disease matches with."""
    if term is None:
        return frozenset()
    return mondo_lineages().get(term.pk, frozenset({term.pk}))


def consent_conditions_by_dataset(dataset_ids: Iterable[int]) -> dict[int, list[ConsentConditions]]:
    """Each dataset's non-withdrawn consents as plain DUO conditions (for catalogue.consent_matching), in four
    queries whatever the number of datasets; a dataset with no active consent maps to ``[]`` (it admits nothing)."""
    ids = list(dataset_ids)
    conditions: dict[int, list[ConsentConditions]] = {dataset_id: [] for dataset_id in ids}
    consents = (
        Consent.objects.filter(dataset_id__in=ids, withdrawn_at__isnull=True)
        .select_related("permission")
        .prefetch_related("modifiers__term", "diseases")
        .order_by("dataset_id", "pk")
    )
    for consent in consents:
        diseases = sorted(consent.diseases.all(), key=lambda term: term.display_name)
        conditions[consent.dataset_id].append(
            ConsentConditions(
                label=gettext("consent %(version)s") % {"version": consent.form_version},
                permission=consent.permission.short_code,
                diseases=tuple(term.pk for term in diseases),
                disease_name=either_of([term.display_name for term in diseases]),
                modifiers=tuple(
                    Modifier(code=modifier.term.short_code, until=modifier.until, value=modifier.value)
                    for modifier in consent.modifiers.all()
                ),
            )
        )
    return conditions


def consent_conditions_of(dataset: Dataset) -> list[ConsentConditions]:
    """The dataset's non-withdrawn consents as plain DUO conditions."""
    return consent_conditions_by_dataset([dataset.pk])[dataset.pk]
