-- Groups, supergroups and channels the bot found itself in: when it last told one that it works in private
-- chats only (at most once a day per chat). No title and no member is kept: only the chat id.
CREATE TABLE group_chats (
    chat_id   INTEGER PRIMARY KEY,
    told_at   TEXT    NOT NULL
);
