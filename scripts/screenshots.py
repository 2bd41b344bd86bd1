"""``make screenshots``: every main page at desktop (1280 px) and phone (390 px) width, into screenshots/.

Seeds a throw-away demo database (seed_demo, seed_governance_demo, search_reindex) in a temporary
HARMONY_VAR_DIR, serves it with ``runserver`` on a free port, and drives Debian's Chromium through
Playwright, signed in as the demo user each page is for. Run from the repository root:

    .venv/bin/python scripts/screenshots.py [--only NAME ...]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
PYTHON = sys.executable
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "harmony-demo"


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    user: str | None  # demo username, None for an anonymous visitor
    act: Callable[[Any], None] | None = None  # steps on the opened page before the picture (a Playwright Page)


def upload_demo_dictionary(page: Any) -> None:
    """Check the CSV dictionary template as the dataset's new dictionary: the page then shows its preview."""
    from catalogue.importers.template import dictionary_template

    page.set_input_files(
        "#id_file", files=[{"name": "dictionary.csv", "mimeType": "text/csv", "buffer": dictionary_template("csv")}]
    )
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()


def manage(env: dict[str, str], *args: str) -> None:
    print("$ manage.py", " ".join(args), flush=True)
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The server at {url} did not answer within {timeout} s.")


def shots(env: dict[str, str]) -> list[Shot]:
    """The pages, with ids looked up in the freshly seeded database."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harmony.settings")
    import django

    django.setup()
    from catalogue.models import Dataset
    from governance.models import AccessRequestItem, DataSharingAgreement, DecisionLetter, ItemState

    dataset = Dataset.objects.filter(status="published", partner__slug="ukhd").order_by("-patient_count").first()
    dataset = dataset or Dataset.objects.filter(status="published").first()
    partner = dataset.partner
    reviewed = AccessRequestItem.objects.filter(state=ItemState.UNDER_REVIEW).order_by("id").first()
    released_states = [ItemState.APPROVED, ItemState.AGREEMENT_SIGNED, ItemState.RELEASED]
    approved = AccessRequestItem.objects.filter(state__in=released_states).select_related("dataset__partner")
    holder_item = approved.filter(dataset__partner__slug="ukhd").order_by("id").first()
    approved = holder_item or approved.order_by("id").first()
    own = AccessRequestItem.objects.select_related("request__requester").order_by("id").first()
    other = Dataset.objects.filter(status="published", disease_areas__code="AML").exclude(pk=dataset.pk).first()
    compared = f"datasets={dataset.slug}" + (f"&datasets={other.slug}" if other else "")
    pages = [
        Shot("home", "/", None),
        Shot("datasets", "/datasets/?disease=AML", None),
        Shot("dataset-detail", f"/datasets/{dataset.slug}/", None),
        Shot("partners", "/partners/", None),
        Shot("partner-detail", f"/partners/{partner.slug}/", None),
        Shot("search", "/search/?q=acute+myeloid", None),
        Shot("search-variables", "/search/?q=FLT3&kind=variables", None),
        Shot("search-intended-use", "/search/?q=&use_purpose=DS&use_disease=AML", None),
        Shot("feasibility", "/search/feasibility/?concepts=HGNC%3ANPM1%0AHGNC%3AFLT3&min_patients=100", None),
        Shot("sign-in", "/accounts/login/", None),
        Shot("basket", "/basket/", None),
        Shot("my-datasets", "/curate/", "curator"),
        Shot("register-dataset", "/curate/new/", "curator"),
        Shot("manage-dataset", f"/curate/{dataset.slug}/", "curator"),
        Shot("data-dictionary", f"/curate/{dataset.slug}/dictionary/", "curator"),
        Shot("consent-editor", f"/curate/{dataset.slug}/consents/", "curator"),
        Shot("my-requests", "/requests/", "researcher"),
        Shot("request-form", f"/requests/new/?datasets={dataset.slug}", "researcher"),
        Shot("review-queue", "/review/", "dac-chair"),
        Shot("inbox", "/inbox/", "dac-chair"),
        Shot("dashboard", "/dashboard/", "dac-chair"),
        Shot("holder-requests", "/holder/", "curator"),
        Shot("statistics", "/statistics/", "admin"),
        Shot(
            "feasibility-example",
            "/search/feasibility/?concepts=HGNC%3ANPM1%0AFLT3-ITD%20status%0ALOINC%3A6690-2",
            None,
        ),
        Shot("compare", f"/datasets/compare/?{compared}&use_purpose=HMB&key=HGNC%3ANPM1%0Aflt3_itd%0AISS+stage", None),
        Shot("distributions", f"/curate/{dataset.slug}/distributions/", "curator"),
        Shot("retire-confirmation", f"/curate/{dataset.slug}/retire/", "curator"),
        Shot("dictionary-preview", f"/curate/{dataset.slug}/dictionary/", "curator", upload_demo_dictionary),
    ]
    if own is not None:
        pages.append(Shot("request-detail", f"/requests/{own.request_id}/", own.request.requester.username))
    if reviewed is not None:
        pages.append(Shot("item-review", f"/review/items/{reviewed.pk}/", "dac-chair"))
    if approved is not None:
        pages.append(Shot("release", f"/holder/items/{approved.pk}/", "curator" if holder_item else "admin"))
    # The confirmation steps and the agreement as a document, for the Heidelberg curator.
    ukhd = AccessRequestItem.objects.filter(dataset__partner__slug="ukhd").order_by("id")
    agreement = DataSharingAgreement.objects.filter(holder__slug="ukhd").order_by("id").first()
    if agreement is not None:
        pages.append(Shot("agreement-sign", f"/agreements/{agreement.pk}/sign/?side=holder", "curator"))
    if signed := ukhd.filter(state=ItemState.AGREEMENT_SIGNED).first():
        pages.append(Shot("release-confirm", f"/holder/items/{signed.pk}/release/", "curator"))
    if released := ukhd.filter(state=ItemState.RELEASED).first():
        pages.append(Shot("revoke-confirm", f"/holder/items/{released.pk}/revoke/", "curator"))
    if draft := AccessRequestItem.objects.filter(
        state=ItemState.DRAFT, request__requester__username="researcher"
    ).first():
        pages.append(Shot("submit-confirm", f"/requests/{draft.request_id}/submit/", "researcher"))
        # A draft's page, where the researcher attaches documents (the upload form and its progress bar).
        pages.append(Shot("request-documents", f"/requests/{draft.request_id}/#documents", "researcher"))
    # A committee decision's letter to the requester, as written in the requester's language.
    letter = DecisionLetter.objects.select_related("item__request__requester").order_by("id").first()
    if letter is not None:
        pages.append(Shot("decision-letter", f"/letters/{letter.pk}/", letter.item.request.requester.username))
    return pages


def capture(base_url: str, pages: list[Shot]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        for width_name, (width, height) in WIDTHS.items():
            contexts = {}
            for shot in pages:
                if shot.user not in contexts:
                    context = browser.new_context(viewport={"width": width, "height": height})
                    if shot.user:
                        page = context.new_page()
                        page.goto(f"{base_url}/accounts/login/")
                        page.fill("#id_username", shot.user)
                        page.fill("#id_password", DEMO_PASSWORD)
                        page.click("main button[type=submit]")  # not the header's language switch
                        page.wait_for_load_state()
                        page.close()
                    contexts[shot.user] = context
                page = contexts[shot.user].new_page()
                page.goto(base_url + shot.path)
                if shot.act is not None:
                    shot.act(page)
                page.wait_for_load_state("networkidle")
                target = OUT / f"{shot.name}-{width_name}.png"
                page.screenshot(path=str(target), full_page=True)
                page.close()
                written.append(target)
                print(f"  {target.relative_to(ROOT)}", flush=True)
            for context in contexts.values():
                context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", help="page names to capture (default: all)")
    arguments = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="harmony-screenshots-") as var_dir:
        env = {
            **os.environ,
            "HARMONY_VAR_DIR": var_dir,
            "DEBUG": "1",
            "SEARCH_BACKEND": "database",
            "DATABASE_URL": f"sqlite:///{var_dir}/harmony.sqlite3",
        }
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        manage(env, "seed_governance_demo")
        manage(env, "search_reindex")
        port = free_port()
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_for(base_url + "/")
            pages = shots(env)
            if arguments.only:
                pages = [shot for shot in pages if shot.name in arguments.only]
            written = capture(base_url, pages)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"{len(written)} screenshots in {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
