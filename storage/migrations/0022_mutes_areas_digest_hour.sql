-- Subscriptions that fit a life: what a chat that follows many people can tune.
--
-- A chat that hears about someone only because it follows everyone, a region
-- or a place of detention may mute that one person: no alerts about them,
-- until it unmutes them or follows them by name. The chat's id and the case's
-- slug, nothing else; /forget (deleting the chat) takes them along.
CREATE TABLE mutes (
    chat_id INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE ON UPDATE CASCADE,
    slug TEXT NOT NULL REFERENCES cases (slug) ON DELETE CASCADE ON UPDATE CASCADE,
    PRIMARY KEY (chat_id, slug)
) WITHOUT ROWID;

-- A chat may follow a region (everyone whose case names it: cases.region) and a
-- place of detention (everyone held there now: cases.place_key of a held case),
-- people added or moved there later included.
CREATE TABLE region_follows (
    chat_id INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE ON UPDATE CASCADE,
    region TEXT NOT NULL,
    PRIMARY KEY (chat_id, region)
) WITHOUT ROWID;
CREATE TABLE place_follows (
    chat_id INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE ON UPDATE CASCADE,
    place_key TEXT NOT NULL REFERENCES places (key) ON DELETE CASCADE ON UPDATE CASCADE,
    PRIMARY KEY (chat_id, place_key)
) WITHOUT ROWID;

-- The hour (0-23, in BOT_TIMEZONE) a chat's daily digest goes out; NULL: at
-- BOT_ALERT_TIME, whatever the operator sets it to.
ALTER TABLE chats ADD COLUMN digest_hour INTEGER CHECK (digest_hour BETWEEN 0 AND 23);
