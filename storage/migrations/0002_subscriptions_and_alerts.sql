-- What a chat receives. A chat that blocked the bot, left a channel or lost
-- the right to post is switched off (active = 0) and gets nothing until it
-- comes back; its reason is kept for /admin.
ALTER TABLE chats ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE chats ADD COLUMN off_reason TEXT;
ALTER TABLE chats ADD COLUMN subscribed_all INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chats ADD COLUMN want_anniversaries INTEGER NOT NULL DEFAULT 1;
ALTER TABLE chats ADD COLUMN want_birthdays INTEGER NOT NULL DEFAULT 1;
ALTER TABLE chats ADD COLUMN want_updates INTEGER NOT NULL DEFAULT 1;
ALTER TABLE chats ADD COLUMN want_statements INTEGER NOT NULL DEFAULT 1;
-- For a channel: the user (a private chat id) who registered it, so that
-- /channel list can show a user their own channels.
ALTER TABLE chats ADD COLUMN managed_by INTEGER;

-- ON UPDATE CASCADE lets a group upgraded to a supergroup keep everything
-- under its new id with one UPDATE of chats.id.
CREATE TABLE subscriptions (
    chat_id INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE ON UPDATE CASCADE,
    slug TEXT NOT NULL REFERENCES cases (slug) ON DELETE CASCADE ON UPDATE CASCADE,
    PRIMARY KEY (chat_id, slug)
) WITHOUT ROWID;
CREATE INDEX subscriptions_by_case ON subscriptions (slug, chat_id);

-- An alert is one thing to tell people (an anniversary, a release, a
-- statement); ``key`` makes creating it idempotent: the same day run twice
-- finds the key taken and queues nothing.
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    slug TEXT REFERENCES cases (slug) ON DELETE SET NULL ON UPDATE CASCADE,
    on_date TEXT NOT NULL,
    priority INTEGER NOT NULL DEFAULT 0,
    payload TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    fanned_out INTEGER NOT NULL DEFAULT 0
);

-- One row per (alert, chat): the outbox the sender drains. state moves
-- pending -> sending -> sent | failed | dropped; a row found in 'sending'
-- after a crash is the one message whose fate is unknown.
CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    alert_id INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    chat_id INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE ON UPDATE CASCADE,
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'dropped')),
    priority INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    due_at REAL NOT NULL DEFAULT 0,
    error TEXT,
    message_id INTEGER,
    updated_at REAL NOT NULL DEFAULT 0,
    UNIQUE (alert_id, chat_id)
);
CREATE INDEX deliveries_due ON deliveries (state, priority DESC, due_at, id);
CREATE INDEX deliveries_by_chat ON deliveries (chat_id);

-- Bookkeeping for scheduled work: the last day the daily run completed.
CREATE TABLE runs (
    name TEXT PRIMARY KEY,
    last_day TEXT NOT NULL,
    ran_at TEXT NOT NULL
);
