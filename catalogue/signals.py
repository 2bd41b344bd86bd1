"""Signals other apps (governance) listen to. Catalogue sends them and never imports its listeners.

Send them inside the transaction of the change, so listeners' writes commit or roll back with it.
"""

from django.dispatch import Signal

#: Sent by dataset_retire after the dataset is retired. Arguments: ``dataset``, ``actor``.
dataset_retired = Signal()

#: Sent when a consent is withdrawn (``withdrawn_at`` set). Arguments: ``consent``, ``actor``.
consent_withdrawn = Signal()

#: Sent when a published dataset's consents change without a withdrawal by participants: a consent revised (a
#: new version supersedes it) or removed. Arguments: ``dataset``, ``actor``, ``reason`` (a sentence). Listeners
#: re-check the decisions taken on the dataset against the consents now active.
consents_changed = Signal()

#: Sent by membership_revoke after a membership is removed. Arguments: ``user``, ``partner``, ``role``, ``actor``.
#: Listeners end what the membership justified (governance: the access grants of a researcher who left).
membership_revoked = Signal()
