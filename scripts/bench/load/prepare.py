"""Accounts, tokens and review work for the load test (``make bench-load`` runs it; idempotent).

On the catalogue already in ``DATABASE_URL`` (seed_demo), through the real services: a data access committee
of ``LOAD_VOTERS`` members for the partner with the most published datasets (simple majority, so no single vote
decides an item), ``LOAD_RESEARCHERS`` researchers of another partner, a write token for each, and
``LOAD_ITEMS_PER_VOTER`` submitted one-item requests reserved for each voter (every vote is a first vote on an
item still under review). Writes the plan (tokens, item ids, dataset slugs, query words) as JSON to argv[1].
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harmony.settings")
os.environ.setdefault("SEARCH_SYNC_ON_COMMIT", "0")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import PersonalAccessToken  # noqa: E402
from accounts.services import token_create  # noqa: E402
from catalogue.models import Dataset, DatasetStatus, MembershipRole, Partner  # noqa: E402
from catalogue.services.memberships import membership_grant  # noqa: E402
from governance import services, workflow  # noqa: E402
from governance.models import AccessRequestItem, DacRole, DataAccessCommittee, DecisionRule  # noqa: E402
from governance.services import ItemSpec  # noqa: E402

VOTERS = int(os.environ.get("LOAD_VOTERS", "20"))
RESEARCHERS = int(os.environ.get("LOAD_RESEARCHERS", "60"))
ITEMS_PER_VOTER = int(os.environ.get("LOAD_ITEMS_PER_VOTER", "25"))
DAC_NAME = "Load-test committee"
QUERY_WORDS = ["leukaemia", "npm1", "haemoglobin", "survival", "myeloma", "flt3", "age at diagnosis", "relapse"]


def request_fields() -> dict[str, object]:
    today = timezone.localdate()
    return {
        "title": "Load test: outcome after induction",
        "lay_summary": "How patients fare after induction therapy.",
        "scientific_aims": "Estimate overall survival by risk group.",
        "purpose": "HMB",
        "will_publish": True,
        "requested_start": today,
        "requested_end": today + datetime.timedelta(days=365),
        "ethics_reference": "EC-LOAD-1",
        "ethics_expiry": today + datetime.timedelta(days=400),
    }


def token_for(user: object, name: str) -> str:
    PersonalAccessToken.objects.filter(user=user, name=name).delete()
    return token_create(user=user, name=name, scope="write", lifetime_days=7)[1]


def main(plan_path: Path) -> None:
    users = get_user_model()
    published = Q(datasets__status=DatasetStatus.PUBLISHED)
    partners = list(Partner.objects.annotate(n=Count("datasets", filter=published)).order_by("-n", "pk")[:2])
    holder, requesting = partners[0], partners[1]
    dac = DataAccessCommittee.objects.filter(name=DAC_NAME).first()
    if dac is None:
        dac = services.dac_create(name=DAC_NAME, partner=holder, decision_rule=DecisionRule.MAJORITY)
    voters = []
    for number in range(VOTERS):
        user, created = users.objects.get_or_create(username=f"load-voter-{number:02d}")
        if created:
            services.dac_member_set(dac=dac, user=user, role=DacRole.MEMBER)
        voters.append(user)
    researchers = []
    for number in range(RESEARCHERS):
        user, created = users.objects.get_or_create(username=f"load-researcher-{number:02d}")
        if created:
            membership_grant(user=user, partner=requesting, role=MembershipRole.RESEARCHER)
        researchers.append(user)

    datasets = list(Dataset.objects.filter(partner=holder, status=DatasetStatus.PUBLISHED).order_by("pk"))
    votable: dict[int, list[int]] = {}
    for index, voter in enumerate(voters):
        # Items this voter has not voted on yet (a re-run tops the reservation up).
        mine = list(
            AccessRequestItem.objects.filter(request__title=f"Load test {index:02d}", state="under_review")
            .exclude(votes__member=voter)
            .values_list("pk", flat=True)
        )
        for number in range(len(mine), ITEMS_PER_VOTER):
            researcher = researchers[(index * ITEMS_PER_VOTER + number) % len(researchers)]
            dataset = datasets[(index * ITEMS_PER_VOTER + number) % len(datasets)]
            fields = {**request_fields(), "title": f"Load test {index:02d}"}
            access_request = services.request_create(
                requester=researcher, partner=requesting, items=[ItemSpec(dataset=dataset)], **fields
            )
            workflow.submit(access_request=access_request, actor=researcher)
            mine.append(access_request.items.get().pk)
        votable[index] = mine

    plan = {
        "requesting_partner": requesting.pk,
        "datasets": [d.pk for d in Dataset.objects.filter(status=DatasetStatus.PUBLISHED).order_by("pk")[:500]],
        "slugs": list(Dataset.objects.filter(status=DatasetStatus.PUBLISHED).values_list("slug", flat=True)[:500]),
        "words": QUERY_WORDS,
        "researchers": [token_for(user, "load test") for user in researchers],
        "voters": [{"token": token_for(user, "load test"), "items": votable[i]} for i, user in enumerate(voters)],
    }
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    print(f"load plan: {len(researchers)} researchers, {len(voters)} voters, {sum(map(len, votable.values()))} items")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
