"""Discovery filtered by a researcher's intended use: does each dataset's consent admit it?

Verdicts come from the one pure matcher governance enforces approvals with
(:func:`catalogue.consent_matching.match_use`), fed by the same batch adapter
(:func:`catalogue.selectors.consent_conditions_by_dataset`), so search can never tell a researcher
"admitted" where the committee's consent check would block the request.

The filter ("keep only admitted datasets") is applied by the application, not the index: the
verdicts of every dataset with a consent are computed here (four queries, whatever the number of
datasets) and the backend receives the ids to keep. Translating the matcher into an Elasticsearch
query would mean a second copy of the DUO rules that could drift from the first; consents also
change without a search reindex this way. The cost is one pass over the catalogue's consents per
filtered search (datasets number in the thousands, not millions).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.consent_matching import IntendedUse, Verdict, match_use
from catalogue.models import Consent, Dataset, Membership, MondoTerm, Partner
from catalogue.models.partners import FOR_PROFIT_KINDS
from catalogue.selectors import consent_conditions_by_dataset, mondo_lineage_of

ADMITTED = "admitted"
NEEDS_REVIEW = "needs_review"
NOT_ADMITTED = "not_admitted"
USE_VERDICTS = (ADMITTED, NEEDS_REVIEW, NOT_ADMITTED)
USE_VERDICT_LABELS = {
    ADMITTED: _("Consent admits this use"),
    NEEDS_REVIEW: _("Needs committee review"),
    NOT_ADMITTED: _("Consent does not admit this use"),
}


@dataclass(frozen=True)
class UseVerdict:
    """A dataset's answer to an intended use: ``status`` is one of :data:`USE_VERDICTS`.

    ``reasons`` are the matcher's blocking reasons (non-empty iff not admitted); ``notes`` are its
    non-blocking notes (committee review items, obligations such as a publication moratorium).
    """

    status: str
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return USE_VERDICT_LABELS[self.status]


def use_verdict(verdict: Verdict) -> UseVerdict:
    """The search form of a matcher verdict: blocked → not admitted; a note that asks the committee to check what
    the matcher cannot (US, PS, RS, GS/IS without the use's countries or institution, unknown modifiers, sensitive
    research) → needs review; else admitted."""
    if not verdict.compatible:
        status = NOT_ADMITTED
    elif verdict.needs_review:
        status = NEEDS_REVIEW
    else:
        status = ADMITTED
    return UseVerdict(status=status, reasons=verdict.reasons, notes=verdict.notes)


def user_is_for_profit(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """Whether a use stated by ``user`` counts as for-profit when they do not say: true if any partner they
    belong to is a for-profit body (conservative: a consent that forbids for-profit use is not shown as
    admitted to someone who may be asking on a company's behalf)."""
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, partner__kind__in=FOR_PROFIT_KINDS).exists()


def build_intended_use(
    *,
    purpose: str,
    disease: MondoTerm | None = None,
    commercial: bool = False,
    for_profit: bool = False,
    will_publish: bool = False,
    collaboration_with_holder: bool = False,
    methods_development: bool = False,
    genetic_studies: bool = False,
    ethics_reference: str = "",
    ethics_expiry: datetime.date | None = None,
    end: datetime.date | None = None,
    publication_date: datetime.date | None = None,
    countries: Collection[str] = (),
    institution: Partner | None = None,
    sensitive: Collection[str] = (),
) -> IntendedUse:
    """The matcher's :class:`IntendedUse`, with the disease's MONDO lineage resolved the way governance resolves
    a request's (``catalogue.selectors.mondo_lineage_of``)."""
    return IntendedUse(
        purpose=purpose,
        disease_lineage=mondo_lineage_of(disease),
        disease_name=disease.display_name if disease else "",
        commercial=commercial,
        for_profit=for_profit,
        will_publish=will_publish,
        collaboration_with_holder=collaboration_with_holder,
        methods_development=methods_development,
        genetic_studies=genetic_studies,
        ethics_reference=ethics_reference,
        ethics_expiry=ethics_expiry,
        end=end,
        publication_date=publication_date,
        countries=frozenset(code.upper() for code in countries),
        institution=institution.slug if institution else "",
        institution_name=institution.name if institution else "",
        sensitive=frozenset(sensitive),
    )


def verdicts_for(
    use: IntendedUse, dataset_ids: Iterable[int], *, today: datetime.date | None = None
) -> dict[int, UseVerdict]:
    """Each dataset's verdict for ``use`` (four queries whatever the number of datasets)."""
    day = today or timezone.localdate()
    conditions = consent_conditions_by_dataset(dataset_ids)
    return {dataset_id: use_verdict(match_use(use, consents, day)) for dataset_id, consents in conditions.items()}


def dataset_ids_with_verdict(
    use: IntendedUse, statuses: Collection[str], *, today: datetime.date | None = None
) -> frozenset[int]:
    """Ids of every dataset whose verdict for ``use`` is one of ``statuses`` (whatever its visibility: the
    search backend still applies the searcher's). A dataset without an active consent admits nothing, so
    only datasets with one are matched unless ``not_admitted`` is asked for."""
    wanted = set(statuses)
    if NOT_ADMITTED in wanted:
        candidates = Dataset.objects.values_list("pk", flat=True)
    else:
        candidates = Consent.objects.filter(withdrawn_at__isnull=True).values_list("dataset_id", flat=True).distinct()
    verdicts = verdicts_for(use, set(candidates), today=today)
    return frozenset(pk for pk, verdict in verdicts.items() if verdict.status in wanted)
