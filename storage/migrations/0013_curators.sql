-- Curators added from the bot (/curators). The owners in CURATOR_IDS are not stored: they are curators by the
-- settings and cannot be removed from the bot. Who is a curator now = CURATOR_IDS ∪ this table.
CREATE TABLE curators (
    telegram_id  INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,     -- the Telegram name when they accepted, shown in /curators
    added_by     INTEGER NOT NULL,  -- the curator whose link they opened
    added_at     TEXT NOT NULL
);

-- One-time links that make whoever opens them a curator (bot/curators.py: how long one is valid). A used link
-- keeps who used it, so that a second /start with it is refused; no name is stored here.
CREATE TABLE curator_invites (
    code        TEXT PRIMARY KEY,
    created_by  INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_by     INTEGER,
    used_at     TEXT
);
