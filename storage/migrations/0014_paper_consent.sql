-- A paper consent (roadmap 4.1) as the curator records it: the date written on the paper, next to the parent's
-- name (consents.parent_name). given_at stays the moment it was recorded. Both go with the participant's row
-- on withdrawal (ON DELETE CASCADE).
ALTER TABLE consents ADD COLUMN paper_date TEXT;
