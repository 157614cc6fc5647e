-- Meetings of pairs and groups through the stages (roadmap 4.5), the check-ins after them, and how the
-- pair suits each side after the first meeting.

CREATE TABLE meetings (
    id          INTEGER PRIMARY KEY,
    pair_id     INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
    stage       TEXT NOT NULL,
    starts_at   TEXT NOT NULL,
    place       TEXT NOT NULL,
    topic       TEXT,
    status      TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'not_held', 'cancelled')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE INDEX meetings_pair ON meetings(pair_id, starts_at);
CREATE INDEX meetings_due ON meetings(status, starts_at);

-- A mentee's answer to the invitation: accepted, or asked for another time.
CREATE TABLE meeting_responses (
    meeting_id      INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    response        TEXT NOT NULL CHECK (response IN ('accepted', 'other_time')),
    at              TEXT NOT NULL,
    PRIMARY KEY (meeting_id, participant_id)
) WITHOUT ROWID;

CREATE TABLE checkins (
    meeting_id      INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    answer          TEXT NOT NULL CHECK (answer IN ('held', 'moved', 'not_held')),
    usefulness      INTEGER CHECK (usefulness BETWEEN 1 AND 5),
    note            TEXT,
    at              TEXT NOT NULL,
    PRIMARY KEY (meeting_id, participant_id)
) WITHOUT ROWID;

CREATE TABLE pair_fit (
    pair_id         INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    fits            TEXT NOT NULL CHECK (fits IN ('yes', 'unsure', 'no')),
    at              TEXT NOT NULL,
    PRIMARY KEY (pair_id, participant_id)
) WITHOUT ROWID;

