-- A person is (messenger, account id) (issue 14): the same numeric id may be a Telegram user and a MAX user, two
-- different people. Every row that names a person or a chat says on which messenger; all earlier rows are
-- Telegram's. The runner applies a migration with foreign keys off (a DROP TABLE would otherwise cascade into
-- every child of `participants`) and checks them before the commit. `secure_delete` is on: the pages of the
-- dropped tables are zeroed as they are freed, and the runner checkpoints the WAL after the migrations.

-- Participants: `telegram_id` becomes `account_id`, unique per messenger. The AUTOINCREMENT counter is carried over
-- (an id is never reused: it is the pseudonym in destruction records).
CREATE TABLE participants_new (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: the pseudonym in destruction records
    messenger      TEXT NOT NULL DEFAULT 'telegram',
    account_id     INTEGER NOT NULL,
    role           TEXT NOT NULL,
    form           TEXT NOT NULL,
    invite_code    TEXT REFERENCES invites(code) ON DELETE SET NULL,
    joined_at      TEXT NOT NULL,
    is_adult       INTEGER,
    parent_code    TEXT UNIQUE,
    consent_at     TEXT,
    survey_done_at TEXT,
    UNIQUE (messenger, account_id)
);
INSERT INTO participants_new(id, messenger, account_id, role, form, invite_code, joined_at, is_adult, parent_code,
                             consent_at, survey_done_at)
    SELECT id, 'telegram', telegram_id, role, form, invite_code, joined_at, is_adult, parent_code, consent_at,
           survey_done_at
    FROM participants;
DELETE FROM sqlite_sequence WHERE name = 'participants_new';
INSERT INTO sqlite_sequence(name, seq) SELECT 'participants_new', seq FROM sqlite_sequence WHERE name = 'participants';
DROP TABLE participants;
ALTER TABLE participants_new RENAME TO participants;
CREATE INDEX participants_role_form ON participants(role, form);

-- Dialog state: one adapter's FSM storage per messenger on the same table.
CREATE TABLE fsm_state_new (
    messenger              TEXT    NOT NULL DEFAULT 'telegram',
    bot_id                 INTEGER NOT NULL,
    chat_id                INTEGER NOT NULL,
    user_id                INTEGER NOT NULL,
    thread_id              INTEGER NOT NULL DEFAULT 0,
    business_connection_id TEXT    NOT NULL DEFAULT '',
    destiny                TEXT    NOT NULL DEFAULT 'default',
    state                  TEXT,
    data                   TEXT    NOT NULL DEFAULT '{}',
    updated_at             TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    PRIMARY KEY (messenger, bot_id, chat_id, user_id, thread_id, business_connection_id, destiny)
) WITHOUT ROWID;
INSERT INTO fsm_state_new(messenger, bot_id, chat_id, user_id, thread_id, business_connection_id, destiny, state,
                          data, updated_at)
    SELECT 'telegram', bot_id, chat_id, user_id, thread_id, business_connection_id, destiny, state, data, updated_at
    FROM fsm_state;
DROP TABLE fsm_state;
ALTER TABLE fsm_state_new RENAME TO fsm_state;
CREATE INDEX fsm_state_user ON fsm_state(messenger, user_id);

-- Chats that blocked the bot, chats the messenger does not know yet, group chats told the bot is private-only.
CREATE TABLE unreachable_chats_new (
    messenger   TEXT    NOT NULL DEFAULT 'telegram',
    chat_id     INTEGER NOT NULL,
    since       TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    notified    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (messenger, chat_id)
);
INSERT INTO unreachable_chats_new(messenger, chat_id, since, reason, notified)
    SELECT 'telegram', chat_id, since, reason, notified FROM unreachable_chats;
DROP TABLE unreachable_chats;
ALTER TABLE unreachable_chats_new RENAME TO unreachable_chats;

CREATE TABLE waiting_chats_new (
    messenger   TEXT    NOT NULL DEFAULT 'telegram',
    chat_id     INTEGER NOT NULL,
    since       TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    PRIMARY KEY (messenger, chat_id)
);
INSERT INTO waiting_chats_new(messenger, chat_id, since, reason)
    SELECT 'telegram', chat_id, since, reason FROM waiting_chats;
DROP TABLE waiting_chats;
ALTER TABLE waiting_chats_new RENAME TO waiting_chats;

CREATE TABLE group_chats_new (
    messenger   TEXT    NOT NULL DEFAULT 'telegram',
    chat_id     INTEGER NOT NULL,
    told_at     TEXT    NOT NULL,
    PRIMARY KEY (messenger, chat_id)
);
INSERT INTO group_chats_new(messenger, chat_id, told_at) SELECT 'telegram', chat_id, told_at FROM group_chats;
DROP TABLE group_chats;
ALTER TABLE group_chats_new RENAME TO group_chats;

-- Curators added from the bot: (messenger, account id); who added them, on which messenger.
CREATE TABLE curators_new (
    messenger           TEXT    NOT NULL DEFAULT 'telegram',
    account_id          INTEGER NOT NULL,
    name                TEXT    NOT NULL,     -- the messenger's name when they accepted, shown in /curators
    added_by            INTEGER NOT NULL,     -- the curator whose link they opened
    added_by_messenger  TEXT    NOT NULL DEFAULT 'telegram',
    added_at            TEXT    NOT NULL,
    PRIMARY KEY (messenger, account_id)
);
INSERT INTO curators_new(messenger, account_id, name, added_by, added_by_messenger, added_at)
    SELECT 'telegram', telegram_id, name, added_by, 'telegram', added_at FROM curators;
DROP TABLE curators;
ALTER TABLE curators_new RENAME TO curators;

ALTER TABLE curator_invites ADD COLUMN created_by_messenger TEXT NOT NULL DEFAULT 'telegram';
ALTER TABLE curator_invites ADD COLUMN used_by_messenger TEXT;
UPDATE curator_invites SET used_by_messenger = 'telegram' WHERE used_by IS NOT NULL;

-- Who created an invite link; whose actions the audit log records.
ALTER TABLE invites ADD COLUMN created_by_messenger TEXT NOT NULL DEFAULT 'telegram';
ALTER TABLE audit_log ADD COLUMN actor_messenger TEXT NOT NULL DEFAULT 'telegram';

-- A parent is known by the account that gave the consent (`given_by`), and a parent's question is answered to the
-- account that asked (`asked_by`): both say on which messenger.
ALTER TABLE consents ADD COLUMN given_by_messenger TEXT NOT NULL DEFAULT 'telegram';
ALTER TABLE questions ADD COLUMN asked_by_messenger TEXT;
UPDATE questions SET asked_by_messenger = 'telegram' WHERE asked_by IS NOT NULL;

-- Every queued message goes to a chat on one messenger; each adapter's sender takes its own rows.
ALTER TABLE outbox ADD COLUMN messenger TEXT NOT NULL DEFAULT 'telegram';
DROP INDEX outbox_chat_pending;
CREATE INDEX outbox_chat_pending ON outbox(messenger, chat_id, status, not_before, id);
