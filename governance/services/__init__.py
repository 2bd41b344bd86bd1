"""Governance writes that are not item transitions (those live in governance.workflow).

Every function is keyword-only, atomic, and audited where it changes rights or requests.
"""

from governance.services.committees import (
    ROLE_PERMISSIONS,
    dac_create,
    dac_member_remove,
    dac_member_set,
    dac_rule_change_refusal,
    dac_update,
    dataset_governance_assign,
)
from governance.services.downloads import DownloadResult, distribution_download
from governance.services.inbox import notification_mark_read, notifications_mark_all_read, reminders_send
from governance.services.requests import (
    EDITABLE_FIELDS,
    ItemSpec,
    comment_add,
    request_create,
    request_delete,
    request_update,
)

__all__ = [
    "EDITABLE_FIELDS",
    "ROLE_PERMISSIONS",
    "DownloadResult",
    "ItemSpec",
    "comment_add",
    "dac_create",
    "dac_member_remove",
    "dac_member_set",
    "dac_rule_change_refusal",
    "dac_update",
    "dataset_governance_assign",
    "distribution_download",
    "notification_mark_read",
    "notifications_mark_all_read",
    "reminders_send",
    "request_create",
    "request_delete",
    "request_update",
]
