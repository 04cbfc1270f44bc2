-- Updates the webhook has handled, so one Telegram posts again (it did not
-- get the answer in time, or the bot stopped before answering) is
-- acknowledged and not handled twice, across restarts. An update's id and
-- when it was handled (UTC), nothing of what it said or who sent it; rows
-- older than a day are neither read nor kept (storage/handled_updates.py).
CREATE TABLE handled_updates (
    update_id INTEGER PRIMARY KEY,
    handled_at TEXT NOT NULL
);
CREATE INDEX handled_updates_by_time ON handled_updates (handled_at);
