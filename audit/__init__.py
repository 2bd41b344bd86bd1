"""The audit trail, below both domain apps (floor 1 of ARCHITECTURE.md).

``audit.services.audit_record`` appends an event to a keyed hash chain inside the caller's
transaction; ``audit.chain`` recomputes it; ``audit.anchors`` writes the chain's head to an
append-only file outside the database so that truncation and deletion of the newest events are
detected; on PostgreSQL a trigger refuses UPDATE and DELETE, and a separate owner role keeps the
application's role from disabling it (migration 0002). This app imports neither ``catalogue`` nor
``governance``: callers name their own objects.
"""
