-- Every message the bot sends on its own initiative is written here first; one sender drains it.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    chat_id       INTEGER NOT NULL,
    text          TEXT    NOT NULL,
    reply_markup  TEXT,
    kind          TEXT    NOT NULL DEFAULT 'notice',
    dedup_key     TEXT    UNIQUE,
    created_at    TEXT    NOT NULL,
    not_before    TEXT    NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    status        TEXT    NOT NULL DEFAULT 'pending',
    sent_at       TEXT,
    error         TEXT
);

CREATE INDEX outbox_due ON outbox(status, not_before, id);
CREATE INDEX outbox_chat ON outbox(chat_id);

-- Chats that blocked the bot (403) or left it; cleared when they come back (my_chat_member).
CREATE TABLE unreachable_chats (
    chat_id     INTEGER PRIMARY KEY,
    since       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    notified    INTEGER NOT NULL DEFAULT 0
);
