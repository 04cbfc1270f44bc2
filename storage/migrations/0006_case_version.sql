-- A counter that moves whenever a case is added, changed or removed, by any
-- process: the running bot polls it to notice an import made by the
-- command line and reload its in-memory catalogue.
CREATE TABLE case_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO case_version (id, version) VALUES (1, 0);
CREATE TRIGGER case_version_on_insert AFTER INSERT ON cases
BEGIN
    UPDATE case_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER case_version_on_update AFTER UPDATE ON cases
BEGIN
    UPDATE case_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER case_version_on_delete AFTER DELETE ON cases
BEGIN
    UPDATE case_version SET version = version + 1 WHERE id = 1;
END;
