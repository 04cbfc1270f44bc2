-- The bot's own daily backups: when each was made, where it went, and
-- whether it worked, so /admin and /healthz can tell a failed one.
CREATE TABLE backups (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    path TEXT NOT NULL,
    ok INTEGER NOT NULL,
    bytes INTEGER,
    error TEXT
);
