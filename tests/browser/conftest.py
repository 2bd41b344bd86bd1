"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium, installed by scripts/browser.sh)
against pytest-django's ``live_server``.

Every test here is marked ``browser`` and uses a transactional database (the live server thread must see
committed data). The flush after each such test empties every table, including the reference data (DUO
terms, disease areas, data types) the migrations load, so ``world`` loads it again first (idempotent).
``serialized_rollback`` is not used: with Playwright's event loop running, the connection holding the
serialized copy is not the one the next test gets, and the copy is silently not restored.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AbstractBaseUser
from playwright.sync_api import Page, expect

from catalogue.figures import refresh_dataset_figures
from catalogue.models import Dataset, DuoTerm, MembershipRole
from catalogue.reference_data import load_reference_data
from catalogue.search.sync import rebuild_index
from catalogue.services.memberships import membership_grant
from governance import services
from governance.models import DacRole, DataAccessCommittee
from tests.catalogue.factories import (
    ConsentFactory,
    DatasetFactory,
    DataUseModifierFactory,
    UserFactory,
    VariableFactory,
)
from tests.conftest import Cast

# Playwright's sync API runs an asyncio event loop in the test thread; Django's ORM would then refuse
# synchronous queries from fixtures and assertions ("SynchronousOnlyOperation").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "harmony-test"  # tests/catalogue/factories.UserFactory


@dataclass
class World:
    cast: Cast
    dac: DataAccessCommittee
    dana_chair: AbstractBaseUser
    mike_member: AbstractBaseUser
    rex_recused: AbstractBaseUser
    sam_secretary: AbstractBaseUser
    aml: Dataset
    myeloma: Dataset


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture
def site(live_server: Any, page: Page) -> Iterator[Site]:
    page.set_default_timeout(15_000)
    yield Site(live_server.url, page)


class Site:
    """The live site as one browser tab sees it, with the few steps every journey repeats."""

    def __init__(self, base_url: str, page: Page) -> None:
        self.base_url = base_url
        self.page = page

    def open(self, path: str = "/") -> Page:
        self.page.goto(self.base_url + path)
        return self.page

    def sign_in(self, username: str) -> None:
        """Signs in through the login form, in whatever interface language the browser has chosen."""
        page = self.open("/accounts/login/")
        page.locator("#main input[name=username]").fill(username)
        page.locator("#main input[name=password]").fill(PASSWORD)
        page.locator("#main button[type=submit]").click()
        expect(page.locator(".account .who")).to_contain_text(username)

    def sign_out(self) -> None:
        self.page.locator(".account form[action$='/logout/'] button").click()
        expect(self.page.locator(".account a[href^='/accounts/login/']")).to_be_visible()

    def choose_language(self, code: str) -> None:
        """Sets the interface language the way a visitor does, with the header's language switch."""
        self.page.locator("#language-switch").select_option(code)
        self.page.locator(".language-switch button").click()
        expect(self.page.locator("html")).to_have_attribute("lang", code)


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    load_reference_data()


@pytest.fixture
def world(reference_data: None, cast: Cast) -> World:
    """A small catalogue: partner A (olga curates it; its DAC: dana chair, mike member, rex member recused from
    partner B's requests, sam secretary) holds two published AML/MM datasets with variables and consents."""
    dana, mike, rex, sam = (UserFactory(username=name) for name in ("dana", "mike", "rex", "sam"))
    membership_grant(user=rex, partner=cast.partner_b, role=MembershipRole.RESEARCHER)
    dac = services.dac_create(name="AHA Data Access Committee", partner=cast.partner_a, decision_rule="majority")
    for user, role in ((dana, DacRole.CHAIR), (mike, DacRole.MEMBER), (rex, DacRole.MEMBER), (sam, DacRole.SECRETARY)):
        services.dac_member_set(dac=dac, user=user, role=role)
    aml = DatasetFactory(
        partner=cast.partner_a,
        title="AHA AML Registry",
        slug="aha-aml",
        diseases=["AML"],
        patient_count=2150,
        description="Adults with newly diagnosed acute myeloid leukaemia treated at AHA, 2012-2022.",
        patient_countries=["DE"],
    )
    myeloma = DatasetFactory(
        partner=cast.partner_a, title="AHA Myeloma Cohort", slug="aha-mm", diseases=["MM"], patient_count=830
    )
    hmb = DuoTerm.objects.get(short_code="HMB")
    consent = ConsentFactory(dataset=aml, form_version="v3", permission=hmb)
    DataUseModifierFactory(consent=consent, term=DuoTerm.objects.get(short_code="NPU"))
    ConsentFactory(dataset=myeloma, form_version="v1", permission=hmb)
    for position, (name, label) in enumerate(
        [("npm1_status", "NPM1 mutation status"), ("flt3_itd", "FLT3-ITD status"), ("eln2022_risk", "ELN 2022 risk")]
        + [(f"lab_value_{n:02d}", f"Laboratory value {n}") for n in range(60)]
    ):
        VariableFactory(dataset=aml, name=name, label=label, position=position, value_type="text")
    VariableFactory(dataset=myeloma, name="iss_stage", label="ISS stage", value_type="text")
    rebuild_index()  # factories write rows directly, not through the services that queue index changes
    refresh_dataset_figures([aml.pk, myeloma.pk])  # nor through those that queue the figures' refresh
    return World(cast, dac, dana, mike, rex, sam, aml, myeloma)
