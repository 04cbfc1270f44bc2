"""Statements: reading an admin's text or file into Telegram HTML, and publishing it.

Nothing here talks to Telegram: the bot's /newstatement conversation and the
``python bot.py publish`` command both call these functions, so a statement
published either way is stored, linked and queued the same way.
"""
