-- rebuilds: chats (foreign keys are off while this runs; see storage/db.py)
-- The languages are the gettext catalogues present (languages.py), so adding
-- one must need no migration: a chat's language is no longer a fixed list.
-- SQLite cannot drop a CHECK in place; the table is rebuilt as its ALTER TABLE
-- documentation prescribes, keeping every row and column.
CREATE TABLE chats_rebuilt (
    id INTEGER PRIMARY KEY,
    language TEXT NOT NULL CHECK (language <> ''),
    kind TEXT NOT NULL DEFAULT 'private',
    created_at TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    off_reason TEXT,
    subscribed_all INTEGER NOT NULL DEFAULT 0,
    want_anniversaries INTEGER NOT NULL DEFAULT 1,
    want_birthdays INTEGER NOT NULL DEFAULT 1,
    want_updates INTEGER NOT NULL DEFAULT 1,
    want_statements INTEGER NOT NULL DEFAULT 1,
    managed_by INTEGER
);
INSERT INTO chats_rebuilt (
    id, language, kind, created_at, active, off_reason, subscribed_all, want_anniversaries,
    want_birthdays, want_updates, want_statements, managed_by
)
SELECT
    id, language, kind, created_at, active, off_reason, subscribed_all, want_anniversaries,
    want_birthdays, want_updates, want_statements, managed_by
FROM chats;
DROP TABLE chats;
ALTER TABLE chats_rebuilt RENAME TO chats;
