-- Dialog state of aiogram's FSM, one row per storage key (bot, chat, user, thread, business connection, destiny).
-- NULL thread / business connection are stored as 0 / '' so that the primary key stays unique.
CREATE TABLE fsm_state (
    bot_id                 INTEGER NOT NULL,
    chat_id                INTEGER NOT NULL,
    user_id                INTEGER NOT NULL,
    thread_id              INTEGER NOT NULL DEFAULT 0,
    business_connection_id TEXT    NOT NULL DEFAULT '',
    destiny                TEXT    NOT NULL DEFAULT 'default',
    state                  TEXT,
    data                   TEXT    NOT NULL DEFAULT '{}',
    updated_at             TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    PRIMARY KEY (bot_id, chat_id, user_id, thread_id, business_connection_id, destiny)
) WITHOUT ROWID;

CREATE INDEX fsm_state_user ON fsm_state(user_id);

-- Every curator action that reads or changes personal data (152-ФЗ accountability).
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT    NOT NULL,
    actor_id   INTEGER NOT NULL,
    action     TEXT    NOT NULL,
    subject    TEXT,
    details    TEXT
);

CREATE INDEX audit_log_at ON audit_log(at);
