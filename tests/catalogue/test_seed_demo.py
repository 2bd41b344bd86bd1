"""seed_demo: deterministic, idempotent, consistent with the catalogue's rules."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from catalogue.demo.partners import DEMO_PARTNERS
from catalogue.demo.seed import seed_catalogue
from catalogue.models import Consent, Dataset, DatasetStatus, Partner, Variable
from catalogue.selectors import datasets_visible_to
from catalogue.services.memberships import MANAGE_DATASETS


def test_the_partner_list_is_53_partners_in_11_countries():
    assert len(DEMO_PARTNERS) == 53
    assert len({p.country for p in DEMO_PARTNERS}) == 11
    assert len({p.slug for p in DEMO_PARTNERS}) == len({p.short_name for p in DEMO_PARTNERS}) == 53
    assert {p.kind for p in DEMO_PARTNERS} == {"academic", "pharma", "patient_org", "regulator", "sme", "other"}


@pytest.mark.django_db
def test_seed_demo_creates_a_consistent_catalogue_and_is_idempotent(private_storage):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    # 120 generated datasets and the 7 partners' own dictionaries
    assert out.getvalue().startswith("Seeded 53 partners, 8 users, 127 datasets")
    assert Partner.objects.count() == 53
    counts = (Dataset.objects.count(), Variable.objects.count(), Consent.objects.count())
    assert 9_000 <= counts[1] <= 12_000
    assert not Dataset.objects.filter(status=DatasetStatus.PUBLISHED, consents__isnull=True).exists()
    assert not Consent.objects.filter(permission__short_code="DS", diseases__isnull=True).exists()
    assert not Consent.objects.exclude(permission__short_code="DS").filter(diseases__isnull=False).exists()
    assert Variable.objects.filter(name="flt3_itd", concepts__code="FLT3").exists()
    assert Variable.objects.filter(unit="g/dL", concepts__code="718-7").exists()
    ulm = Dataset.objects.get(slug="amlsg-register-ulm")
    assert ulm.status == DatasetStatus.PUBLISHED and ulm.consents.exists()
    assert ulm.title_translations["de"].startswith("AMLSG-Register")
    assert ulm.variables.get(name="flt3_itd_status").label == "FLT3-ITD Status"
    assert ulm.variables.get(name="eln2022").categories == {"1": "günstig", "2": "intermediär", "3": "ungünstig"}
    assert Variable.objects.get(dataset__slug="registro-llc-salamanca", name="ighv").label_translations == {
        "es": "estado mutacional IGHV"
    }

    users = get_user_model().objects
    curator = users.get(username="curator")
    ukhd = Partner.objects.get(slug="ukhd")
    assert curator.has_perm(MANAGE_DATASETS, ukhd)
    assert users.get(username="admin").is_superuser
    assert users.get(username="researcher").check_password("harmony-demo")
    statuses = set(
        datasets_visible_to(curator, include_retired=True).filter(partner=ukhd).values_list("status", flat=True)
    )
    assert statuses == {"draft", "published", "retired"}

    again = io.StringIO()
    call_command("seed_demo", stdout=again)
    assert "nothing seeded" in again.getvalue()
    assert (Dataset.objects.count(), Variable.objects.count(), Consent.objects.count()) == counts

    titles = sorted(Dataset.objects.values_list("title", flat=True))
    seed_catalogue(scale=1, stdout=io.StringIO(), reset=True)
    assert sorted(Dataset.objects.values_list("title", flat=True)) == titles  # deterministic
    assert (Dataset.objects.count(), Variable.objects.count(), Consent.objects.count()) == counts


@pytest.mark.django_db
def test_scale_multiplies_datasets(private_storage):
    report = seed_catalogue(scale=2, stdout=io.StringIO())
    assert report.datasets >= 230
    assert Dataset.objects.values("slug").distinct().count() == report.datasets


def test_print_logins_lists_every_demo_user():
    out = io.StringIO()
    call_command("seed_demo", "--print-logins", stdout=out)
    text = out.getvalue()
    for username in ("admin", "curator", "researcher", "dac-chair", "dac-member"):
        assert f"\n{username} " in text or text.startswith(f"{username} ")
    assert "(password for all: harmony-demo)" in text
