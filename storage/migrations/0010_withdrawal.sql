-- Withdrawal leaves nothing behind (issue 11): which queued or sent messages name or quote a participant, and
-- pairs and groups that lost a member.

-- A message whose text names or quotes a participant (a pair notice with the mentor's name, a question to the
-- curator, an invitation) is linked to them here, so that their withdrawal deletes it wherever it was going.
-- No foreign key to participants: the links are read by the withdrawal before the participant row goes.
CREATE TABLE outbox_about (
    outbox_id       INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL,
    PRIMARY KEY (participant_id, outbox_id)
) WITHOUT ROWID;

CREATE INDEX outbox_about_outbox ON outbox_about(outbox_id);

-- The mentor withdrew: the pair or group goes on without a mentor until the curator matches its mentees again
-- (mentor_id is NULL then; this says when and that it was a withdrawal).
ALTER TABLE pairs ADD COLUMN mentor_left_at TEXT;

-- A mentee withdrew: the membership row stays for the pair's history, without the link, score or reasons.
ALTER TABLE pair_members ADD COLUMN left_at TEXT;
