-- A fingerprint of a statement's text (statements.publishing.digest: the words
-- as a reader sees them, case and spacing aside), so publishing the same text
-- twice is noticed before it reaches everyone twice. Rows from before this
-- migration get theirs the first time a statement is checked.
ALTER TABLE statements ADD COLUMN body_digest TEXT;
CREATE INDEX statements_by_digest ON statements (body_digest) WHERE published_at IS NOT NULL;
