-- Installed by scripts/postgres.sh (as the superuser) in the application's database and in template1:
--   psql -v owner=harmony_audit_owner -v app=harmony -d <database> -f audit/sql/harmony_audit_adopt.sql
-- harmony_audit_adopt() runs as its owner, the audit owner role (SECURITY DEFINER), and does one fixed
-- thing: make that role own the audit table, its identity sequence and its trigger function, and leave the
-- calling (application) role SELECT and INSERT on the table and USAGE on the sequence. The application role
-- may call it (its migration does, audit/migrations/0002) but cannot undo it.
CREATE OR REPLACE FUNCTION public.harmony_audit_adopt() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $adopt$
BEGIN
    EXECUTE format('ALTER TABLE public.audit_auditevent OWNER TO %I', current_user);
    EXECUTE format('ALTER FUNCTION public.audit_append_only() OWNER TO %I', current_user);
    REVOKE ALL ON TABLE public.audit_auditevent FROM PUBLIC;
    EXECUTE format('REVOKE ALL ON TABLE public.audit_auditevent FROM %I', session_user);
    EXECUTE format('GRANT SELECT, INSERT ON TABLE public.audit_auditevent TO %I', session_user);
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %I',
                   pg_get_serial_sequence('public.audit_auditevent', 'id'), session_user);
END
$adopt$;
ALTER FUNCTION public.harmony_audit_adopt() OWNER TO :"owner";
REVOKE ALL ON FUNCTION public.harmony_audit_adopt() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.harmony_audit_adopt() TO :"app";
