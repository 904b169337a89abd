-- Every instance keeps the booking page's reading of each expert (profile, weekly hours, time off, confirmed
-- bookings) in memory for a few seconds (core/scheduling/booking-page-cache.ts). Whatever writes one of those rows,
-- from any instance, any code path or by hand, tells every instance at commit: the payload is the expert's id, or
-- empty when the change may touch every expert (a renamed topic, a person's name or status, a photo).
-- NOTIFY within one transaction is delivered once per distinct payload, after the commit.

-- The trigger's argument names the column that holds the expert's id ("expertId", or "id" on ExpertProfile).
CREATE FUNCTION "booking_page_changed_expert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_notify('mn_booking_pages', to_jsonb(OLD) ->> TG_ARGV[0]);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM pg_notify('mn_booking_pages', to_jsonb(NEW) ->> TG_ARGV[0]);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION "booking_page_changed_all"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('mn_booking_pages', '');
  RETURN NULL;
END $$;

CREATE TRIGGER "Booking_booking_page" AFTER INSERT OR UPDATE OR DELETE ON "Booking"
  FOR EACH ROW EXECUTE FUNCTION "booking_page_changed_expert"('expertId');
CREATE TRIGGER "AvailabilityRule_booking_page" AFTER INSERT OR UPDATE OR DELETE ON "AvailabilityRule"
  FOR EACH ROW EXECUTE FUNCTION "booking_page_changed_expert"('expertId');
CREATE TRIGGER "TimeOff_booking_page" AFTER INSERT OR UPDATE OR DELETE ON "TimeOff"
  FOR EACH ROW EXECUTE FUNCTION "booking_page_changed_expert"('expertId');
CREATE TRIGGER "ExpertCategory_booking_page" AFTER INSERT OR UPDATE OR DELETE ON "ExpertCategory"
  FOR EACH ROW EXECUTE FUNCTION "booking_page_changed_expert"('expertId');
CREATE TRIGGER "ExpertProfile_booking_page" AFTER INSERT OR UPDATE OR DELETE ON "ExpertProfile"
  FOR EACH ROW EXECUTE FUNCTION "booking_page_changed_expert"('id');
CREATE TRIGGER "Category_booking_page" AFTER UPDATE OR DELETE ON "Category"
  FOR EACH STATEMENT EXECUTE FUNCTION "booking_page_changed_all"();
CREATE TRIGGER "User_booking_page" AFTER UPDATE OF "name", "status" OR DELETE ON "User"
  FOR EACH STATEMENT EXECUTE FUNCTION "booking_page_changed_all"();
CREATE TRIGGER "UserAvatar_booking_page" AFTER INSERT OR UPDATE OR DELETE ON "UserAvatar"
  FOR EACH STATEMENT EXECUTE FUNCTION "booking_page_changed_all"();
CREATE TRIGGER "Booking_booking_page_truncate" AFTER TRUNCATE ON "Booking"
  FOR EACH STATEMENT EXECUTE FUNCTION "booking_page_changed_all"();
