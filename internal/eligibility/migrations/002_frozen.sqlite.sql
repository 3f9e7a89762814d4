-- An approved batch is frozen: neither it nor its lines change again.
CREATE TRIGGER eligibility_batch_frozen BEFORE UPDATE ON eligibility_batches
WHEN OLD.status = 'approved'
BEGIN
    SELECT RAISE(ABORT, 'an approved batch is frozen');
END;
CREATE TRIGGER eligibility_batch_no_delete BEFORE DELETE ON eligibility_batches
WHEN OLD.status = 'approved'
BEGIN
    SELECT RAISE(ABORT, 'an approved batch is frozen');
END;
CREATE TRIGGER eligibility_lines_frozen BEFORE UPDATE ON eligibility_batch_lines
WHEN (SELECT status FROM eligibility_batches WHERE id = OLD.batch_id) = 'approved'
BEGIN
    SELECT RAISE(ABORT, 'an approved batch is frozen');
END;
CREATE TRIGGER eligibility_lines_no_delete BEFORE DELETE ON eligibility_batch_lines
WHEN (SELECT status FROM eligibility_batches WHERE id = OLD.batch_id) = 'approved'
BEGIN
    SELECT RAISE(ABORT, 'an approved batch is frozen');
END;
CREATE TRIGGER eligibility_lines_no_insert BEFORE INSERT ON eligibility_batch_lines
WHEN (SELECT status FROM eligibility_batches WHERE id = NEW.batch_id) = 'approved'
BEGIN
    SELECT RAISE(ABORT, 'an approved batch is frozen');
END;
