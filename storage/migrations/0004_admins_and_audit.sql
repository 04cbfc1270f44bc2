-- Editors: staff who publish statements and keep cases current. Owners are
-- not stored here; they are BOT_ADMINS, so losing the database never locks
-- the organisation out. User ids of staff only, never names.
CREATE TABLE admins (
    user_id INTEGER PRIMARY KEY,
    role TEXT NOT NULL DEFAULT 'editor' CHECK (role IN ('editor')),
    granted_by INTEGER NOT NULL,
    granted_at TEXT NOT NULL
);

-- Every admin action: who, when, what, on what, and for a change the record
-- before and after it (JSON). Rows are only ever added.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    before TEXT,
    after TEXT,
    details TEXT
);
CREATE INDEX audit_log_by_target ON audit_log (target, id);
