-- What a delivery has achieved so far, so a retry neither repeats nor gives up early.
-- parts_sent: how many parts of a long alert Telegram has taken; a retry
-- resumes at the first missing part (message_id keeps the first part's id).
-- failing_since: when the network or Telegram's servers first failed it
-- (Unix seconds); it is retried until BOT_GIVE_UP_HOURS after that.
ALTER TABLE deliveries ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN failing_since REAL;
