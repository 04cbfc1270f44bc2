"""How the console shows the bot's replies: plain text, buttons numbered."""

from __future__ import annotations

from typing import TextIO

from fakeapi.records import SentRecord

SHOWN_METHODS = {"sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument"}


class Screen:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.numbered: dict[int, tuple[SentRecord, int]] = {}

    def banner(self) -> None:
        self.write(
            "casewatch console: type a name or a command (/help); a number presses a button.\n"
        )

    def prompt(self) -> None:
        self.out.write("> ")
        self.out.flush()

    def echo(self, text: str) -> None:
        self.write(f"> {text}\n")

    def button(self, text: str) -> tuple[SentRecord, int] | None:
        """The button a typed number stands for, if it is one of the numbers shown."""
        if text.isdigit() and int(text) in self.numbered:
            return self.numbered[int(text)]
        return None

    def show(self, replies: list[SentRecord] | None) -> None:
        if replies is None:  # nothing was sent to the bot
            return
        # A button's answer (a toast in Telegram): in parentheses, before any message.
        for reply in replies:
            if reply.method == "answerCallbackQuery" and reply.plain:
                self.write(f"({reply.plain})\n")
        shown = [reply for reply in replies if reply.method in SHOWN_METHODS]
        if any(reply.buttons for reply in shown):
            self.numbered = {}
        for reply in shown:
            if reply.method == "editMessageText":
                self.write("(edited)\n")
            if reply.plain:
                self.write(reply.plain + "\n")
            for index, button in enumerate(reply.buttons):
                number = len(self.numbered) + 1
                self.numbered[number] = (reply, index)
                target = f" -> {button['url']}" if "url" in button else ""
                self.write(f"  [{number}] {button['text']}{target}\n")
            self.write("\n")
        if not shown and not any(reply.method == "answerCallbackQuery" for reply in replies):
            self.write("(no reply)\n\n")
        elif not shown:
            self.write("\n")

    def write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()
