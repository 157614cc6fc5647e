-- A parent asks the curator about their child (issue 13): the question belongs to the child (it goes with the
-- child's row on withdrawal, ON DELETE CASCADE) and the answer goes back to the parent who asked.
ALTER TABLE questions ADD COLUMN asked_by INTEGER;
