"""Pages anyone can read: home, dataset list and detail, partner list and detail.

Visibility comes from ``catalogue.selectors`` (drafts only for their curators); the
views only filter, sort and page what the selectors return.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from catalogue import policy
from catalogue.citation import cite
from catalogue.countries import COUNTRIES
from catalogue.dcat import views as dcat_views
from catalogue.dcat.schema_org import dataset_json_ld_script
from catalogue.models import Consent, Dataset, DataUseModifier, DiseaseArea, Partner, PartnerKind, Variable
from catalogue.policy import can_download_dictionary
from catalogue.selectors import catalogue_statistics, dataset_for_user, datasets_visible_to, user_curates
from catalogue.views.paging import paginate, sort_from

DATASETS_PER_PAGE = 20
VARIABLES_PER_PAGE = 50
VARIABLE_SORTS = {
    "position": "position",
    "name": "name",
    "label": "label",
    "type": "value_type",
    "unit": "unit",
    "completeness": "completeness",
}
DATASET_SORTS = {"title": "title", "patients": "patient_count", "updated": "updated_at"}


def home(request: HttpRequest) -> HttpResponse:
    statistics = catalogue_statistics()
    largest = max((row.patients for row in statistics.by_disease), default=0)
    recent = datasets_visible_to(request.user).filter(status="published").order_by("-published_at")[:6]
    return render(
        request,
        "catalogue/home.html",
        {"statistics": statistics, "largest_disease": largest, "recent_datasets": recent},
    )


def _disease_filter(code: str) -> Q | None:
    """Datasets tagged with the disease or one of its subtypes (an AML filter finds APL cohorts)."""
    area = DiseaseArea.objects.filter(code=code).first()
    if area is None:
        return None
    return Q(
        pk__in=Dataset.disease_areas.through.objects.filter(Q(diseasearea=area) | Q(diseasearea__parent=area)).values(
            "dataset"
        )
    )


def dataset_list(request: HttpRequest) -> HttpResponse:
    datasets: QuerySet[Dataset] = datasets_visible_to(request.user)
    partner_slug = request.GET.get("partner", "")
    country = request.GET.get("country", "")
    disease = request.GET.get("disease", "")
    if partner_slug:
        datasets = datasets.filter(partner__slug=partner_slug)
    if country in COUNTRIES:
        datasets = datasets.filter(partner__country=country)
    if disease:
        condition = _disease_filter(disease)
        datasets = datasets.filter(condition) if condition is not None else datasets.none()
    sort, order_by = sort_from(request, DATASET_SORTS, "title")
    datasets = datasets.order_by(order_by, "pk")
    page = paginate(request, datasets, per_page=DATASETS_PER_PAGE)

    holder_countries = sorted(
        set(Partner.objects.filter(datasets__isnull=False).values_list("country", flat=True)),
        key=lambda code: COUNTRIES.get(code, code),
    )
    context = {
        "page": page,
        "sort": sort,
        "partners": Partner.objects.filter(datasets__isnull=False).distinct().only("slug", "name"),
        "countries": [(code, COUNTRIES.get(code, code)) for code in holder_countries],
        "diseases": DiseaseArea.objects.select_related("parent").order_by("name"),
        "selected": {"partner": partner_slug, "country": country, "disease": disease},
        "filtered": bool(partner_slug or country or disease),
    }
    return render(request, "catalogue/dataset_list.html", context)


def _variables_page(request: HttpRequest, dataset: Dataset) -> tuple[object, str, str]:
    query = request.GET.get("q", "").strip()
    variables = Variable.objects.filter(dataset=dataset)
    if query:
        variables = variables.filter(
            Q(name__icontains=query) | Q(label__icontains=query) | Q(description__icontains=query)
        )
    sort, order_by = sort_from(request, VARIABLE_SORTS, "position")
    variables = variables.order_by(order_by, "name").prefetch_related("concepts")
    return paginate(request, variables, per_page=VARIABLES_PER_PAGE), sort, query


RDF_MEDIA_TYPES = {"text/turtle": "ttl", "application/ld+json": "jsonld", "application/rdf+xml": "rdf"}


def dataset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = dataset_for_user(slug, request.user)
    preferred = request.get_preferred_type(["text/html", *RDF_MEDIA_TYPES])
    if preferred in RDF_MEDIA_TYPES and dataset.is_published:
        # Content negotiation: a DCAT-AP client asking for RDF gets the dataset's record (catalogue.dcat).
        response = dcat_views.dataset(request, slug=slug, fmt=RDF_MEDIA_TYPES[preferred])
        response["Vary"] = "Accept"
        return response
    variables_page, sort, query = _variables_page(request, dataset)
    context = {"dataset": dataset, "variables": variables_page, "sort": sort, "query": query}
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "variables":
        return render(request, "catalogue/_variables_table.html", context)
    consents = (
        Consent.objects.filter(dataset=dataset, withdrawn_at__isnull=True)
        .select_related("permission")
        .prefetch_related("diseases", Prefetch("modifiers", queryset=DataUseModifier.objects.select_related("term")))
    )
    context |= {
        "consents": consents,
        "distributions": dataset.distributions.all(),
        "can_curate": user_curates(request.user, dataset.partner),
        "schema_org": dataset_json_ld_script(dataset) if dataset.is_published else "",
        "citation": cite(dataset, page_url=request.build_absolute_uri(reverse("dataset_detail", args=[dataset.slug]))),
        "dictionary_download": can_download_dictionary(request.user, dataset),
    }
    response = render(request, "catalogue/dataset_detail.html", context)
    response["Vary"] = "Accept"
    return response


def partner_list(request: HttpRequest) -> HttpResponse:
    published = Q(datasets__status="published")
    partners = Partner.objects.annotate(dataset_count=Count("datasets", filter=published)).order_by("name")
    country = request.GET.get("country", "")
    kind = request.GET.get("kind", "")
    if country in COUNTRIES:
        partners = partners.filter(country=country)
    if kind in PartnerKind.values:
        partners = partners.filter(kind=kind)
    countries = sorted(set(Partner.objects.values_list("country", flat=True)), key=lambda c: COUNTRIES.get(c, c))
    context = {
        "page": paginate(request, partners, per_page=60),
        "countries": [(code, COUNTRIES.get(code, code)) for code in countries],
        "kinds": PartnerKind.choices,
        "selected": {"country": country, "kind": kind},
        "filtered": bool(country or kind),
    }
    return render(request, "catalogue/partner_list.html", context)


def partner_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partner = get_object_or_404(Partner, slug=slug)
    datasets = datasets_visible_to(request.user).filter(partner=partner).order_by("title")
    context = {
        "partner": partner,
        "datasets": paginate(request, datasets, per_page=DATASETS_PER_PAGE),
        "can_curate": user_curates(request.user, partner),
        "can_review_sign_ins": policy.can_review_sign_ins(request.user, partner),
    }
    return render(request, "catalogue/partner_detail.html", context)
