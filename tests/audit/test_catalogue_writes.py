"""Every catalogue write is audited in its own transaction, with who did it and what changed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from audit.services import verify_trail
from catalogue.importers.dictionary import import_data_dictionary
from catalogue.models import Membership, MembershipRole
from catalogue.services.consents import ModifierSpec, consent_create, consent_delete, consent_update, consent_withdraw
from catalogue.services.datasets import dataset_create, dataset_publish, dataset_retire, dataset_update
from catalogue.services.distributions import distribution_create, distribution_delete
from catalogue.services.memberships import membership_grant, membership_revoke
from catalogue.services.variables import variable_create, variable_delete, variable_update
from tests.catalogue.factories import UserFactory
from tests.catalogue.test_dictionary_import import HEADER, csv_file

pytestmark = pytest.mark.django_db


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_the_dataset_lifecycle_is_audited(cast, partner_a_committee):
    olga = cast.olga_owner_curator
    dataset = dataset_create(actor=olga, partner=cast.partner_a, title="AML Registry", patient_count=10)
    dataset_update(actor=olga, dataset=dataset, patient_count=12, title="AML Registry Heidelberg")
    consent = consent_create(
        actor=olga, dataset=dataset, form_version="v1", permission="HMB", modifiers=[ModifierSpec("NPU")]
    )
    dataset_publish(actor=olga, dataset=dataset)
    dataset_retire(actor=olga, dataset=dataset)

    (created,) = _events("dataset.create")
    assert (created.actor_username, created.object_type, created.object_id) == (
        "olga",
        "catalogue.dataset",
        str(dataset.pk),
    )
    assert created.after["partner"] == cast.partner_a.pk and created.after["status"] == "draft"
    (updated,) = _events("dataset.update")
    assert updated.before == {"patient_count": 10, "title": "AML Registry"}
    assert updated.after == {"patient_count": 12, "title": "AML Registry Heidelberg"}
    (consent_event,) = _events("consent.create")
    assert consent_event.after["permission"] == "DUO:0000006"
    assert consent_event.after["modifiers"] == [["DUO:0000045", None, ""]]
    assert consent_event.object_id == str(consent.pk)
    assert [e.after for e in _events("dataset.publish") + _events("dataset.retire")] == [
        {"status": "published"},
        {"status": "retired"},
    ]
    assert verify_trail() is None


def test_a_refused_write_leaves_no_event(cast):
    with pytest.raises(ValidationError):
        dataset_create(actor=cast.olga_owner_curator, partner=cast.partner_a, title="x", patient_count=-1)
    assert not AuditEvent.objects.filter(action="dataset.create").exists()


def test_consent_changes_withdrawal_and_removal_are_audited(cast, partner_a_committee):
    olga = cast.olga_owner_curator
    dataset = dataset_create(actor=olga, partner=cast.partner_a, title="Cohort")
    draft_consent = consent_create(actor=olga, dataset=dataset, form_version="v1", permission="GRU")
    consent_update(actor=olga, consent=draft_consent, permission="HMB")
    (in_place,) = _events("consent.update")
    assert (in_place.before["permission"], in_place.after["permission"]) == ("DUO:0000042", "DUO:0000006")
    second = consent_create(actor=olga, dataset=dataset, form_version="v2", permission="GRU")
    consent_delete(actor=olga, consent=second)  # a draft's consent is deleted
    assert _events("consent.delete")[0].before["form_version"] == "v2"

    dataset_publish(actor=olga, dataset=dataset)
    third = consent_create(actor=olga, dataset=dataset, form_version="v3", permission="GRU")
    revised = consent_update(actor=olga, consent=draft_consent, permission="GRU")  # published: a new version
    (revision,) = _events("consent.revise")
    assert revision.before["consent_id"] == draft_consent.pk and revision.object_id == str(revised.pk)
    assert revision.after["version"] == 2
    consent_delete(actor=olga, consent=third)  # published: withdrawn, kept
    assert _events("consent.remove")[0].before["form_version"] == "v3"
    consent_withdraw(actor=olga, consent=revised)
    (withdrawal,) = _events("consent.withdraw")
    assert withdrawal.before == {"withdrawn_at": None} and withdrawal.after["withdrawn_at"] is not None
    assert verify_trail() is None


def test_variables_and_distributions_are_audited(cast, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    olga = cast.olga_owner_curator
    dataset = dataset_create(actor=olga, partner=cast.partner_a, title="Cohort")
    variable = variable_create(actor=olga, dataset=dataset, name="age", value_type="integer", unit="a")
    variable_update(actor=olga, variable=variable, label="Age at diagnosis")
    variable_delete(actor=olga, variable=variable)
    assert [e.action for e in AuditEvent.objects.filter(object_type="catalogue.variable")] == [
        "variable.create",
        "variable.update",
        "variable.delete",
    ]
    assert _events("variable.update")[0].after["label"] == "Age at diagnosis"

    upload = SimpleUploadedFile("extract.csv", b"a,b\n1,2\n", content_type="text/csv")
    distribution = distribution_create(actor=olga, dataset=dataset, title="Extract", file=upload)
    distribution_delete(actor=olga, distribution=distribution)
    (added,) = _events("distribution.create")
    assert added.after["checksum_sha256"] == distribution.checksum_sha256 and added.after["kind"] == "file"
    assert _events("distribution.delete")[0].before["title"] == "Extract"


def test_a_dictionary_import_is_one_event_with_its_counts(cast):
    dataset = dataset_create(actor=cast.olga_owner_curator, partner=cast.partner_a, title="Cohort")
    text = HEADER + "".join(f"v{n},Variable {n},integer,,,,\n" for n in range(25))
    result = import_data_dictionary(
        actor=cast.olga_owner_curator, dataset=dataset, file=csv_file(text), filename="d.csv"
    )
    assert result.ok, result.errors
    (event,) = _events("dictionary.import")
    assert event.after == {"filename": "d.csv", "created": 25, "updated": 0, "unchanged": 0, "removed": 0}
    assert not AuditEvent.objects.filter(object_type="catalogue.variable").exists()


def test_membership_grants_and_revocations_are_audited_permission_changes(cast):
    newcomer = UserFactory(username="nina")
    membership = membership_grant(
        user=newcomer, partner=cast.partner_a, role=MembershipRole.CURATOR, actor=cast.ada_admin
    )
    membership_grant(user=newcomer, partner=cast.partner_a, role=MembershipRole.CURATOR, actor=cast.ada_admin)
    membership_revoke(membership=Membership.objects.get(pk=membership.pk), actor=cast.ada_admin)
    granted, revoked = AuditEvent.objects.filter(object_type="catalogue.membership", object_id=str(membership.pk))
    assert (granted.action, granted.actor_username, revoked.action) == ("membership.grant", "ada", "membership.revoke")
    assert granted.after == {
        "user_id": newcomer.pk,
        "username": "nina",
        "partner_id": cast.partner_a.pk,
        "role": "curator",
    }
    assert revoked.before == granted.after
    assert verify_trail() is None
