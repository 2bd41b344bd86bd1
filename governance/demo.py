"""The governance part of the demo: DACs for the demo partners, each staffed (chair, voting members, secretary)
so it can reach its rule, the DAC demo users, a recused member, and example requests in various states — all made
through the real services, so their audit trails are genuine.

Runs after catalogue's ``seed_demo``; idempotent (a second run adds nothing).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify

from catalogue.consent_matching import IntendedUse, match_use
from catalogue.models import Dataset, DatasetStatus, Membership, MembershipRole, Partner
from catalogue.services.memberships import membership_grant
from governance import policy, selectors, services, workflow
from governance.models import (
    VOTING_ROLES,
    AccessRequest,
    AccessRequestItem,
    DacMembership,
    DacRole,
    DataAccessCommittee,
    DecisionRule,
    DocumentKind,
)
from governance.services.documents import document_add

DEMO_PASSWORD = "harmony-demo"
DEMO_DAC_USERS = (
    ("dac-chair", DacRole.CHAIR),
    ("dac-member", DacRole.MEMBER),
    ("dac-secretary", DacRole.SECRETARY),
)
FALLBACK_RESEARCHER = "dac-demo-researcher"
ALLIANCE_DAC = "HARMONY Alliance Data Access Committee"
# Rules rotate over the partners' DACs so the demo shows each of them.
RULES = [
    (DecisionRule.MAJORITY, None),
    (DecisionRule.ANY_ONE, None),
    (DecisionRule.UNANIMOUS, None),
    (DecisionRule.QUORUM, 2),
]
# (title, state the example is brought to)
EXAMPLES = [
    ("Treatment-free remission after TKI discontinuation", "draft"),
    ("Early mortality after intensive induction", "under_review"),
    ("Real-world response to hypomethylating agents", "changes_requested"),
    ("Measurable residual disease and relapse risk", "approved"),
    ("Long-term survivorship and late effects", "released"),
    ("Exploratory biomarker screen without an analysis plan", "rejected"),
    # Approved and signed by both sides: waits for the holder's curator to release it (and choose the period).
    ("Cytogenetic risk groups and outcome after transplant", "signed"),
]


#: Voting members every demo committee gets, so each rule (quorum k = 2 included) can be met with one recusal.
STAFF_VOTERS = 3
RECUSED_MEMBER = "dac-member-recused"


@dataclass
class SeedReport:
    dacs_created: int = 0
    users_created: list[str] = field(default_factory=list)
    staff_seated: int = 0
    requests_created: dict[str, str] = field(default_factory=dict)
    skipped: str = ""


def _user(username: str, *, created: list[str]) -> AbstractBaseUser:
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create_user(
            username=username, email=f"{username}@harmony.example", password=DEMO_PASSWORD
        )
        created.append(username)
    return user


def _partners_with_datasets() -> list[Partner]:
    return list(
        Partner.objects.annotate(published=Count("datasets", filter=Q(datasets__status=DatasetStatus.PUBLISHED)))
        .filter(published__gt=0)
        .order_by("name")
    )


def _ensure_dacs(partners: list[Partner], report: SeedReport) -> None:
    for index, partner in enumerate(partners):
        if DataAccessCommittee.objects.filter(partner=partner).exists():
            continue
        rule, quorum_k = RULES[index % len(RULES)]
        services.dac_create(
            name=f"{partner.short_name} Data Access Committee", partner=partner, decision_rule=rule, quorum_k=quorum_k
        )
        report.dacs_created += 1
    if not DataAccessCommittee.objects.filter(name=ALLIANCE_DAC).exists():
        services.dac_create(name=ALLIANCE_DAC, partner=None, decision_rule=DecisionRule.MAJORITY)
        report.dacs_created += 1


def _requester_for(dac_partner: Partner, report: SeedReport) -> tuple[AbstractBaseUser, Partner]:
    """A demo researcher of another partner — seed_demo's, not-for-profit ones first — or one made here."""
    memberships = (
        Membership.objects.filter(role=MembershipRole.RESEARCHER)
        .exclude(partner=dac_partner)
        .exclude(user__dac_memberships__isnull=False)  # committee members (the recused one) do not request
        .select_related("user", "partner")
        .order_by("user__username", "partner__name")
    )
    ranked = sorted(memberships, key=lambda m: m.partner.kind in selectors.FOR_PROFIT_KINDS)
    if ranked:
        return ranked[0].user, ranked[0].partner
    partner = Partner.objects.exclude(pk=dac_partner.pk).order_by("name").first() or dac_partner
    user = _user(FALLBACK_RESEARCHER, created=report.users_created)
    membership_grant(user=user, partner=partner, role=MembershipRole.RESEARCHER)
    return user, partner


def _seat_dac_members(report: SeedReport) -> DataAccessCommittee | None:
    """seed_demo's DAC members join their partner's DAC ("chair" in the name → chair); the demo secretary joins
    the DAC of ``dac-chair``. Returns that DAC, where the example requests go."""
    home = None
    for membership in Membership.objects.filter(role=MembershipRole.DAC_MEMBER).select_related("user", "partner"):
        dac = DataAccessCommittee.objects.filter(partner=membership.partner).first()
        if dac is None:
            continue
        role = DacRole.CHAIR if "chair" in membership.user.username else DacRole.MEMBER
        if not dac.memberships.filter(user=membership.user).exists():
            services.dac_member_set(dac=dac, user=membership.user, role=role)
        if membership.user.username == "dac-chair":
            home = dac
    return home


def _staff_committees(report: SeedReport) -> None:
    """Give every committee a chair, voting members up to STAFF_VOTERS and a secretary (users
    ``dac-<partner>-chair``, ``-member-<n>``, ``-secretary``), so every demo dataset can be published and
    requested and each committee can reach its rule (governance.capacity)."""
    password = make_password(DEMO_PASSWORD)  # hashed once: the staff are some 150 users
    user_model = get_user_model()
    for dac in DataAccessCommittee.objects.select_related("partner").order_by("name"):
        tag = slugify(dac.partner.short_name) if dac.partner else "alliance"
        roles = set(dac.memberships.values_list("role", flat=True))
        voters = dac.memberships.filter(role__in=VOTING_ROLES).count()
        seats: list[tuple[str, str]] = []
        if DacRole.CHAIR not in roles:
            seats.append(("chair", DacRole.CHAIR))
            voters += 1
        seats.extend((f"member-{n}", DacRole.MEMBER) for n in range(1, STAFF_VOTERS - voters + 1))
        if DacRole.SECRETARY not in roles:
            seats.append(("secretary", DacRole.SECRETARY))
        for suffix, role in seats:
            username = f"dac-{tag}-{suffix}"
            user = user_model.objects.filter(username=username).first() or user_model.objects.create(
                username=username, email=f"{username}@harmony.example", password=password
            )
            services.dac_member_set(dac=dac, user=user, role=role)
            report.staff_seated += 1


def _seat_recused_member(dac: DataAccessCommittee, requesting_partner: Partner, report: SeedReport) -> None:
    """The recusal case: a member of the examples' committee who is also a researcher at the requesting partner,
    so the review pages show a recused member (who can read but not vote, and does not count)."""
    user = _user(RECUSED_MEMBER, created=report.users_created)
    membership_grant(user=user, partner=requesting_partner, role=MembershipRole.RESEARCHER)
    if not dac.memberships.filter(user=user).exists():
        services.dac_member_set(dac=dac, user=user, role=DacRole.MEMBER)


def _demo_use(partner: Partner) -> dict[str, object]:
    today = timezone.localdate()
    return {
        "purpose": "HMB",
        "will_publish": True,
        "collaboration_with_holder": True,
        "genetic_studies": True,
        "requested_start": today,
        "requested_end": today + datetime.timedelta(days=180),
        "ethics_reference": "EC-HARMONY-2026-001",
        "ethics_expiry": today + datetime.timedelta(days=365),
    }


def _admits_demo_use(dataset: Dataset, partner: Partner) -> bool:
    fields = _demo_use(partner)
    use = IntendedUse(
        purpose="HMB",
        for_profit=partner.kind in selectors.FOR_PROFIT_KINDS,
        will_publish=True,
        collaboration_with_holder=True,
        genetic_studies=True,
        ethics_reference=str(fields["ethics_reference"]),
        ethics_expiry=fields["ethics_expiry"],  # type: ignore[arg-type]
        end=fields["requested_end"],  # type: ignore[arg-type]
    )
    return match_use(use, selectors.consent_conditions_of(dataset), timezone.localdate()).compatible


def _draft(*, title: str, requester: AbstractBaseUser, partner: Partner, dataset: Dataset) -> AccessRequest:
    return services.request_create(
        requester=requester,
        partner=partner,
        items=[services.ItemSpec(dataset=dataset)],
        title=title,
        lay_summary=f"{title}: a retrospective study across HARMONY cohorts.",
        scientific_aims="Describe outcomes by risk group and treatment, and validate prognostic scores.",
        **_demo_use(partner),
    )


def _vote_until_decided(
    item: AccessRequestItem,
    voters: list[AbstractBaseUser],
    decision: str,
    reason: str = "",
    comment: str = "Reviewed against the consent.",
) -> None:
    for voter in voters:
        item.refresh_from_db()
        if item.state != "under_review":
            return
        workflow.vote_cast(item=item, member=voter, decision=decision, comment=comment, reason=reason)


def _advance(
    access_request: AccessRequest, target: str, *, requester: AbstractBaseUser, dac: DataAccessCommittee
) -> None:
    if target == "draft":
        return
    workflow.submit(access_request=access_request, actor=requester)
    item = access_request.items.get()
    voters = [
        m.user
        for m in dac.memberships.filter(role__in=(DacRole.CHAIR, DacRole.MEMBER)).select_related("user")
        if not policy.is_recused(m.user, access_request)
    ]
    if target == "under_review":
        return
    if target == "changes_requested":
        _vote_until_decided(item, voters, "changes", "Please state how patients under 18 are excluded.")
        return
    if target == "rejected":
        _vote_until_decided(item, voters, "reject", "The requested variables go beyond what the stated aims need.")
        return
    _vote_until_decided(item, voters, "approve")
    if target == "approved":
        return
    # The data holder signs and releases: a curator of the dataset's partner (seed_demo's `curator`), else the
    # committee's secretary, whom the policy also lets administer the item.
    holder = _holder_curator(item, access_request) or (
        dac.memberships.filter(role=DacRole.SECRETARY).select_related("user").first().user
    )
    agreement = access_request.agreements.get()
    workflow.agreement_sign(agreement=agreement, actor=requester, side="requester")
    workflow.agreement_sign(agreement=agreement, actor=holder, side="holder")
    if target == "signed":
        return
    workflow.release_item(item=AccessRequestItem.objects.get(pk=item.pk), actor=holder)


def _holder_curator(item: AccessRequestItem, access_request: AccessRequest) -> AbstractBaseUser | None:
    """A curator of the item's data holder who may release it (not on the requesting side), if any."""
    curators = Membership.objects.filter(partner_id=item.dataset.partner_id, role=MembershipRole.CURATOR)
    for membership in curators.select_related("user").order_by("user__username"):
        if policy.can_release(membership.user, item).allowed:
            return membership.user
    return None


def seed_governance_demo() -> SeedReport:
    """Seed the committees, users and example requests; see the module docstring.

    The committees, users and the examples' drafts are written in one transaction. Each draft then gets its
    documents (``document_add`` commits each file with its row, so it runs outside any transaction) and is brought
    to its state in a transaction of its own. A run stopped in between leaves drafts that the next run picks up
    again: an example whose request is still an unsubmitted draft gets its missing documents and its state."""
    report, plan = _seed_committees_and_drafts()
    for access_request, target, requester, dac in plan:
        _attach_documents(access_request, requester)
        with transaction.atomic():
            _advance(access_request, target, requester=requester, dac=dac)
        report.requests_created[access_request.title] = target
    return report


Plan = list[tuple[AccessRequest, str, AbstractBaseUser, DataAccessCommittee]]


@transaction.atomic
def _seed_committees_and_drafts() -> tuple[SeedReport, Plan]:
    report = SeedReport()
    plan: Plan = []
    partners = _partners_with_datasets()
    if not partners:
        report.skipped = "No partner has published datasets: run `manage.py seed_demo` first."
        return report, plan
    _ensure_dacs(partners, report)
    dac = _seat_dac_members(report) or DataAccessCommittee.objects.get(partner=partners[0])
    for username, role in DEMO_DAC_USERS:
        user = _user(username, created=report.users_created)
        if not DacMembership.objects.filter(user=user).exists():
            services.dac_member_set(dac=dac, user=user, role=role)
    if dac.decision_rule == DecisionRule.QUORUM and (dac.quorum_k or 0) > 2:
        dac.quorum_k = 2
        dac.save(update_fields=["quorum_k"])
    _staff_committees(report)
    requester, partner = _requester_for(dac.partner, report)
    _seat_recused_member(dac, partner, report)
    datasets = list(Dataset.objects.filter(partner=dac.partner, status=DatasetStatus.PUBLISHED).order_by("title"))
    candidates = [d for d in datasets if _admits_demo_use(d, partner)]
    if not candidates:
        report.skipped = f"No dataset of {dac.partner} admits the demo use; examples were not created."
        return report, plan
    for index, (title, target) in enumerate(EXAMPLES):
        existing = AccessRequest.objects.filter(title=title, requester=requester).first()
        if existing is not None and (existing.submitted_at is not None or target == "draft"):
            continue  # made by an earlier run
        access_request = existing or _draft(
            title=title, requester=requester, partner=partner, dataset=candidates[index % len(candidates)]
        )
        plan.append((access_request, target, requester, dac))
    return report, plan


def _attach_documents(access_request: AccessRequest, requester: AbstractBaseUser) -> None:
    """The documents a requester attaches before submitting (small PDFs; the one example refused for its missing
    analysis plan has none), those it does not have yet."""
    kinds = [DocumentKind.PROTOCOL, DocumentKind.ETHICS_APPROVAL]
    if "without an analysis plan" not in access_request.title:
        kinds.append(DocumentKind.ANALYSIS_PLAN)
    held = set(access_request.documents.filter(removed_at=None).values_list("kind", flat=True))
    for kind in kinds:
        if kind in held:
            continue
        label = str(DocumentKind(kind).label)
        upload = SimpleUploadedFile(
            f"{slugify(label)}.pdf",
            _demo_pdf(f"{label}: {access_request.title}", DOCUMENT_TEXT[kind]),
            content_type="application/pdf",
        )
        document_add(access_request=access_request, actor=requester, kind=kind, upload=upload)


DOCUMENT_TEXT = {
    DocumentKind.PROTOCOL: (
        "Retrospective, multi-centre cohort study on pseudonymised registry data. Population: adults diagnosed "
        "in 2010-2022. Primary endpoint: overall survival; secondary endpoints: event-free survival and "
        "cumulative incidence of relapse. Demo document generated by seed_governance_demo."
    ),
    DocumentKind.ETHICS_APPROVAL: (
        "The ethics committee has reviewed the protocol and raises no objection to the use of pseudonymised "
        "data for the stated purpose. Reference EK-2024-117, valid until 31 December 2028. Demo document "
        "generated by seed_governance_demo."
    ),
    DocumentKind.ANALYSIS_PLAN: (
        "Kaplan-Meier estimates by risk group; Cox regression adjusted for age, sex and performance status; "
        "competing-risks analysis (Fine-Gray) for relapse. Demo document generated by seed_governance_demo."
    ),
}


def _demo_pdf(title: str, text: str) -> bytes:
    from fpdf import FPDF  # imported when used: fpdf2 costs every process memory at start-up

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", "B", 14)
    pdf.multi_cell(0, 8, title)
    pdf.ln(4)
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())
