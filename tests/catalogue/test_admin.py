"""Django admin: partners and memberships managed by administrators, with guardian permissions kept in sync."""

import pytest
from django.test import Client

from audit.models import AuditEvent
from catalogue.models import Membership, MembershipRole
from catalogue.search.models import SearchChange
from catalogue.services.memberships import MANAGE_DATASETS
from tests.catalogue.factories import ConsentFactory, DatasetFactory, UserFactory


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


def _change_form(client: Client, url: str) -> dict:
    """The change form's current values, as the browser would post them back."""
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    return {name: ("" if value is None else value) for name, value in data.items()}


@pytest.mark.django_db
def test_moving_a_dataset_to_another_partner_in_the_admin_goes_through_the_audited_service(cast):
    dataset = DatasetFactory(partner=cast.partner_a, title="Old")
    url = f"/admin/catalogue/dataset/{dataset.pk}/change/"
    client = admin_client(cast.ada_admin)
    data = {**_change_form(client, url), "partner": cast.partner_b.pk}
    data.update({"consents-TOTAL_FORMS": "0", "consents-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    dataset.refresh_from_db()
    assert dataset.partner == cast.partner_b
    event = AuditEvent.objects.get(action="dataset.transfer")
    assert (event.actor_username, event.before, event.after) == (
        "ada",
        {"partner": cast.partner_a.pk},
        {"partner": cast.partner_b.pk},
    )
    assert SearchChange.objects.filter(dataset_id=dataset.pk).exists()


@pytest.mark.django_db
def test_a_datasets_other_fields_and_its_consents_are_read_only_in_the_admin(cast):
    dataset = DatasetFactory(partner=cast.partner_a, title="Old")
    consent = ConsentFactory(dataset=dataset)
    client = admin_client(cast.ada_admin)
    form = client.get(f"/admin/catalogue/dataset/{dataset.pk}/change/").context["adminform"].form
    assert list(form.fields) == ["partner"]
    assert client.get(f"/admin/catalogue/consent/{consent.pk}/delete/").status_code == 403
    assert client.post(f"/admin/catalogue/consent/{consent.pk}/change/", {"form_version": "x"}).status_code == 403
    assert client.get(f"/admin/catalogue/dataset/{dataset.pk}/delete/").status_code == 403
    assert client.get("/admin/catalogue/dataset/add/").status_code == 403


@pytest.mark.django_db
def test_partner_changes_in_the_admin_are_audited(cast):
    url = f"/admin/catalogue/partner/{cast.partner_a.pk}/change/"
    client = admin_client(cast.ada_admin)
    data = {**_change_form(client, url), "kind": "pharma"}
    data.update({"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    event = AuditEvent.objects.get(action="partner.update")
    assert event.after == {"kind": "pharma"} and event.actor_username == "ada"


@pytest.mark.django_db
def test_membership_changes_in_the_admin_are_audited_with_the_administrator(cast):
    dora = UserFactory(username="dora")
    admin_client(cast.ada_admin).post(
        "/admin/catalogue/membership/add/",
        {"user": dora.pk, "partner": cast.partner_a.pk, "role": MembershipRole.CURATOR},
    )
    event = AuditEvent.objects.get(action="membership.grant", after__username="dora")
    assert event.actor_username == "ada"
