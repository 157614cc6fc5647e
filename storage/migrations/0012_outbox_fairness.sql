-- Chats Telegram does not know yet ("chat not found": the person has never opened the bot, a curator most
-- often). Their messages stay pending and the sender skips them until an update from that person arrives
-- (handlers.middlewares.ReleaseWaitingChats), which deletes the row here.
CREATE TABLE waiting_chats (
    chat_id     INTEGER PRIMARY KEY,
    since       TEXT NOT NULL,
    reason      TEXT NOT NULL
);

-- Outbox.due takes each chat's first pending message (one per chat, so that one chat's backlog does not hold
-- up the others): one seek here per candidate row. It also serves every lookup by chat, so it replaces
-- outbox_chat.
CREATE INDEX outbox_chat_pending ON outbox(chat_id, status, not_before, id);
DROP INDEX outbox_chat;
