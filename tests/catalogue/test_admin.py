"""Django admin: partners and memberships managed by administrators, with guardian permissions kept in sync."""

import pytest
from django.test import Client

from catalogue.models import Membership, MembershipRole
from catalogue.search.models import SearchChange
from catalogue.services.memberships import MANAGE_DATASETS
from tests.catalogue.factories import DatasetFactory, UserFactory


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["rita_researcher", "olga_owner_curator", "carl_other_curator"])
def test_only_administrators_enter_the_admin(cast, role):
    assert admin_client(getattr(cast, role)).get("/admin/catalogue/partner/").status_code == 302
    assert Client().get("/admin/catalogue/membership/").status_code == 302


@pytest.mark.django_db
def test_admin_pages_render(cast):
    DatasetFactory(partner=cast.partner_a)
    client = admin_client(cast.ada_admin)
    for url in (
        "/admin/catalogue/partner/",
        f"/admin/catalogue/partner/{cast.partner_a.pk}/change/",
        "/admin/catalogue/membership/",
        "/admin/catalogue/membership/add/",
        "/admin/catalogue/dataset/",
        "/admin/catalogue/duoterm/",
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_adding_and_deleting_a_curator_membership_syncs_the_object_permission(cast):
    dora = UserFactory(username="dora")
    client = admin_client(cast.ada_admin)
    response = client.post(
        "/admin/catalogue/membership/add/",
        {"user": dora.pk, "partner": cast.partner_a.pk, "role": MembershipRole.CURATOR},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=dora)
    assert fresh(dora).has_perm(MANAGE_DATASETS, cast.partner_a)
    response = client.post(f"/admin/catalogue/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(user=dora).exists()
    assert not fresh(dora).has_perm(MANAGE_DATASETS, cast.partner_a)


@pytest.mark.django_db
def test_bulk_delete_of_memberships_revokes_permissions(cast):
    olga_membership = Membership.objects.get(user=cast.olga_owner_curator)
    response = admin_client(cast.ada_admin).post(
        "/admin/catalogue/membership/",
        {"action": "delete_selected", "_selected_action": [olga_membership.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not fresh(cast.olga_owner_curator).has_perm(MANAGE_DATASETS, cast.partner_a)


@pytest.mark.django_db
def test_dataset_edit_in_admin_is_queued_for_search(cast):
    dataset = DatasetFactory(partner=cast.partner_a, title="Old")
    response = admin_client(cast.ada_admin).post(
        f"/admin/catalogue/dataset/{dataset.pk}/change/",
        {
            "partner": cast.partner_a.pk,
            "title": "New title",
            "slug": dataset.slug,
            "description": "",
            "patient_countries": "[]",
            "data_model": "custom",
            "keywords": "[]",
            "version": "1.0",
            "consents-TOTAL_FORMS": "0",
            "consents-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    dataset.refresh_from_db()
    assert dataset.title == "New title"
    assert SearchChange.objects.filter(dataset_id=dataset.pk).exists()
