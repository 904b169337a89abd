-- The audit trail stays append-only for everyone, with two narrow exceptions for the retention job and the erasure
-- (they set mindnamo.audit_maintenance = 'on' for their own transaction only):
--   * DELETE of a row older than 6 years (its retention period), judged by the database's own clock, so no caller
--     can delete a younger row whatever it sets;
--   * UPDATE that removes the IP address and changes nothing else (IPs are kept 30 days, and an erasure removes the
--     IP of the person's own rows at once).
-- TRUNCATE stays refused. Prisma's diff does not see triggers.
CREATE OR REPLACE FUNCTION "audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_LEVEL = 'ROW' AND current_setting('mindnamo.audit_maintenance', true) = 'on' THEN
        IF TG_OP = 'DELETE' AND OLD."at" < (now() AT TIME ZONE 'UTC') - interval '6 years' THEN
            RETURN OLD;
        END IF;
        IF TG_OP = 'UPDATE' AND NEW."ip" IS NULL
           AND (NEW."id", NEW."at", NEW."actorId", NEW."actorRole", NEW."action", NEW."subjectUserId", NEW."target",
                NEW."purpose")
               IS NOT DISTINCT FROM
               (OLD."id", OLD."at", OLD."actorId", OLD."actorRole", OLD."action", OLD."subjectUserId", OLD."target",
                OLD."purpose") THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'AuditEvent rows are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
