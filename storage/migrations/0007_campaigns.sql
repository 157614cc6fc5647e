-- Monitoring campaigns (roadmap 4.6, 5.2, 5.3): a survey sent to a segment between two dates.
-- A campaign's answers live in `answers` under questionnaire_id = 'c' || campaign id.

CREATE TABLE campaigns (
    id            INTEGER PRIMARY KEY,
    survey        TEXT NOT NULL,
    kind          TEXT NOT NULL DEFAULT 'custom',
    segment       TEXT NOT NULL,
    title         TEXT NOT NULL,
    opens_at      TEXT NOT NULL,
    closes_at     TEXT NOT NULL,
    created_by    INTEGER,
    created_at    TEXT NOT NULL,
    calendar_key  TEXT UNIQUE,
    closed_at     TEXT
);

CREATE TABLE campaign_recipients (
    campaign_id     INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    questionnaire_id TEXT NOT NULL,
    invited_at      TEXT NOT NULL,
    nudged_at       TEXT,
    completed_at    TEXT,
    PRIMARY KEY (campaign_id, participant_id)
) WITHOUT ROWID;

CREATE INDEX campaign_recipients_open ON campaign_recipients(completed_at, campaign_id);
