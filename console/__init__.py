"""The bot in a terminal: the real Application, offline, on a fake Bot API.

Each input line is a message from one user in a private chat; replies print
as plain text, buttons numbered, and typing a button's number presses it.
Standard input may be a pipe: the console exits at the end of input.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from telegram.ext import Application
from telegram.request import BaseRequest

from config import Settings
from console.screen import Screen
from fakeapi.harness import ChatDriver
from fakeapi.request import FakeRequest
from fakeapi.server import FakeBotAPI
from storage.bot_lock import bot_lock

CONSOLE_USER_ID = 1001

# What bot.py hands the console: the bot it would run, on the given transport.
BuildApplication = Callable[[Settings, BaseRequest], Application]


async def run_console(
    settings: Settings,
    build: BuildApplication,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> int:
    """Talk to the bot ``build`` makes, over a fake Bot API, until the input ends."""
    async with AsyncExitStack() as stack:
        if "BOT_DB" not in os.environ:
            # Its own database, fresh each time, so the demo never touches the real one.
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="casewatch-"))
            settings = replace(settings, db_path=Path(folder) / "console.sqlite3")
        else:
            # Its sender works that database's outbox: not beside a running bot.
            stack.enter_context(bot_lock(settings.db_path))
        api = FakeBotAPI()
        application = build(settings, FakeRequest(api))
        await application.initialize()
        await application.post_init(application)
        await application.start()
        try:
            driver = ChatDriver(application, api, language_code=settings.language)
            screen = Screen(stdout)
            await talk(driver, screen, stdin)
        finally:
            await application.stop()
            await application.post_stop(application)
            await application.shutdown()
            await application.post_shutdown(application)
    return 0


async def talk(driver: ChatDriver, screen: Screen, stdin: TextIO) -> None:
    interactive = stdin.isatty()
    loop = asyncio.get_running_loop()
    screen.banner()
    while True:
        if interactive:
            screen.prompt()
        line = await loop.run_in_executor(None, stdin.readline)
        if not line:
            break
        text = line.strip()
        if not text:
            continue
        if not interactive:
            screen.echo(text)
        button = screen.button(text)
        if button is not None:
            replies = await press(driver, screen, *button)
        else:
            replies = await driver.send(text, user_id=CONSOLE_USER_ID)
        screen.show(replies)


async def press(driver: ChatDriver, screen: Screen, record, index: int):
    """Press a numbered button; one the bot has since taken away is pressed as nothing.

    Telegram would not show it any more; the bot answers such a press the way
    it answers any button that no longer applies, and the console prints that.
    """
    try:
        return await driver.press(record, index, user_id=CONSOLE_USER_ID)
    except LookupError:  # the message, or this button of it, is gone
        return await driver.press_data(record, None, user_id=CONSOLE_USER_ID)
    except ValueError:  # a link, not a button for the bot
        screen.write(f"(a link: {record.buttons[index].get('url', '')})\n\n")
        return None
