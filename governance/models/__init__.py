from governance.models.committees import (
    VOTING_ROLES,
    DacMembership,
    DacRole,
    DataAccessCommittee,
    DatasetGovernance,
    DecisionRule,
)
from governance.models.documents import DecisionLetter, DocumentKind, RequestDocument
from governance.models.notifications import Notification
from governance.models.release import AccessGrant, AgreementTemplate, DataSharingAgreement, Download
from governance.models.requests import (
    CLOSED_STATES,
    AccessRequest,
    AccessRequestItem,
    Comment,
    ItemState,
    Purpose,
    Vote,
    VoteDecision,
    state_in_sentence,
)
from governance.models.review import ReviewBasis

__all__ = [
    "CLOSED_STATES",
    "VOTING_ROLES",
    "AccessGrant",
    "AccessRequest",
    "AccessRequestItem",
    "AgreementTemplate",
    "Comment",
    "DacMembership",
    "DacRole",
    "DataAccessCommittee",
    "DataSharingAgreement",
    "DatasetGovernance",
    "DecisionLetter",
    "DecisionRule",
    "DocumentKind",
    "Download",
    "ItemState",
    "Notification",
    "Purpose",
    "RequestDocument",
    "ReviewBasis",
    "Vote",
    "VoteDecision",
    "state_in_sentence",
]
