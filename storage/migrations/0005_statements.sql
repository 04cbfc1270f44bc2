-- Statements admins publish. A row is written when the admin reaches the
-- preview (so the preview can show its number) and stays a draft, invisible
-- to readers, until published_at is set. created_by is the admin's user id,
-- NULL for the command line (python bot.py publish).
CREATE TABLE statements (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    on_date TEXT NOT NULL,
    source_url TEXT,
    body_html TEXT NOT NULL,
    created_by INTEGER,
    created_at TEXT NOT NULL,
    published_at TEXT
);
CREATE INDEX statements_by_date ON statements (on_date DESC, id DESC)
    WHERE published_at IS NOT NULL;

-- The defenders a statement names: a case card lists its statements, and a
-- statement reaches the subscribers of each.
CREATE TABLE statement_cases (
    statement_id INTEGER NOT NULL REFERENCES statements (id) ON DELETE CASCADE,
    slug TEXT NOT NULL REFERENCES cases (slug) ON DELETE CASCADE ON UPDATE CASCADE,
    position INTEGER NOT NULL DEFAULT 0, -- order of first mention in the text
    PRIMARY KEY (statement_id, slug)
) WITHOUT ROWID;
CREATE INDEX statement_cases_by_case ON statement_cases (slug, statement_id);
