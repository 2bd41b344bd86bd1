"""/api/v1/partners/ (read-only for everyone; writes only in the admin) and /api/v1/me/."""

import pytest

from catalogue.models import MembershipRole
from catalogue.services.memberships import membership_grant
from tests.catalogue.api_helpers import by_role, client_for
from tests.catalogue.factories import DatasetFactory, DraftDatasetFactory, PartnerFactory


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(200, 200, 200, 200, 200))
def test_list_and_filter_partners(cast, role, expected):
    PartnerFactory(name="Novartis", short_name="NVS", slug="novartis", country="CH", kind="pharma")
    DatasetFactory(partner=cast.partner_a)
    DraftDatasetFactory(partner=cast.partner_a)
    client = client_for(cast, role)
    response = client.get("/api/v1/partners/")
    assert response.status_code == expected
    rows = {row["slug"]: row for row in response.json()["results"]}
    assert sorted(rows) == ["aha", "novartis", "unb"]
    assert rows["aha"]["published_dataset_count"] == 1  # the draft is not counted
    assert rows["novartis"]["country_name"] == "Switzerland"
    assert [r["slug"] for r in client.get("/api/v1/partners/?country=ES").json()["results"]] == ["unb"]
    assert [r["slug"] for r in client.get("/api/v1/partners/?kind=pharma").json()["results"]] == ["novartis"]
    assert client.get("/api/v1/partners/?kind=bank").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(200, 200, 200, 200, 200))
def test_partner_detail(cast, role, expected):
    response = client_for(cast, role).get("/api/v1/partners/aha/")
    assert response.status_code == expected
    assert response.json()["kind_label"] == "University or hospital"
    assert client_for(cast, role).get("/api/v1/partners/nope/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(403, 405, 405, 405, 405))
def test_partners_are_not_written_through_the_api(cast, role, expected):
    client = client_for(cast, role)
    assert client.post("/api/v1/partners/", {"name": "X"}, format="json").status_code == expected
    assert client.delete("/api/v1/partners/aha/").status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", by_role(403, 200, 200, 200, 200))
def test_me(cast, role, expected):
    response = client_for(cast, role).get("/api/v1/me/")
    assert response.status_code == expected


@pytest.mark.django_db
def test_me_lists_memberships_and_curated_partners(cast):
    membership_grant(user=cast.olga_owner_curator, partner=cast.partner_b, role=MembershipRole.DAC_MEMBER)
    body = client_for(cast, "olga_owner_curator").get("/api/v1/me/").json()
    assert body["username"] == "olga"
    assert [(m["partner"]["slug"], m["role"]) for m in body["memberships"]] == [
        ("aha", "curator"),
        ("unb", "dac_member"),
    ]
    assert body["curated_partners"] == ["aha"]
    assert client_for(cast, "ada_admin").get("/api/v1/me/").json()["curated_partners"] == ["aha", "unb"]
    assert client_for(cast, "rita_researcher").get("/api/v1/me/").json()["curated_partners"] == []
