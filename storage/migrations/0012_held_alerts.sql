-- Calendar alerts held back because the person's status was stale on the day
-- (older than BOT_STALE_DAYS): nothing about a person goes out on a status
-- nobody has confirmed lately. ``key`` is the alert's own key (kind:slug:date),
-- so releasing it queues it under that key in ``alerts`` and it can never be
-- sent twice. state: 'held' until an editor confirms the status that day
-- ('sent': queued for subscribers), or the day passes ('expired': never sent),
-- or the person is no longer held ('dropped').
CREATE TABLE held_alerts (
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    slug TEXT NOT NULL REFERENCES cases (slug) ON DELETE CASCADE ON UPDATE CASCADE,
    on_date TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'sent', 'expired', 'dropped')),
    held_at TEXT NOT NULL,
    settled_at TEXT
);
CREATE INDEX held_alerts_by_state ON held_alerts (state, on_date);
CREATE INDEX held_alerts_by_case ON held_alerts (slug, state);
