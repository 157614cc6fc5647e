-- Joining the programme (roadmap 4.1–4.3): invites, participants, consents, answers, destruction records.

CREATE TABLE invites (
    code        TEXT PRIMARY KEY,
    role        TEXT NOT NULL,
    form        TEXT NOT NULL,
    created_by  INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT,
    max_uses    INTEGER,
    uses        INTEGER NOT NULL DEFAULT 0,
    revoked_at  TEXT
);

-- Before consent a row holds only the Telegram id and what the invite says (role, form);
-- is_adult is the answer to «18 or older?», needed to choose whose consent is asked.
CREATE TABLE participants (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: the pseudonym in destruction records
    telegram_id    INTEGER NOT NULL UNIQUE,
    role           TEXT NOT NULL,
    form           TEXT NOT NULL,
    invite_code    TEXT REFERENCES invites(code) ON DELETE SET NULL,
    joined_at      TEXT NOT NULL,
    is_adult       INTEGER,
    parent_code    TEXT UNIQUE,
    consent_at     TEXT,
    survey_done_at TEXT
);

CREATE INDEX participants_role_form ON participants(role, form);

CREATE TABLE consents (
    id                INTEGER PRIMARY KEY,
    participant_id    INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    kind              TEXT NOT NULL,
    document_version  TEXT NOT NULL,
    text_sha256       TEXT NOT NULL,
    given_at          TEXT NOT NULL,
    given_by          INTEGER NOT NULL,
    parent_name       TEXT,
    parent_relation   TEXT
);

CREATE INDEX consents_participant ON consents(participant_id);

CREATE TABLE answers (
    participant_id   INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    questionnaire_id TEXT NOT NULL,
    question_id      TEXT NOT NULL,
    value            TEXT,
    answered_at      TEXT NOT NULL,
    PRIMARY KEY (participant_id, questionnaire_id, question_id)
) WITHOUT ROWID;

CREATE INDEX answers_questionnaire ON answers(questionnaire_id, question_id);

-- What a participant's withdrawal destroyed, for the curator's act; no personal data, only a pseudonym.
CREATE TABLE destruction_log (
    id            INTEGER PRIMARY KEY,
    pseudonym     TEXT NOT NULL,
    role          TEXT NOT NULL,
    categories    TEXT NOT NULL,
    destroyed_at  TEXT NOT NULL,
    requested_by  TEXT NOT NULL,
    reason        TEXT NOT NULL
);
