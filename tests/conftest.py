"""Shared fixtures: the named users of every role, and guards for the service markers.

The cast (STYLE.md): an anonymous visitor, ``rita`` the researcher (at Partner B),
``olga`` the curator of the owning partner (Partner A), ``carl`` the curator of
another partner (Partner B), and ``ada`` the alliance administrator. Governance
adds DAC members in tests/governance/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.utils import translation
from rest_framework.test import APIClient

from catalogue.models import MembershipRole, Partner
from catalogue.services.memberships import membership_grant
from tests.catalogue.factories import PartnerFactory, UserFactory


@pytest.fixture(scope="session", autouse=True)
def _fast_test_settings() -> Iterator[None]:
    """Every test user's password is hashed with MD5 (PBKDF2 would dominate the run time of a suite that creates
    hundreds of users), every e-mail goes to ``django.core.mail.outbox``, and the API is not rate-limited (a suite
    makes thousands of requests a minute from one address; tests/security/test_throttling.py sets real rates).
    Session-wide, so the live server of the browser tests uses them too."""
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        API_THROTTLE_RATES={"anon": None, "user": None, "write": None},
    ):
        yield


@pytest.fixture(autouse=True)
def _site_language() -> Iterator[None]:
    """Each test starts in the site's language: a request in another language leaves that language active in the
    thread (LocaleMiddleware activates, nothing deactivates), and messages built outside a request would follow it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Throttle counters live in the cache: no test inherits another's."""
    yield
    cache.clear()


@dataclass
class Cast:
    partner_a: Partner
    partner_b: Partner
    rita_researcher: AbstractBaseUser
    olga_owner_curator: AbstractBaseUser
    carl_other_curator: AbstractBaseUser
    ada_admin: AbstractBaseUser


@pytest.fixture
def cast(db) -> Cast:
    partner_a = PartnerFactory(name="Academic Hospital A", short_name="AHA", slug="aha", country="DE")
    partner_b = PartnerFactory(name="University B", short_name="UNB", slug="unb", country="ES")
    rita = UserFactory(username="rita")
    olga = UserFactory(username="olga")
    carl = UserFactory(username="carl")
    ada = UserFactory(username="ada", is_staff=True, is_superuser=True)
    membership_grant(user=rita, partner=partner_b, role=MembershipRole.RESEARCHER)
    membership_grant(user=olga, partner=partner_a, role=MembershipRole.CURATOR)
    membership_grant(user=carl, partner=partner_b, role=MembershipRole.CURATOR)
    return Cast(partner_a, partner_b, rita, olga, carl, ada)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def api_as(user: AbstractBaseUser | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture(autouse=True)
def _private_audit_anchor_log(settings, tmp_path) -> None:
    """Each test anchors the audit trail in its own file, never in the developer's var/audit-anchors.log."""
    settings.AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.log"


@pytest.fixture(autouse=True)
def _require_postgres_for_marker(request: pytest.FixtureRequest) -> None:
    """A ``postgres`` test run on another database fails instead of passing vacuously."""
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL: run it with DATABASE_URL=postgres://… (make test-postgres).")


@pytest.fixture
def partner_a_committee(cast: Cast) -> None:
    """A data access committee (one chair) for Partner A, so its datasets can be published: publication asks
    governance (catalogue.extensions) that a committee able to reach its rule governs the dataset."""
    from governance import services

    dac = services.dac_create(name="AHA Data Access Committee", partner=cast.partner_a)
    services.dac_member_set(dac=dac, user=UserFactory(username="aha_dac_chair"), role="chair")


def _is_transactional(item: pytest.Item) -> bool:
    """As pytest-django decides it: a ``django_db(transaction=True)`` mark, or the transactional fixtures."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", [])
    return bool(
        (marker and marker.kwargs.get("transaction")) or "transactional_db" in fixtures or "live_server" in fixtures
    )


def _restores_serialized_data(item: pytest.Item) -> bool:
    """A ``serialized_rollback`` test loads the database's initial rows itself (with their primary keys), so
    nothing may be reloaded before it."""
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("serialized_rollback"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """A transactional test ends by flushing every table, which also empties what the migrations filled: the
    shipped reference data (DUO terms, disease areas, data types, vocabularies) and the permissions. Whatever
    test runs next — pytest-django does not always run transactional tests last — gets them back here."""
    yield
    # After the last test the session's fixtures, the test database among them, are gone already.
    if nextitem is None or not _is_transactional(item):
        return
    from django.core.management import call_command
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    from catalogue.reference_data import load_reference_data

    connection = connections["default"]
    serialized = getattr(connection, "_test_serialized_contents", None)
    next_restores_itself = _restores_serialized_data(nextitem)
    with item.config.stash[blocking_manager_key].unblock():
        if serialized:
            # The test's flush re-created content types and permissions under new keys, which would collide with
            # the fresh database's rows (a serialized_rollback test loads them with their keys, without emptying
            # the tables first): empty the tables again, without that signal, and load the fresh rows here
            # unless the next test does.
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0, database="default")
            if not next_restores_itself:
                connection.creation.deserialize_db_from_string(serialized)
        elif not next_restores_itself:
            emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
            load_reference_data()


@pytest.fixture
def private_storage(settings, tmp_path):
    """Uploaded files (dictionaries, distributions, request documents) go to the test's own folder, never to the
    project's var/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
        "request_documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "request-documents")},
        },
    }
