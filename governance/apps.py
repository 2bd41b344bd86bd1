from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from catalogue import signals as catalogue_signals
        from catalogue.dcat.export import register_dataset_contributor
        from catalogue.extensions import register_publish_precondition, register_retirement_consequence
        from catalogue.models import Consent, Dataset
        from governance import navigation, signals
        from governance.capacity import publish_precondition
        from governance.consequences import retirement_consequences
        from governance.dcat import add_access_bodies
        from governance.notifications import MAIL_SEND, deliver_mail
        from harmony import outbox

        # One message per batch: a failed send retries only itself, so nobody gets a mail twice.
        outbox.register(MAIL_SEND, deliver_mail, batch_size=1, max_attempts=8, backoff_seconds=60)

        navigation.register()
        catalogue_signals.dataset_retired.connect(signals.on_dataset_retired, dispatch_uid="governance_dataset_retired")
        catalogue_signals.consent_withdrawn.connect(
            signals.on_consent_withdrawn, dispatch_uid="governance_consent_withdrawn"
        )
        catalogue_signals.consents_changed.connect(
            signals.on_consents_changed, dispatch_uid="governance_consents_changed"
        )
        catalogue_signals.membership_revoked.connect(
            signals.on_membership_revoked, dispatch_uid="governance_membership_revoked"
        )
        register_publish_precondition(publish_precondition)
        register_retirement_consequence(retirement_consequences)
        register_dataset_contributor(add_access_bodies)
        post_save.connect(signals.on_dataset_saved, sender=Dataset, dispatch_uid="governance_dataset_saved")
        post_save.connect(signals.on_consent_saved, sender=Consent, dispatch_uid="governance_consent_saved")
