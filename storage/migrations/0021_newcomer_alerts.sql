-- An alert about people new to the bot (kind new_person) reaches the chats that
-- follow everyone: those that take alerts one by one when it is stored, the
-- others in the next daily digest made, which claims it by setting its
-- digest_day. Each daily run looks up the ones still waiting here.
CREATE INDEX alerts_awaiting_digest ON alerts (kind) WHERE digest_day IS NULL;
