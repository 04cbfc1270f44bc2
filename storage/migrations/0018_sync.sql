-- The organisation's list of political prisoners, read by `python bot.py sync`
-- (or uploaded, or fetched): each reading is a snapshot, and every difference
-- it found with the cases a proposed change, waiting for the editors.
--
-- A snapshot is 'pending' while its changes wait, 'held' when it looks
-- suspicious (far fewer rows than the last one applied, a column gone) until an
-- editor confirms it, 'applied' once any of its changes is applied. `files` is
-- JSON: [{name, language, header_set, rows, sha256}]; `columns` the fields the
-- files had. Nothing about subscribers is here; judges' names never are.
CREATE TABLE sync_snapshots (
    id INTEGER PRIMARY KEY,
    read_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    origin TEXT NOT NULL,
    files TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    checksum TEXT NOT NULL,
    columns TEXT NOT NULL,
    held_reason TEXT,
    state TEXT NOT NULL CHECK (state IN ('pending', 'held', 'applied'))
);

-- A proposed change: `key` is the change itself (its kind and the facts it was
-- made from), so reading the same export twice proposes nothing twice. state:
-- 'pending' (an editor decides), 'held' (its snapshot is held), 'applied',
-- 'skipped' (an editor said no), 'superseded' (a later export no longer
-- proposes it), 'done' (the case already was so when applied), 'refused' (the
-- case could not hold it: `outcome` says why).
CREATE TABLE sync_changes (
    key TEXT PRIMARY KEY,
    snapshot_id INTEGER NOT NULL REFERENCES sync_snapshots (id),
    kind TEXT NOT NULL,
    person TEXT NOT NULL,
    slug TEXT,
    place TEXT,
    what TEXT NOT NULL,
    facts TEXT NOT NULL,
    candidates TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL CHECK (
        state IN ('pending', 'held', 'applied', 'skipped', 'superseded', 'done', 'refused')
    ),
    created_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by TEXT,
    outcome TEXT
);
CREATE INDEX sync_changes_by_state ON sync_changes (state, kind);
CREATE INDEX sync_changes_by_snapshot ON sync_changes (snapshot_id);
