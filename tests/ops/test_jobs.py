"""Background jobs: a large dictionary import answers 202 (API) or shows live progress (page), runs in a
REAL worker (django-tasks' database worker, ``manage.py db_worker``), and a failed or cancelled job writes
nothing. Jobs are visible to their owner and administrators only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings

from catalogue.models import Variable
from catalogue.reference_data import load_vocabularies
from harmony.jobs.models import Job
from harmony.outbox.models import OutboxMessage
from tests.catalogue.factories import DatasetFactory, VariableFactory
from tests.conftest import api_as

HEADER = "name,label,value_type,unit,categories,completeness,concepts\n"
ROWS = 60


def dictionary(rows: int = ROWS, *, bad_rows: tuple[int, ...] = ()) -> bytes:
    lines = [HEADER]
    for number in range(rows):
        value_type = "sometimes" if number in bad_rows else "integer"
        lines.append(f"var_{number:03},Variable {number},{value_type},,,90,HGNC:NPM1\n")
    return "".join(lines).encode()


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("dictionary.csv", content, content_type="text/csv")


def run_worker() -> None:
    """The real worker of the django-tasks database backend, in this process, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)


@pytest.fixture(autouse=True)
def _jobs_settings(tmp_path: Path, settings) -> Iterator[None]:
    settings.DICTIONARY_IMPORT_JOB_MIN_BYTES = 1000  # the test files (about 2 kB) run as jobs
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    yield


@pytest.fixture
def dataset(transactional_db, cast):
    load_vocabularies()  # a transactional test's flush empties the table the migration filled
    dataset = DatasetFactory(partner=cast.partner_a, slug="aml-a")
    VariableFactory(dataset=dataset, name="old_variable")
    return dataset


def stored_uploads(tmp_path: Path) -> list[Path]:
    return [path for path in tmp_path.rglob("*") if path.is_file()]


def names(dataset) -> list[str]:
    return sorted(Variable.objects.filter(dataset=dataset).values_list("name", flat=True))


def test_api_import_answers_202_and_the_worker_imports_it(cast, dataset, tmp_path):
    olga = api_as(cast.olga_owner_curator)
    response = olga.post("/api/v1/datasets/aml-a/variables/import/", {"file": upload(dictionary())}, format="multipart")
    assert response.status_code == 202, response.content
    body = response.json()
    job_url = f"/api/v1/jobs/{body['id']}/"
    assert body["status"] == "queued" and body["url"] == f"http://testserver{job_url}"
    assert response["Location"] == job_url
    assert names(dataset) == ["old_variable"]  # nothing happens in the request

    queued = olga.get(job_url).json()
    assert (queued["status"], queued["rows_validated"], queued["rows_written"]) == ("queued", 0, 0)

    run_worker()

    done = olga.get(job_url).json()
    assert done["status"] == "succeeded", done
    assert (done["rows_total"], done["rows_validated"], done["rows_written"]) == (ROWS, ROWS, ROWS)
    assert done["report"]["created"] == ROWS and done["report"]["removed"] == 1
    assert done["report"]["errors"] == []
    assert done["report"]["summary"] == f"Created {ROWS}, updated 0, unchanged 0, removed 1."
    assert len(names(dataset)) == ROWS
    # queued for the search index in the import's transaction (and applied after its commit)
    assert OutboxMessage.objects.filter(kind="search.sync", payload__dataset_id=dataset.pk).exists()
    assert stored_uploads(tmp_path) == []  # the upload is deleted once imported


def test_a_job_is_visible_to_its_owner_and_administrators_only(cast, dataset):
    response = api_as(cast.olga_owner_curator).post(
        "/api/v1/datasets/aml-a/variables/import/", {"file": upload(dictionary())}, format="multipart"
    )
    job_url = f"/api/v1/jobs/{response.json()['id']}/"
    assert api_as(cast.olga_owner_curator).get(job_url).status_code == 200
    assert api_as(cast.ada_admin).get(job_url).status_code == 200
    assert api_as(cast.carl_other_curator).get(job_url).status_code == 404
    assert api_as(cast.rita_researcher).get(job_url).status_code == 404
    assert api_as(None).get(job_url).status_code in (401, 403)
    assert api_as(cast.olga_owner_curator).get("/api/v1/jobs/not-a-uuid/").status_code == 404

    page = Client()
    page.force_login(cast.carl_other_curator)
    job_id = response.json()["id"]
    assert page.get(f"/jobs/{job_id}/").status_code == 404
    assert page.get(f"/jobs/{job_id}/progress/").status_code == 404
    assert page.post(f"/jobs/{job_id}/cancel/").status_code == 404


def test_a_file_with_errors_fails_the_job_with_the_row_errors_and_writes_nothing(cast, dataset, tmp_path):
    response = api_as(cast.olga_owner_curator).post(
        "/api/v1/datasets/aml-a/variables/import/",
        {"file": upload(dictionary(bad_rows=(3, 40)))},
        format="multipart",
    )
    run_worker()
    job = Job.objects.get(pk=response.json()["id"])
    assert job.status == "failed"
    assert job.error == "Nothing was imported: 2 error(s) in the file."
    errors = [(error["row"], error["column"]) for error in job.report["errors"]]
    assert errors == [(5, "value_type"), (42, "value_type")]
    assert job.rows_written == 0
    assert names(dataset) == ["old_variable"]
    assert stored_uploads(tmp_path) == []


def test_a_job_reports_in_the_language_it_was_started_in(cast, dataset):
    """The worker knows no request: the report (summary, row errors, the failure) is written in the language of
    the request that started the job."""
    client = api_as(cast.olga_owner_curator)
    response = client.post(
        "/api/v1/datasets/aml-a/variables/import/",
        {"file": upload(dictionary(bad_rows=(3,)))},
        format="multipart",
        headers={"accept-language": "de"},
    )
    run_worker()
    job = Job.objects.get(pk=response.json()["id"])
    assert job.status == "failed"
    assert job.error == "Nichts wurde importiert: 1 Fehler in der Datei."
    assert job.report["errors"][0]["message"].startswith("Unbekannter Datentyp 'sometimes'; verwenden Sie einen von")
    assert job.report["next_label"] == "Zurück zum Datensatz"


def test_a_job_cancelled_while_queued_never_runs(cast, dataset, tmp_path):
    response = api_as(cast.olga_owner_curator).post(
        "/api/v1/datasets/aml-a/variables/import/", {"file": upload(dictionary())}, format="multipart"
    )
    page = Client()
    page.force_login(cast.olga_owner_curator)
    page.post(f"/jobs/{response.json()['id']}/cancel/")
    run_worker()
    job = Job.objects.get(pk=response.json()["id"])
    assert (job.status, job.started_at) == ("cancelled", None)
    assert names(dataset) == ["old_variable"]
    assert stored_uploads(tmp_path) == []


def test_a_cancel_request_stops_a_running_job_at_its_next_phase_and_writes_nothing(cast, dataset):
    response = api_as(cast.olga_owner_curator).post(
        "/api/v1/datasets/aml-a/variables/import/", {"file": upload(dictionary())}, format="multipart"
    )
    # What job_cancel records for a job the worker has already claimed: the flag, not the status.
    Job.objects.filter(pk=response.json()["id"]).update(cancel_requested=True)
    run_worker()
    job = Job.objects.get(pk=response.json()["id"])
    assert job.status == "cancelled" and job.started_at is not None
    assert job.error == "Cancelled at the owner's request."
    assert names(dataset) == ["old_variable"]


def test_the_dictionary_page_shows_progress_that_polls_until_the_report(cast, dataset):
    page = Client()
    page.force_login(cast.olga_owner_curator)
    page.post("/curate/aml-a/dictionary/", {"file": upload(dictionary())})  # the preview comes first
    token = page.session["dictionary_previews"][str(dataset.pk)]["token"]
    response = page.post("/curate/aml-a/dictionary/", {"apply": token})
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == f"/curate/aml-a/dictionary/?job={job.pk}"

    shown = page.get(response["Location"]).content.decode()
    assert f'hx-get="/jobs/{job.pk}/progress/"' in shown and 'hx-trigger="every 1s"' in shown
    assert "Queued" in shown
    assert "Cancel (nothing is written)" in shown

    run_worker()

    fragment = page.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "hx-trigger" not in fragment  # finished: polling stops
    assert f"Created {ROWS}, updated 0, unchanged 0, removed 1." in fragment
    assert 'href="/curate/aml-a/"' in fragment

    carl = Client()
    carl.force_login(cast.carl_other_curator)
    # Another user's job id in the address shows nothing of it (carl does not curate this dataset either).
    assert "job-progress" not in carl.get(f"/curate/aml-a/dictionary/?job={job.pk}").content.decode()


def test_the_page_shows_the_row_errors_of_a_failed_job(cast, dataset):
    page = Client()
    page.force_login(cast.olga_owner_curator)
    # Pages preview a file before importing it (its row errors show there); the API queues it straight away.
    api_as(cast.olga_owner_curator).post(
        "/api/v1/datasets/aml-a/variables/import/", {"file": upload(dictionary(bad_rows=(7,)))}, format="multipart"
    )
    run_worker()
    fragment = page.get(f"/jobs/{Job.objects.get().pk}/progress/").content.decode()
    assert "Nothing was imported: 1 error(s) in the file." in fragment
    assert re.search(r'<td data-label="Row" class="num">9</td>', fragment)


def test_small_files_are_still_imported_in_the_request(cast, dataset, settings):
    settings.DICTIONARY_IMPORT_JOB_MIN_BYTES = 1_000_000
    response = api_as(cast.olga_owner_curator).post(
        "/api/v1/datasets/aml-a/variables/import/", {"file": upload(dictionary())}, format="multipart"
    )
    assert response.status_code == 200 and response.json()["created"] == ROWS
    assert not Job.objects.exists()


def test_a_curator_of_another_partner_cannot_start_an_import_job(cast, dataset):
    response = api_as(cast.carl_other_curator).post(
        "/api/v1/datasets/aml-a/variables/import/", {"file": upload(dictionary())}, format="multipart"
    )
    assert response.status_code in (403, 404)
    assert not Job.objects.exists()


@override_settings(SEARCH_BACKEND="database")
def test_administrators_start_a_reindex_from_the_admin(cast, dataset):
    admin = Client()
    admin.force_login(cast.ada_admin)
    listing = admin.get("/admin/jobs/job/").content.decode()
    assert "Rebuild the search index" in listing
    response = admin.post("/admin/jobs/job/start/search.reindex/")
    job = Job.objects.get(kind="search.reindex")
    assert response["Location"] == f"/jobs/{job.pk}/"
    run_worker()
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.report["summary"].startswith("Indexed 1 datasets and 1 variables")

    staff = Client()
    staff.force_login(cast.olga_owner_curator)
    assert staff.post("/admin/jobs/job/start/search.reindex/").status_code == 302  # to the admin login
    assert Job.objects.count() == 1
