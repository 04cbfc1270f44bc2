-- How a chat gets calendar alerts (birthdays, anniversaries, milestones, ends
-- of term): 'auto' is one daily digest while it follows everyone or more than
-- BOT_DIGEST_OVER people, one message each otherwise; 'digest' and 'single'
-- are a chat's own choice in /settings. Releases, case updates and statements
-- always come one by one, at once.
ALTER TABLE chats ADD COLUMN alert_mode TEXT NOT NULL DEFAULT 'auto'
    CHECK (alert_mode IN ('auto', 'digest', 'single'));

-- A calendar alert that is part of a day's digest: the day. Chats that get
-- digests had no delivery of it; the digest (alert key digest:<day>, one
-- delivery per chat) lists it. NULL: an alert that went to every chat on its
-- own (a release, a held-back alert confirmed after the digest was made).
ALTER TABLE alerts ADD COLUMN digest_day TEXT;
CREATE INDEX alerts_by_digest_day ON alerts (digest_day) WHERE digest_day IS NOT NULL;
