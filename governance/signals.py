"""Governance reactions to catalogue events: access ends at once when consent is withdrawn or a dataset retired;
decisions are re-checked when a published dataset's consents are revised or removed; a researcher who leaves
the requesting partner loses the grants obtained on its behalf.

Listens to catalogue.signals (which carry the actor) and, as a safety net for writes that do not send
them (the admin, scripts), to ``post_save`` of Dataset and Consent. Revocation is idempotent, so a
change seen by both revokes once.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from catalogue.models import Consent, Dataset, DatasetStatus, MembershipRole, Partner
from governance.models import AccessRequestItem, ItemState
from governance.workflow import decisions_recheck_for_dataset, grants_revoke_for_dataset, grants_revoke_for_grantee
from harmony.wording import in_site_language


def _has_released_items(dataset_id: int) -> bool:
    return AccessRequestItem.objects.filter(dataset_id=dataset_id, state=ItemState.RELEASED).exists()


def on_dataset_retired(sender: Any, *, dataset: Dataset, actor: Any = None, **kwargs: Any) -> None:
    if _has_released_items(dataset.pk):
        grants_revoke_for_dataset(
            dataset=dataset, reason=in_site_language(gettext_noop("The dataset was retired.")), actor=actor
        )


def on_consent_withdrawn(sender: Any, *, consent: Consent, actor: Any = None, **kwargs: Any) -> None:
    if _has_released_items(consent.dataset_id):
        grants_revoke_for_dataset(
            dataset=consent.dataset,
            reason=in_site_language(gettext_noop("Consent form %(form)s was withdrawn."), form=consent.form_version),
            actor=actor,
        )


def on_consents_changed(sender: Any, *, dataset: Dataset, reason: str, actor: Any = None, **kwargs: Any) -> None:
    decisions_recheck_for_dataset(dataset=dataset, reason=reason, actor=actor)


def on_membership_revoked(
    sender: Any, *, user: Any, partner: Partner, role: str, actor: Any = None, **kwargs: Any
) -> None:
    if role == MembershipRole.RESEARCHER:
        grants_revoke_for_grantee(user=user, partner=partner, actor=actor)


def on_dataset_saved(sender: Any, *, instance: Dataset, **kwargs: Any) -> None:
    if instance.status == DatasetStatus.RETIRED:
        on_dataset_retired(sender, dataset=instance)


def on_consent_saved(sender: Any, *, instance: Consent, **kwargs: Any) -> None:
    if instance.withdrawn_at is not None:
        on_consent_withdrawn(sender, consent=instance)
