-- Places of detention are records of their own, kept once for everyone held
-- there: a document in ``record`` as the codec writes it, like a case. A case
-- names its place by key (``place_key``, a copy of detention.place that
-- queries and foreign keys use) and may name its region.
CREATE TABLE places (
    key TEXT PRIMARY KEY,
    name_en TEXT NOT NULL,
    region TEXT,
    record TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
ALTER TABLE cases ADD COLUMN place_key TEXT REFERENCES places (key);
ALTER TABLE cases ADD COLUMN region TEXT;
CREATE INDEX cases_place_key ON cases (place_key);
CREATE INDEX cases_region ON cases (region);
-- A place's new address changes what cards show: the running bot reloads.
CREATE TRIGGER case_version_on_place_insert AFTER INSERT ON places
BEGIN
    UPDATE case_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER case_version_on_place_update AFTER UPDATE ON places
BEGIN
    UPDATE case_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER case_version_on_place_delete AFTER DELETE ON places
BEGIN
    UPDATE case_version SET version = version + 1 WHERE id = 1;
END;
