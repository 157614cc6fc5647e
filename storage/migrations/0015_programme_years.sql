-- The programme year archive (issue 12): «Завершить программу года» closes the year's pairs and records the year,
-- so that its pairs, meetings and figures stay readable and exportable as that year's.

-- One row per finished year. The label is the programme year (from 1 September, bot/programme.py) in which the
-- year's first pair was confirmed, «2026-27». The year covers what happened after the previous year's finish
-- (started_at, NULL for the first one) up to its own finish.
CREATE TABLE programme_years (
    id           INTEGER PRIMARY KEY,
    label        TEXT NOT NULL UNIQUE,
    started_at   TEXT,
    finished_at  TEXT NOT NULL,
    finished_by  INTEGER NOT NULL
);

-- The archived year of every pair confirmed in it (NULL: the current year). The pairs the year ended with are
-- those dissolved at its finished_at.
ALTER TABLE pairs ADD COLUMN year_id INTEGER REFERENCES programme_years(id);
CREATE INDEX pairs_year ON pairs(year_id);
CREATE INDEX pairs_mentor ON pairs(mentor_id);

-- A participant of an archived year's pairs takes part in the next year once they confirm it: «да» to
-- «continue» in that year's final survey (source 'final'), the button of the thank-you notice ('button'), or
-- the curator marks it on the archived pair's card ('curator': they told the curator).
-- Until then /match does not propose them, so last year's groups are not recreated on their own.
CREATE TABLE year_renewals (
    participant_id  INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    year_id         INTEGER NOT NULL REFERENCES programme_years(id),
    source          TEXT NOT NULL CHECK (source IN ('final', 'button', 'curator')),
    renewed_at      TEXT NOT NULL,
    PRIMARY KEY (participant_id, year_id)
) WITHOUT ROWID;
