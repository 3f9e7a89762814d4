-- An approved batch is frozen: neither it nor its lines change again.
CREATE FUNCTION eligibility_batch_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'eligibility_batches' THEN
        IF OLD.status = 'approved' THEN
            RAISE EXCEPTION 'an approved batch is frozen' USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSIF EXISTS (SELECT 1 FROM eligibility_batches b WHERE b.id = COALESCE(OLD.batch_id, NEW.batch_id) AND b.status = 'approved') THEN
        RAISE EXCEPTION 'an approved batch is frozen' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER eligibility_batch_frozen BEFORE UPDATE OR DELETE ON eligibility_batches
    FOR EACH ROW EXECUTE PROCEDURE eligibility_batch_frozen();
CREATE TRIGGER eligibility_lines_frozen BEFORE INSERT OR UPDATE OR DELETE ON eligibility_batch_lines
    FOR EACH ROW EXECUTE PROCEDURE eligibility_batch_frozen();
