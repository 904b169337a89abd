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

CREATE TRIGGER "ExpertProfile_public_pages" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ExpertProfile"
  FOR EACH STATEMENT EXECUTE FUNCTION "public_pages_changed"();
CREATE TRIGGER "ExpertCategory_public_pages" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ExpertCategory"
  FOR EACH STATEMENT EXECUTE FUNCTION "public_pages_changed"();
CREATE TRIGGER "Category_public_pages" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Category"
  FOR EACH STATEMENT EXECUTE FUNCTION "public_pages_changed"();
CREATE TRIGGER "Review_public_pages" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Review"
  FOR EACH STATEMENT EXECUTE FUNCTION "public_pages_changed"();
CREATE TRIGGER "AvailabilityRule_public_pages" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "AvailabilityRule"
  FOR EACH STATEMENT EXECUTE FUNCTION "public_pages_changed"();
CREATE TRIGGER "TimeOff_public_pages" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "TimeOff"
  FOR EACH STATEMENT EXECUTE FUNCTION "public_pages_changed"();
CREATE TRIGGER "UserAvatar_public_pages" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "UserAvatar"
  FOR EACH STATEMENT EXECUTE FUNCTION "public_pages_changed"();
-- Of a person, only what a public page shows: the name, and the status that hides a suspended expert.
CREATE TRIGGER "User_public_pages" AFTER UPDATE OF "name", "status" OR DELETE OR TRUNCATE ON "User"
  FOR EACH STATEMENT EXECUTE FUNCTION "public_pages_changed"();
