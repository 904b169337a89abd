-- Every instance keeps the public pages an anonymous visitor gets (home, the directory, expert profiles) for up to
-- 15 s (server/page-cache.ts). Whatever writes a row those pages are made of, from any instance, any code path or
-- by hand, tells every instance at commit, and each drops its cached public pages (server/boot.ts). Before this,
-- the routes that changed public content notified by themselves, and a path that did not (a person renaming
-- themselves, a new photo) left the old page up for as long as 30 s.
-- NOTIFY within one transaction is delivered once per distinct payload, after the commit; statement-level
-- triggers, so a statement touching many rows notifies once. Bookings are left out on purpose: a profile's
-- "next available times" may be a few seconds old (booking re-checks every slot), and clearing every cached page
-- at every booking would cost the busiest moments their cache.

CREATE FUNCTION "public_pages_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('mn_public_pages', '');
  RETURN NULL;
END $$;

-- One trigger per table: "<table>_public_pages".
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['ExpertProfile', 'ExpertCategory', 'Category', 'Review', 'AvailabilityRule', 'TimeOff',
                           'UserAvatar'] LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
      'FOR EACH STATEMENT EXECUTE FUNCTION "public_pages_changed"()',
      t || '_public_pages', t);
  END LOOP;
END $$;
-- Of a person, only what a public page shows: the name, and the status that hides a suspended expert.
CREATE TRIGGER "User_public_pages" AFTER UPDATE OF "name", "status" OR DELETE OR TRUNCATE ON "User"
  FOR EACH STATEMENT EXECUTE FUNCTION "public_pages_changed"();
