-- A broadcast's delivery report goes back to the curator who sent it, on the messenger they sent it from
-- (issue 15); every broadcast from before was sent from Telegram.
ALTER TABLE broadcasts ADD COLUMN created_by_messenger TEXT NOT NULL DEFAULT 'telegram';
