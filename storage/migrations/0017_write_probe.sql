-- /healthz's own write, made only while the bot's writes are failing (a full
-- disk, a read-only file system): one row, rewritten, so that the check turns
-- green as soon as the database takes writes again rather than at the next
-- user's action. See operations/health.py.
CREATE TABLE write_probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at TEXT NOT NULL
);
