"""PostgreSQL: once the audit table belongs to the owner role, the application's role can only read and append.

The test hands the table over exactly as migration audit 0002 does with AUDIT_DB_OWNER_ROLE set (through
``harmony_audit_adopt()``, which scripts/postgres.sh installs in template1), inside the test's transaction,
so the rest of the suite keeps an app-owned table (pytest-django flushes tables with TRUNCATE).
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEvent
from audit.ownership import AuditOwnershipError, adopt_audit_table, table_owner
from audit.services import audit_record, verify_trail

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

OWNER_ROLE = "harmony_audit_owner"

REFUSED = [
    ("TRUNCATE audit_auditevent", "must be owner of table audit_auditevent|permission denied"),
    ("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only", "must be owner of table"),
    ("DROP TRIGGER audit_auditevent_append_only ON audit_auditevent", "must be owner of (table|relation)"),
    ("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL", "must be owner of table"),
    ("UPDATE audit_auditevent SET action = 'nothing.happened'", "permission denied for table audit_auditevent"),
    ("DELETE FROM audit_auditevent", "permission denied for table audit_auditevent"),
    ("SET session_replication_role = replica", "permission denied to set parameter"),
    (
        "CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$ "
        "LANGUAGE plpgsql",
        "must be owner of function audit_append_only",
    ),
    ("ALTER TABLE audit_auditevent OWNER TO CURRENT_USER", "must be owner of table"),
]


@pytest.fixture
def owned_by_owner_role(trail) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses while FK checks are pending
    adopt_audit_table(connection, OWNER_ROLE)


@pytest.mark.parametrize(("statement", "refusal"), REFUSED, ids=[s.split(" audit")[0] for s, _ in REFUSED])
def test_the_app_role_cannot_tamper_with_an_owned_audit_table(owned_by_owner_role, statement, refusal):
    assert table_owner(connection) == OWNER_ROLE
    with pytest.raises(DatabaseError, match=refusal), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.count() == 8


def test_the_app_role_cannot_grant_itself_more(owned_by_owner_role):
    with connection.cursor() as cursor:
        cursor.execute("GRANT UPDATE, DELETE, TRUNCATE ON audit_auditevent TO CURRENT_USER")  # only a warning
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditevent")


def test_the_app_role_still_reads_and_appends(owned_by_owner_role, trail):
    with transaction.atomic():
        audit_record(actor=None, action="thing.change", obj=trail[0].actor)
    assert AuditEvent.objects.count() == 9
    assert verify_trail() is None


def test_a_missing_owner_role_is_a_clear_error(trail):
    with pytest.raises(AuditOwnershipError, match="AUDIT_DB_OWNER_ROLE='no_such_role' does not exist"):
        adopt_audit_table(connection, "no_such_role")
