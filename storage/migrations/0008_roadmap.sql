-- The curator's roadmap tracker («дорожная карта внедрения ЦМН»). The roadmap itself ships with the bot
-- (bot/roadmap/data/roadmap.toml); the database holds only what the curator changed and recorded.

-- The curator's own items, edits of shipped items (the whole item, replacing the shipped one) and deletions
-- (a row with deleted = 1 hides the item of that number). deadline is JSON of `deadline_to_mapping`,
-- responsible a JSON list of strings.
CREATE TABLE roadmap_items (
    number       TEXT PRIMARY KEY,
    content      TEXT,
    deadline     TEXT,
    result       TEXT,
    responsible  TEXT,
    deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    updated_by   INTEGER NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (deleted = 1 OR (content IS NOT NULL AND deadline IS NOT NULL AND result IS NOT NULL
                           AND responsible IS NOT NULL))
);

-- What the curator recorded for an item in a programme year (Y: 1 September Y – 31 August Y+1).
-- done_at is the institution's local date (YYYY-MM-DD); reopened = 1 is a done mark taken back.
CREATE TABLE roadmap_states (
    number          TEXT NOT NULL,
    programme_year  INTEGER NOT NULL,
    done_at         TEXT,
    done_by         INTEGER,
    note            TEXT,
    reopened        INTEGER NOT NULL DEFAULT 0 CHECK (reopened IN (0, 1)),
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (number, programme_year)
);

-- Documents attached to an item in a programme year (the signed order, a protocol), kept by Telegram file id.
CREATE TABLE roadmap_documents (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL,
    programme_year  INTEGER NOT NULL,
    kind            TEXT NOT NULL DEFAULT 'document' CHECK (kind IN ('document', 'photo')),
    file_id         TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    attached_at     TEXT NOT NULL,
    attached_by     INTEGER NOT NULL
);

CREATE INDEX roadmap_documents_item ON roadmap_documents(programme_year, number, id);
