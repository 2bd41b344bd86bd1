"""Bounded queries: every governance API list and page costs the same number of queries with 1 item as with 5.

Each test builds the page once with one object, adds four more, and asserts the count did not grow —
so a rule evaluated per row (the tally, the recusal, the consent verdict, a username) fails it.
"""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import DuoTerm
from governance import services, workflow
from governance.models import AccessRequest, DataSharingAgreement, VoteDecision
from tests.catalogue.factories import ConsentFactory, DatasetFactory
from tests.conftest import api_as
from tests.governance.factories import draft_request

pytestmark = pytest.mark.django_db

_serial = itertools.count()


def _dataset(gov):
    n = next(_serial)
    dataset = DatasetFactory(partner=gov.base.partner_a, title=f"AHA cohort {n}", slug=f"aha-cohort-{n}")
    ConsentFactory(dataset=dataset, form_version="v1", permission=DuoTerm.objects.get(short_code="HMB"))
    return dataset


def add_requests(gov, count: int, *, release: bool = False) -> list[AccessRequest]:
    """``count`` requests by rita, one dataset each, under review with the chair's vote (or released)."""
    made = []
    for _ in range(count):
        access_request = draft_request(
            requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[_dataset(gov)]
        )
        workflow.submit(access_request=access_request, actor=gov.base.rita_researcher)
        item = access_request.items.get()
        workflow.vote_cast(item=item, member=gov.chair, decision=VoteDecision.APPROVE)
        services.comment_add(access_request=access_request, author=gov.chair, body="Noted.", dac_only=True)
        if release:
            workflow.vote_cast(item=item, member=gov.member, decision=VoteDecision.APPROVE)
            agreement = DataSharingAgreement.objects.get(request=access_request)
            workflow.agreement_sign(agreement=agreement, actor=gov.base.rita_researcher, side="requester")
            workflow.agreement_sign(agreement=agreement, actor=gov.base.olga_owner_curator, side="holder")
            workflow.release_item(item=access_request.items.get(), actor=gov.base.olga_owner_curator)
        made.append(access_request)
    return made


def add_items(gov, access_request: AccessRequest, count: int) -> None:
    """Add ``count`` datasets to a draft request."""
    specs = [services.ItemSpec(dataset=item.dataset) for item in access_request.items.all()]
    specs += [services.ItemSpec(dataset=_dataset(gov)) for _ in range(count)]
    services.request_update(access_request=access_request, actor=gov.base.rita_researcher, items=specs)


def fresh_client(user):
    """An API client for a new copy of ``user``: each request of a real client loads its user afresh, so
    the policy's facts cached on a user object must not be carried from one measured request to the next."""
    return api_as(type(user).objects.get(pk=user.pk))


def api_queries(user, url: str) -> int:
    client = fresh_client(user)
    return queries(lambda: client.get(url))


def queries(get) -> int:
    with CaptureQueriesContext(connection) as context:
        response = get()
    assert response.status_code == 200, response.content[:300]
    return len(context)


API_LISTS = [
    ("rita", "/api/v1/access-requests/"),
    ("dana", "/api/v1/access-requests/"),
    ("rita", "/api/v1/access-request-items/"),
    ("dana", "/api/v1/access-request-items/"),
    ("rex", "/api/v1/access-request-items/"),
    ("ada", "/api/v1/access-request-items/"),
    ("dana", "/api/v1/audit-events/"),
    ("rita", "/api/v1/audit-events/"),
    ("rita", "/api/v1/notifications/"),
    ("dana", "/api/v1/governance/dashboard/"),
    ("ada", "/api/v1/dacs/"),
]


def _user(gov, name):
    return {
        "rita": gov.base.rita_researcher,
        "dana": gov.chair,
        "mike": gov.member,
        "rex": gov.recused_member,
        "olga": gov.base.olga_owner_curator,
        "ada": gov.base.ada_admin,
    }[name]


@pytest.mark.parametrize(("who", "url"), API_LISTS)
def test_api_lists_do_not_grow_with_the_page(gov, who, url):
    add_requests(gov, 1)
    one = api_queries(_user(gov, who), url)
    add_requests(gov, 4)
    assert api_queries(_user(gov, who), url) == one


def test_the_review_queue_api_does_not_grow(gov):
    add_requests(gov, 1)
    url = "/api/v1/access-request-items/?awaiting_my_vote=true"
    one = api_queries(gov.member, url)
    add_requests(gov, 4)
    assert api_as(gov.member).get(url).json()["count"] == 5
    assert api_queries(gov.member, url) == one


@pytest.mark.parametrize(("who", "url"), [("rita", "/api/v1/grants/"), ("olga", "/api/v1/agreements/")])
def test_release_lists_do_not_grow(gov, who, url):
    add_requests(gov, 1, release=True)
    one = api_queries(_user(gov, who), url)
    add_requests(gov, 4, release=True)
    assert api_as(_user(gov, who)).get(url).json()["count"] == 5
    assert api_queries(_user(gov, who), url) == one


def request_with(gov, count: int) -> AccessRequest:
    """A request by rita for ``count`` datasets, submitted, each item with the chair's vote and comment."""
    access_request = draft_request(
        requester=gov.base.rita_researcher, partner=gov.base.partner_b, datasets=[_dataset(gov)]
    )
    if count > 1:
        add_items(gov, access_request, count - 1)
    workflow.submit(access_request=access_request, actor=gov.base.rita_researcher)
    for item in access_request.items.all():
        workflow.vote_cast(item=item, member=gov.chair, decision=VoteDecision.APPROVE)
        services.comment_add(access_request=access_request, author=gov.chair, body="Noted.", dac_only=True)
    return access_request


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/access-requests/{pk}/",
        "/api/v1/access-request-items/?request={pk}",
        "/api/v1/request-comments/?request={pk}",
    ],
)
@pytest.mark.parametrize("who", ["rita", "dana", "ada"])
def test_a_requests_items_and_comments_do_not_grow(gov, who, path):
    small, big = request_with(gov, 1), request_with(gov, 5)
    user = _user(gov, who)
    assert api_queries(user, path.format(pk=big.pk)) == api_queries(user, path.format(pk=small.pk))


# --- pages ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "url"), [("rita", "/requests/"), ("mike", "/review/"), ("olga", "/holder/")])
def test_governance_list_pages_do_not_grow(gov, client, who, url):
    add_requests(gov, 1, release=who == "olga")
    client.force_login(_user(gov, who))
    one = queries(lambda: client.get(url))
    add_requests(gov, 4, release=who == "olga")
    assert queries(lambda: client.get(url)) == one


@pytest.mark.parametrize("who", ["rita", "dana"])
def test_the_request_page_does_not_grow_with_its_items(gov, client, who):
    small, big = request_with(gov, 1), request_with(gov, 5)
    client.force_login(_user(gov, who))
    assert queries(lambda: client.get(f"/requests/{big.pk}/")) == queries(lambda: client.get(f"/requests/{small.pk}/"))


@pytest.mark.parametrize("who", ["dana", "rex"])
def test_the_item_review_page_does_not_grow_with_the_requests_other_items(gov, client, who):
    small, big = request_with(gov, 1), request_with(gov, 5)
    client.force_login(_user(gov, who))
    small_item, big_item = small.items.first(), big.items.first()
    one = queries(lambda: client.get(f"/review/items/{small_item.pk}/"))
    assert queries(lambda: client.get(f"/review/items/{big_item.pk}/")) == one
