"""The console: the real bot in a terminal, fed from standard input."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def console(text: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    return subprocess.run(
        [sys.executable, "bot.py", "console"],
        input=text,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**environment, **env},
    )


def test_piped_lookup_prints_the_card_and_exits():
    result = console("/defender Бяляцкі\n")
    assert result.returncode == 0, result.stderr
    assert "Ales Bialiatski\nАлесь Бяляцкі · Aleś Bialacki · Алесь Беляцкий" in result.stdout
    assert "Status: in exile (released and forced out of the country), as of 15 December" in (
        result.stdout
    )
    assert "[2] 🗓 Timeline\n  [3] 📚 Sources\n" in result.stdout
    assert "<b>" not in result.stdout  # plain text, not HTML


def test_numbers_press_buttons():
    result = console("/list\n4\n")
    assert result.returncode == 0, result.stderr
    listing, _, after = result.stdout.partition("> 4\n")
    assert "  [4] Rabkova, Marfa" in listing
    assert after.startswith("Marfa Rabkova")


def test_uses_its_own_database_unless_told(tmp_path):
    database = tmp_path / "chosen.sqlite3"
    result = console("/language\n2\n", BOT_DB=str(database))
    assert result.returncode == 0, result.stderr
    assert database.exists()
    assert not (ROOT / "casewatch.sqlite3").exists()


def test_a_button_that_is_gone_is_answered_not_a_crash():
    # /language's buttons go when one is pressed; pressing that number again is too late.
    result = console("/language\n1\n1\n/defender Бяляцкі\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    _, _, after = result.stdout.partition("> 1\n")
    _, _, again = after.partition("> 1\n")
    assert again.startswith("(This button has expired.)\n")
    assert "Ales Bialiatski" in again  # and the console goes on
