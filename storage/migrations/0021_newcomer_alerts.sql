-- An alert about people new to the bot (kind new_person) reaches the chats that
-- follow everyone: those that take alerts one by one when it is stored, the
-- others in their next daily digest, which claims it then by setting its
-- digest_day. The daily run finds the ones still unclaimed here.
CREATE INDEX alerts_awaiting_digest ON alerts (kind, on_date) WHERE digest_day IS NULL;
