"""Locust users of the load test (``make bench-load``); the plan comes from ``prepare.py`` (LOAD_PLAN).

Four kinds of people, each request named by its endpoint kind so the report has one row per kind:
visitors (search page, dataset pages), API readers (dataset list, variable search), researchers drafting
requests through the API, and committee members voting on the items reserved for them. A request
counts as failed on any status but the one expected.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115 - read once at import
_voter_numbers = itertools.count()
_lock = threading.Lock()


class Visitor(HttpUser):
    """An anonymous visitor browsing the public pages."""

    weight = 5
    wait_time = between(1, 4)

    @task(3)
    def search_page(self) -> None:
        self.client.get("/search/", params={"q": random.choice(PLAN["words"])}, name="page: search")

    @task(2)
    def dataset_page(self) -> None:
        self.client.get(f"/datasets/{random.choice(PLAN['slugs'])}/", name="page: dataset")


class ApiReader(HttpUser):
    """A script reading the API with a researcher's token."""

    weight = 3
    wait_time = between(1, 4)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {random.choice(PLAN['researchers'])}"

    @task(2)
    def dataset_list(self) -> None:
        self.client.get("/api/v1/datasets/", params={"page": random.randint(1, 5)}, name="api: dataset list")

    @task(3)
    def variable_search(self) -> None:
        self.client.get(
            "/api/v1/search/variables/", params={"q": random.choice(PLAN["words"])}, name="api: variable search"
        )


class Researcher(HttpUser):
    """A researcher drafting access requests through the API."""

    weight = 1
    wait_time = between(2, 6)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {random.choice(PLAN['researchers'])}"

    @task
    def draft_request(self) -> None:
        body = {
            "partner": PLAN["requesting_partner"],
            "title": "Load test draft",
            "purpose": "HMB",
            "items": [{"dataset": pk} for pk in random.sample(PLAN["datasets"], 2)],
        }
        with self.client.post(
            "/api/v1/access-requests/", json=body, name="api: draft request", catch_response=True
        ) as r:
            if r.status_code != 201:
                r.failure(f"{r.status_code}: {r.text[:200]}")


class Voter(HttpUser):
    """A committee member reading the review queue and voting, once each, on the items reserved for them
    (prepare.py reserves LOAD_ITEMS_PER_VOTER items for each of LOAD_VOTERS members: at least one member per
    Voter user, or two users would vote as one member and the second vote would be refused)."""

    weight = 1
    wait_time = between(3, 9)

    def on_start(self) -> None:
        with _lock:
            plan = PLAN["voters"][next(_voter_numbers) % len(PLAN["voters"])]
        self.client.headers["Authorization"] = f"Bearer {plan['token']}"
        self.items = list(plan["items"])

    @task(3)
    def review_queue(self) -> None:
        self.client.get("/api/v1/access-request-items/", name="api: review queue")

    @task(1)
    def vote(self) -> None:
        if not self.items:
            return
        item = self.items.pop()
        with self.client.post(
            f"/api/v1/access-request-items/{item}/votes/",
            # A rejection states its reason: the requester reads it in the decision letter.
            json={"decision": "reject", "comment": "load test", "reason": "The variables go beyond the stated aims."},
            name="api: vote",
            catch_response=True,
        ) as r:
            if r.status_code != 201:
                r.failure(f"{r.status_code}: {r.text[:200]}")
