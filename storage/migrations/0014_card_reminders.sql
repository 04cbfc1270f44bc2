-- A chat asked to be reminded BOT_CARD_LEAD_DAYS before a held person's
-- birthday, so a card posted then arrives on time. The chat's id and the
-- case's slug, nothing else; /forget (deleting the chat) takes them along.
CREATE TABLE card_reminders (
    chat_id INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE ON UPDATE CASCADE,
    slug TEXT NOT NULL REFERENCES cases (slug) ON DELETE CASCADE ON UPDATE CASCADE,
    PRIMARY KEY (slug, chat_id)
) WITHOUT ROWID;
CREATE INDEX card_reminders_by_chat ON card_reminders (chat_id);
