"""Visibility rules of catalogue.selectors, per role."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from catalogue.models import DatasetStatus
from catalogue.selectors import catalogue_statistics, dataset_for_user, datasets_visible_to, partners_curated_by
from tests.catalogue.factories import DatasetFactory, DraftDatasetFactory, PartnerFactory, VariableFactory


@pytest.fixture
def holdings(cast):
    published = DatasetFactory(partner=cast.partner_a, slug="pub-a", diseases=["AML"])
    draft = DraftDatasetFactory(partner=cast.partner_a, slug="draft-a")
    retired = DatasetFactory(partner=cast.partner_a, slug="retired-a", status=DatasetStatus.RETIRED)
    draft_b = DraftDatasetFactory(partner=cast.partner_b, slug="draft-b")
    return published, draft, retired, draft_b


def slugs(queryset):
    return sorted(dataset.slug for dataset in queryset)


@pytest.mark.django_db
def test_anonymous_and_researcher_see_published_only(cast, holdings):
    assert slugs(datasets_visible_to(AnonymousUser())) == ["pub-a"]
    assert slugs(datasets_visible_to(None, include_retired=True)) == ["pub-a"]
    assert slugs(datasets_visible_to(cast.rita_researcher, include_retired=True)) == ["pub-a"]


@pytest.mark.django_db
def test_curators_see_their_own_partners_drafts_and_retired(cast, holdings):
    assert slugs(datasets_visible_to(cast.olga_owner_curator)) == ["draft-a", "pub-a"]
    assert slugs(datasets_visible_to(cast.olga_owner_curator, include_retired=True)) == [
        "draft-a",
        "pub-a",
        "retired-a",
    ]
    assert slugs(datasets_visible_to(cast.carl_other_curator, include_retired=True)) == ["draft-b", "pub-a"]


@pytest.mark.django_db
def test_superuser_sees_everything(cast, holdings):
    assert slugs(datasets_visible_to(cast.ada_admin)) == ["draft-a", "draft-b", "pub-a"]
    assert len(datasets_visible_to(cast.ada_admin, include_retired=True)) == 4


@pytest.mark.django_db
def test_dataset_for_user_hides_what_the_user_may_not_see(cast, holdings):
    assert dataset_for_user("draft-a", cast.olga_owner_curator).slug == "draft-a"
    assert dataset_for_user("retired-a", cast.olga_owner_curator).slug == "retired-a"
    for user in (None, cast.rita_researcher, cast.carl_other_curator):
        with pytest.raises(Http404):
            dataset_for_user("draft-a", user)
        with pytest.raises(Http404):
            dataset_for_user("retired-a", user)
    with pytest.raises(Http404):
        dataset_for_user("no-such-dataset", cast.ada_admin)


@pytest.mark.django_db
def test_partners_curated_by(cast):
    assert list(partners_curated_by(cast.olga_owner_curator)) == [cast.partner_a]
    assert list(partners_curated_by(cast.rita_researcher)) == []
    assert list(partners_curated_by(AnonymousUser())) == []
    assert set(partners_curated_by(cast.ada_admin)) == {cast.partner_a, cast.partner_b}


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_datasets(cast, django_assert_max_num_queries):
    for n in range(15):
        dataset = DatasetFactory(partner=cast.partner_a if n % 2 else cast.partner_b, diseases=["AML", "MDS"])
        VariableFactory(dataset=dataset)
    with django_assert_max_num_queries(4):
        rows = [
            (d.partner.name, [a.code for a in d.disease_areas.all()], d.variable_count)
            for d in datasets_visible_to(cast.olga_owner_curator)
        ]
    assert len(rows) == 15
    assert all(count == 1 for *_, count in rows)


@pytest.mark.django_db
def test_catalogue_statistics_count_published_holdings(cast):
    DatasetFactory(partner=cast.partner_a, patient_count=100, diseases=["AML"])
    DatasetFactory(partner=cast.partner_b, patient_count=50, diseases=["APL", "MDS"])  # APL rolls up to AML
    DraftDatasetFactory(partner=PartnerFactory(country="FR"), patient_count=999, diseases=["AML"])
    stats = catalogue_statistics()
    assert (stats.datasets, stats.patients, stats.partners, stats.countries) == (2, 150, 2, 2)
    by_code = {row.code: row for row in stats.by_disease}
    assert (by_code["AML"].datasets, by_code["AML"].patients) == (2, 150)
    assert by_code["MDS"].datasets == 1
    assert by_code["CLL"].datasets == 0
