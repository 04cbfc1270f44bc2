-- A case is a document (nested, localised texts), kept whole in ``record``
-- as the codec writes it; the columns beside it are copies of the fields
-- that queries filter or sort on, written by the same function.
CREATE TABLE cases (
    slug TEXT PRIMARY KEY,
    name_en TEXT NOT NULL,
    status TEXT NOT NULL,
    status_as_of TEXT NOT NULL,
    birth_date TEXT,
    detained_on TEXT,
    released_on TEXT,
    record TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX cases_status ON cases (status);

-- A chat is an id and a language: never names, usernames or message texts.
CREATE TABLE chats (
    id INTEGER PRIMARY KEY,
    language TEXT NOT NULL CHECK (language IN ('en', 'be', 'ru')),
    kind TEXT NOT NULL DEFAULT 'private',
    created_at TEXT NOT NULL
);
