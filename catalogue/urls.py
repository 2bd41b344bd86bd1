"""Catalogue pages. Names are global (no namespace): ``LOGIN_REDIRECT_URL = "home"`` refers to one of them."""

from django.urls import path, re_path

from catalogue.views import consents, curation, dictionary, distributions, exports, members, public, researchers

urlpatterns = [
    path("", public.home, name="home"),
    path("datasets/", public.dataset_list, name="dataset_list"),
    # Before the dataset pages: "compare" is not a dataset's slug.
    path("datasets/compare/", researchers.dataset_compare, name="dataset_compare"),
    path("datasets/<slug:slug>/", public.dataset_detail, name="dataset_detail"),
    re_path(
        r"^datasets/(?P<slug>[-a-zA-Z0-9_]+)/data-dictionary\.(?P<fmt>csv|xlsx)$",
        researchers.dataset_dictionary_download,
        name="dataset_dictionary_download",
    ),
    # The search pages' answers as CSV (the pages themselves are catalogue.search.urls).
    path("search/results.csv", exports.search_export, name="search_export"),
    path("search/feasibility.csv", exports.feasibility_export, name="feasibility_export"),
    path("partners/", public.partner_list, name="partner_list"),
    path("partners/<slug:slug>/", public.partner_detail, name="partner_detail"),
    path("partners/<slug:slug>/members/", members.partner_members, name="partner_members"),
    path("partners/<slug:slug>/members/confirm/", members.partner_member_confirm, name="partner_member_confirm"),
    path("curate/", curation.my_datasets, name="my_datasets"),
    path("curate/new/", curation.dataset_create_view, name="dataset_create"),
    path("curate/<slug:slug>/", curation.dataset_manage, name="dataset_manage"),
    path("curate/<slug:slug>/edit/", curation.dataset_edit, name="dataset_edit"),
    path("curate/<slug:slug>/publish/", curation.dataset_publish_view, name="dataset_publish"),
    path("curate/<slug:slug>/retire/", curation.dataset_retire_view, name="dataset_retire"),
    re_path(
        r"^curate/dictionary-template\.(?P<fmt>csv|xlsx)$",
        dictionary.dictionary_template_download,
        name="dictionary_template",
    ),
    path("curate/<slug:slug>/dictionary/", dictionary.dataset_dictionary, name="dataset_dictionary"),
    path("curate/<slug:slug>/consents/", consents.dataset_consents, name="dataset_consents"),
    path("curate/<slug:slug>/distributions/", distributions.dataset_distributions, name="dataset_distributions"),
    path(
        "curate/<slug:slug>/distributions/<int:distribution_id>/",
        distributions.dataset_distribution_edit,
        name="dataset_distribution_edit",
    ),
    path(
        "curate/<slug:slug>/distributions/<int:distribution_id>/delete/",
        distributions.dataset_distribution_delete,
        name="dataset_distribution_delete",
    ),
    path(
        "curate/<slug:slug>/consents/<int:consent_id>/delete/",
        consents.dataset_consent_delete,
        name="dataset_consent_delete",
    ),
]
