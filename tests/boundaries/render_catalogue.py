"""Render the catalogue's pages under the settings module given as argv[1] and print one line per page:
``<status> <path> <marker>``; exit 1 if any page is not 200. Run in a subprocess by tests/test_boundaries.py,
because the set of installed apps cannot change inside a running Django process."""

from __future__ import annotations

import os
import sys


def main(settings_module: str) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)

    from catalogue.models import DuoTerm, MembershipRole
    from catalogue.services.memberships import membership_grant
    from tests.catalogue.factories import ConsentFactory, DatasetFactory, PartnerFactory, UserFactory

    partner = PartnerFactory(name="Academic Hospital A", slug="aha")
    dataset = DatasetFactory(partner=partner, title="AHA AML Registry", slug="aha-aml", diseases=["AML"])
    ConsentFactory(dataset=dataset, permission=DuoTerm.objects.get(short_code="HMB"))
    curator = UserFactory(username="olga")
    membership_grant(user=curator, partner=partner, role=MembershipRole.CURATOR)

    visitor, signed_in = Client(), Client()
    signed_in.force_login(curator)
    pages = [
        (visitor, reverse("home")),
        (visitor, reverse("dataset_list")),
        (visitor, reverse("dataset_detail", args=[dataset.slug])),
        (visitor, reverse("partner_list")),
        (visitor, reverse("partner_detail", args=[partner.slug])),
        (visitor, reverse("search:search") + "?q=leukaemia"),
        (signed_in, reverse("dataset_detail", args=[dataset.slug])),
        (signed_in, reverse("my_datasets")),
        (signed_in, reverse("dataset_manage", args=[dataset.slug])),
    ]
    failed = False
    for client, path in pages:
        response = client.get(path)
        html = response.content.decode()
        marker = "request-access" if "Request access" in html else "-"
        print(response.status_code, path, marker)
        failed |= response.status_code != 200
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
