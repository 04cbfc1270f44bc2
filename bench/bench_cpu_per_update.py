"""CPU time per update: the real bot process against a bare PTB handler process.

Run by hand from the repository root:
``.venv/bin/python bench/bench_cpu_per_update.py`` (``--updates N``, ``--rate R``).

Both are processes of their own polling the fake Bot API over HTTP (served
from this process), both with AIORateLimiter: ``python bot.py run``, and a
bare PTB Application whose one handler answers every message with the very
card the bot sends for the lookup (the same HTML and buttons, captured from
the bot first). Users look defenders up (``/defender ...``) at ``--rate`` a
second, each from a chat of their own among a thousand; the CPU time the
process spent (user + system, from /proc/<pid>/stat) is divided by the
updates answered, after a warm-up. Target: the bare handler's CPU per
update at least 0.9 of the bot's. (bench/bench_throughput.py measures the
same pair's throughput in one process.)

``--profile DIR`` profiles both processes over the measured updates alone
(cProfile timed by the process's CPU clock, so time spent waiting for a core
on a busy machine does not count), writes ``bot.prof`` and ``bare.prof`` to
DIR and prints each one's top entries by own time and by cumulative time.
The CPU figures of a profiled run are the profiler's, not the bot's.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fakeapi.http import serve  # noqa: E402
from fakeapi.server import FakeBotAPI  # noqa: E402

TOKEN = "4242:bench_token_not_a_real_one_0123456789"
TARGET = 0.9
QUERY = "/defender Бяляцкі"
USERS = 1000
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14, 15)


def message(api: FakeBotAPI, number: int) -> dict:
    user_id = 800_000_000 + number % USERS
    user = {"id": user_id, "is_bot": False, "first_name": "U", "language_code": "en"}
    return {
        "message": {
            "message_id": api.next_message_id(user_id),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "U"},
            "from": user,
            "text": QUERY,
            "entities": [{"type": "bot_command", "offset": 0, "length": len("/defender")}],
        }
    }


def replies(api: FakeBotAPI) -> int:
    with api.lock:
        return sum(1 for record in api.sent if record.method == "sendMessage")


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.01)


def profiled(command: list[str], output: Path | None) -> list[str]:
    """``command`` (a Python script and its arguments), run under ``--profile-child``."""
    if output is None:
        return [sys.executable, *command]
    me = str(Path(__file__).resolve())
    return [sys.executable, me, "--profile-child", str(output), "--", *command]


def profile_child(output: str, command: list[str]) -> None:
    """Run the script ``command`` names, profiled from SIGUSR1 to SIGUSR2 by CPU time."""
    import runpy

    profiler = cProfile.Profile(time.process_time)

    def begin(*_) -> None:
        profiler.enable()

    def end(*_) -> None:
        profiler.disable()
        profiler.dump_stats(output + ".partial")
        os.replace(output + ".partial", output)

    signal.signal(signal.SIGUSR1, begin)
    signal.signal(signal.SIGUSR2, end)
    sys.argv = command
    sys.path[0] = str(Path(command[0]).resolve().parent)
    runpy.run_path(command[0], run_name="__main__")


def print_profile(name: str, path: Path, entries: int = 25) -> None:
    for order in ("tottime", "cumulative"):
        text = io.StringIO()
        stats = pstats.Stats(str(path), stream=text)
        stats.strip_dirs().sort_stats(order).print_stats(entries)
        print(f"--- {name}, by {order} ---")
        print(text.getvalue().split("\n\n", 1)[-1].strip() + "\n")


def start(command: list[str], base_url: str, folder: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "BOT_API_URL": base_url.removesuffix("/bot"),
        "BOT_DB": str(folder / "bench.sqlite3"),
    }
    return subprocess.Popen(
        command, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


class Subject:
    """A bot process polling a fake Bot API of its own."""

    def __init__(self, command: list[str], folder: Path, profile: Path | None = None) -> None:
        self.profile = profile
        self.api = FakeBotAPI(token=TOKEN)
        self.server, base_url = serve(self.api)
        self.process = start(profiled(command, profile), base_url, folder)
        self.pushed = 0
        self.counted_from = 0.0
        wait_for(lambda: any(c.method == "getUpdates" for c in self.api.calls), 60, "polling")

    def push(self) -> None:
        self.api.push_update(message(self.api, self.pushed))
        self.pushed += 1

    def answered_all(self) -> bool:
        return replies(self.api) >= self.pushed

    def first_reply(self):
        return next(record for record in self.api.sent if record.method == "sendMessage")

    def cpu(self) -> float:
        return cpu_seconds(self.process.pid)

    def signal(self, number: int) -> None:
        if self.profile is not None:
            self.process.send_signal(number)

    def stop(self) -> None:
        if self.profile is not None:
            wait_for(self.profile.exists, 60, "the profile")
        self.process.terminate()
        self.process.wait(30)
        self.server.shutdown()


def feed(subjects: list[Subject], count: int, rate: float) -> None:
    """``count`` lookups to each subject at ``rate`` a second, then every reply."""
    started = time.monotonic()
    for number in range(1, count + 1):
        for subject in subjects:
            subject.push()
        time.sleep(max(0.0, started + number / rate - time.monotonic()))
    wait_for(lambda: all(subject.answered_all() for subject in subjects), 120, "every reply")


def measure(folder: Path, updates: int, rate: float, warm_up: int, profiles: Path | None):
    """CPU seconds per update of the bot and of the bare handler, fed side by side.

    Side by side, so whatever else the machine is doing weighs on both alike.
    """
    bot_profile = profiles / "bot.prof" if profiles else None
    bare_profile = profiles / "bare.prof" if profiles else None
    for path in (bot_profile, bare_profile):
        if path is not None:
            path.unlink(missing_ok=True)
    bot = Subject([str(ROOT / "bot.py"), "run"], folder / "bot", bot_profile)
    subjects = [bot]
    try:
        feed([bot], 1, rate)
        card = bot.first_reply()
        card_file = folder / "card.json"
        card_file.write_text(
            json.dumps({"text": card.text, "reply_markup": card.reply_markup}), encoding="utf-8"
        )
        bare_handler = Subject(
            [str(Path(__file__).resolve()), "--bare", str(card_file)],
            folder / "bare",
            bare_profile,
        )
        subjects.append(bare_handler)
        feed(subjects, warm_up, rate)
        for subject in subjects:
            subject.signal(signal.SIGUSR1)
        before = [subject.cpu() for subject in subjects]
        feed(subjects, updates, rate)
        used = [subject.cpu() - was for subject, was in zip(subjects, before, strict=True)]
        for subject in subjects:
            subject.signal(signal.SIGUSR2)
    finally:
        for subject in subjects:
            subject.stop()
    return used[0] / updates, used[1] / updates


def bare(card_file: str) -> None:
    """The bare handler process: PTB, AIORateLimiter, and one reply to every message."""
    from telegram import InlineKeyboardMarkup, LinkPreviewOptions
    from telegram.constants import ParseMode
    from telegram.ext import AIORateLimiter, ApplicationBuilder, MessageHandler, filters

    card = json.loads(Path(card_file).read_text(encoding="utf-8"))
    markup = InlineKeyboardMarkup.de_json(card["reply_markup"], None)
    application = (
        ApplicationBuilder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(f"{os.environ['BOT_API_URL']}/bot")
        .rate_limiter(AIORateLimiter(max_retries=3))
        .build()
    )

    async def reply(update, context) -> None:
        await context.bot.send_message(
            update.effective_chat.id,
            card["text"],
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )

    application.add_handler(MessageHandler(filters.ALL, reply))
    application.run_polling()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=25.0, help="updates a second to each")
    parser.add_argument("--warm-up", type=int, default=200)
    parser.add_argument(
        "--profile",
        type=Path,
        help="profile both processes over the measured updates: bot.prof, bare.prof in this folder",
    )
    parser.add_argument("--bare", help=argparse.SUPPRESS)  # the child process's mode
    parser.add_argument("--profile-child", help=argparse.SUPPRESS)  # a profiled child's mode
    arguments, rest = parser.parse_known_args()
    if arguments.profile_child:
        profile_child(arguments.profile_child, rest[rest.index("--") + 1 :])
        return
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if arguments.bare:
        bare(arguments.bare)
        return
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        for name in ("bot", "bare"):
            (folder / name).mkdir()
        profiles = arguments.profile.resolve() if arguments.profile else None
        if profiles is not None:
            profiles.mkdir(parents=True, exist_ok=True)
        bot_cpu, bare_cpu = measure(
            folder, arguments.updates, arguments.rate, arguments.warm_up, profiles
        )
    ratio = bare_cpu / bot_cpu
    print(
        f"CPU per update over HTTP, {arguments.updates} lookups to each at {arguments.rate:g}/s "
        f"from {USERS} chats, side by side, after {arguments.warm_up} to warm up "
        "(AIORateLimiter in both):"
    )
    print(f"  whole bot (python bot.py run)  {bot_cpu * 1000:6.2f} ms")
    print(f"  bare PTB handler, same card    {bare_cpu * 1000:6.2f} ms")
    print(
        f"  ratio bare / bot               {ratio:6.2f}   target >= {TARGET}  "
        f"{'ok' if ratio >= TARGET else 'LOW'}"
    )
    if arguments.profile:
        print("(profiled: these CPU figures include the profiler's own)\n")
        print_profile("whole bot", profiles / "bot.prof")
        print_profile("bare PTB handler", profiles / "bare.prof")


if __name__ == "__main__":
    main()
