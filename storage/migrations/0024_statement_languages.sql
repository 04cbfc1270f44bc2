-- The language a statement was written in: the editor's, at /newstatement, or
-- `publish --language`; NULL when not known (published before this migration,
-- or from the command line without it): such a statement is shown unmarked.
ALTER TABLE statements ADD COLUMN language TEXT;

-- A statement's text in the other languages, added by editors before or after
-- publishing (one per language, replaced when written again). Readers get
-- theirs; the others, the original marked with its language.
CREATE TABLE statement_translations (
    statement_id INTEGER NOT NULL REFERENCES statements (id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    title TEXT NOT NULL,
    body_html TEXT NOT NULL,
    added_by INTEGER, -- the editor's user id
    added_at TEXT NOT NULL,
    PRIMARY KEY (statement_id, language)
) WITHOUT ROWID;
