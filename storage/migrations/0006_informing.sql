-- Informing participants (roadmap 2.1–2.3): questions to the curator, materials, broadcasts.

-- A participant's question and the curator's answer; deleted with the participant.
CREATE TABLE questions (
    id              INTEGER PRIMARY KEY,
    participant_id  INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    text            TEXT NOT NULL,
    asked_at        TEXT NOT NULL,
    answer          TEXT,
    answered_by     INTEGER,
    answered_at     TEXT
);

CREATE INDEX questions_open ON questions(answered_at, asked_at);

-- Documents the curator uploads (положение, программы, памятки), kept by Telegram file id.
CREATE TABLE materials (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    audience    TEXT NOT NULL CHECK (audience IN ('all', 'mentors', 'mentees')),
    file_id     TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    added_by    INTEGER NOT NULL,
    added_at    TEXT NOT NULL,
    deleted_at  TEXT
);

CREATE TABLE broadcasts (
    id              INTEGER PRIMARY KEY,
    created_by      INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    audience        TEXT NOT NULL,
    text            TEXT,
    media_kind      TEXT CHECK (media_kind IN ('photo', 'document')),
    file_id         TEXT,
    recipients      INTEGER NOT NULL,
    reported_at     TEXT
);

ALTER TABLE outbox ADD COLUMN media_kind TEXT;
ALTER TABLE outbox ADD COLUMN file_id TEXT;
ALTER TABLE outbox ADD COLUMN broadcast_id INTEGER REFERENCES broadcasts(id) ON DELETE SET NULL;

CREATE INDEX outbox_broadcast ON outbox(broadcast_id, status);
