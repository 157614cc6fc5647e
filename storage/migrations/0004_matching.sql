-- Forming pairs and groups (roadmap 4.4): the group meeting, preferences, the curator's constraints,
-- drafts shown to the curator, and the confirmed pairs and groups.

CREATE TABLE group_meetings (
    id          INTEGER PRIMARY KEY,
    form        TEXT NOT NULL,
    starts_at   TEXT NOT NULL,
    place       TEXT NOT NULL,
    created_by  INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE attendance (
    meeting_id      INTEGER NOT NULL REFERENCES group_meetings(id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, participant_id)
) WITHOUT ROWID;

-- One preference survey per form at a time; from_attendees: choose among those at the meeting.
CREATE TABLE preference_rounds (
    id             INTEGER PRIMARY KEY,
    form           TEXT NOT NULL,
    meeting_id     INTEGER REFERENCES group_meetings(id) ON DELETE SET NULL,
    from_attendees INTEGER NOT NULL DEFAULT 0,
    opened_at      TEXT NOT NULL,
    closed_at      TEXT
);

-- A participant's answer to a round: the ranked choices (chosen ids) or none = «без предпочтений».
CREATE TABLE preferences (
    round_id        INTEGER NOT NULL REFERENCES preference_rounds(id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    choices         TEXT NOT NULL DEFAULT '[]',
    submitted_at    TEXT,
    PRIMARY KEY (round_id, participant_id)
) WITHOUT ROWID;

CREATE TABLE match_constraints (
    form        TEXT NOT NULL,
    mentee_id   INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    mentor_id   INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('pin', 'exclude')),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (mentee_id, mentor_id)
) WITHOUT ROWID;

CREATE TABLE pairs (
    id              INTEGER PRIMARY KEY,
    form            TEXT NOT NULL,
    mentor_id       INTEGER REFERENCES participants(id) ON DELETE SET NULL,
    confirmed_at    TEXT NOT NULL,
    confirmed_by    INTEGER NOT NULL,
    dissolved_at    TEXT,
    dissolve_reason TEXT
);

CREATE INDEX pairs_active ON pairs(dissolved_at, form);

-- A withdrawn participant's row is deleted; the membership keeps the pair's history without the link.
CREATE TABLE pair_members (
    pair_id    INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
    mentee_id  INTEGER REFERENCES participants(id) ON DELETE SET NULL,
    score      REAL,
    reasons    TEXT
);

CREATE INDEX pair_members_pair ON pair_members(pair_id);
CREATE INDEX pair_members_mentee ON pair_members(mentee_id);
