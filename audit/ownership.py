"""PostgreSQL: hand the audit table to an owner role, so the application's role can only read and append.

The application's role (``DATABASE_URL``) creates the table when it migrates, so it owns it and could
truncate it, disable or drop its trigger, or replace the trigger's function. ``adopt_audit_table`` calls
``harmony_audit_adopt()``, a SECURITY DEFINER function (``audit/sql/harmony_audit_adopt.sql``) that
``scripts/postgres.sh`` installs, owned by the owner role (``AUDIT_DB_OWNER_ROLE``), in the application's
database and in ``template1`` (so test databases have it). The function makes the owner role own the
table, its sequence and the trigger function, and leaves the calling role SELECT and INSERT on the table
and USAGE on its sequence: nothing else. Only the owner role (which never logs in; the superuser acts for
it) can change the trail's protection afterwards.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

AUDIT_TABLE = "audit_auditevent"


class AuditOwnershipError(RuntimeError):
    """The audit table cannot be handed to its owner role; the message says what to set up."""


def table_owner(connection: BaseDatabaseWrapper) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = %s", [AUDIT_TABLE])
        return cursor.fetchone()[0]


def adopt_audit_table(connection: BaseDatabaseWrapper, owner_role: str) -> None:
    """Make ``owner_role`` own the audit table through ``harmony_audit_adopt()``; raise if that did not happen."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [owner_role])
        if cursor.fetchone() is None:
            raise AuditOwnershipError(
                f"AUDIT_DB_OWNER_ROLE={owner_role!r} does not exist: run scripts/postgres.sh as root "
                "(or create the role as README 'Audit trail' shows), or leave AUDIT_DB_OWNER_ROLE empty."
            )
        cursor.execute("SELECT 1 FROM pg_proc WHERE proname = 'harmony_audit_adopt'")
        if cursor.fetchone() is None:
            raise AuditOwnershipError(
                "harmony_audit_adopt() is missing from this database: run scripts/postgres.sh as root, "
                "which installs it in the application's database and in template1."
            )
        cursor.execute("SELECT public.harmony_audit_adopt()")
    owner = table_owner(connection)
    if owner != owner_role:
        raise AuditOwnershipError(
            f"harmony_audit_adopt() gave {AUDIT_TABLE} to {owner!r}, not AUDIT_DB_OWNER_ROLE={owner_role!r}: "
            "the function must be owned by that role."
        )
