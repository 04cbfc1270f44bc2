"""Configuration: good values load, each bad one names its variable, the token never leaks."""

import subprocess
import sys
from pathlib import Path

import pytest

from config import ConfigError, load_settings
from languages import LANGUAGES

ROOT = Path(__file__).parents[1]
TOKEN = "4242:test_token_not_a_real_one_0123456789"


def settings_from(env, **kwargs):
    return load_settings(env, dotenv=None, **kwargs)


def test_defaults():
    settings = settings_from({})
    assert settings.api_url == "https://api.telegram.org"
    assert settings.db_path == Path("casewatch.sqlite3")
    assert settings.timezone.key == "Europe/Minsk"
    assert settings.language == "en"
    assert settings.admins == frozenset()
    assert (settings.alert_time.hour, settings.alert_time.minute) == (10, 0)
    assert settings.give_up_hours == 24
    assert settings.max_file_bytes == 5_000_000
    assert settings.stale_days == 90
    assert settings.review_day == 0  # Monday
    assert (settings.digest_over, settings.card_lead_days) == (3, 14)
    assert (settings.sync_urls, settings.sync_every_hours) == ((), 6)


def test_values_are_read():
    settings = settings_from(
        {
            "BOT_TOKEN": TOKEN,
            "BOT_API_URL": "http://127.0.0.1:8081/",
            "BOT_DB": "/tmp/x.db",
            "BOT_ADMINS": "1, 22,333",
            "BOT_TIMEZONE": "Europe/Vilnius",
            "BOT_LANGUAGE": "be",
            "BOT_ALERT_TIME": "09:30",
            "BOT_BROADCAST_RATE": "30",
            "BOT_GIVE_UP_HOURS": "72",
            "BOT_MAX_FILE_MB": "0.5",
            "BOT_STALE_DAYS": "60",
            "BOT_REVIEW_DAY": "Fri",
            "BOT_DIGEST_OVER": "0",
            "BOT_CARD_LEAD_DAYS": "21",
            "BOT_CATCH_UP_DAYS": "0",
        }
    )
    assert settings.token == TOKEN
    assert settings.api_url == "http://127.0.0.1:8081"
    assert settings.admins == {1, 22, 333}
    assert settings.timezone.key == "Europe/Vilnius"
    assert settings.language == "be"
    assert settings.broadcast_rate == 30
    assert settings.give_up_hours == 72
    assert settings.max_file_bytes == 500_000
    assert settings.stale_days == 60
    assert settings.review_day == 4
    assert (settings.digest_over, settings.card_lead_days) == (0, 21)
    assert settings.catch_up_days == 0
    assert settings_from({}).catch_up_days == 3
    assert settings_from({"BOT_REVIEW_DAY": "sunday"}).review_day == 6


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("BOT_TOKEN", "not-a-token", "does not look like a bot token"),
        ("BOT_API_URL", "ftp://example.org", "must be an http(s) URL"),
        ("BOT_ADMINS", "12,abc", "comma-separated user ids"),
        ("BOT_TIMEZONE", "Mars/Olympus", "unknown time zone"),
        ("BOT_LANGUAGE", "de", f"must be one of {', '.join(LANGUAGES)}"),
        ("BOT_ALERT_TIME", "25:00", "must be HH:MM"),
        ("BOT_BROADCAST_RATE", "fast", "messages per second"),
        ("BOT_GIVE_UP_HOURS", "0", "must be a number of hours"),
        ("BOT_GIVE_UP_HOURS", "forever", "must be a number of hours"),
        ("BOT_MAX_FILE_MB", "-1", "must be a number of megabytes"),
        ("BOT_MAX_FILE_MB", "nan", "must be a number of megabytes"),
        ("BOT_REVIEW_DAY", "someday", "day of the week"),
        ("BOT_DIGEST_OVER", "many", "whole number"),
        ("BOT_CARD_LEAD_DAYS", "0", "from 1 to 90"),
        ("BOT_CARD_LEAD_DAYS", "120", "from 1 to 90"),
        ("BOT_CATCH_UP_DAYS", "-1", "from 0 to 30"),
        ("BOT_CATCH_UP_DAYS", "31", "from 0 to 30"),
    ],
)
def test_bad_value_names_the_variable(variable, value, expected):
    with pytest.raises(ConfigError) as raised:
        settings_from({variable: value})
    assert str(raised.value).startswith(f"{variable}: ")
    assert expected in str(raised.value)


WEBHOOK = {"BOT_WEBHOOK_URL": "https://bot.example.org/hook", "BOT_WEBHOOK_SECRET": "s" * 32}


def test_operations_settings_are_read():
    settings = settings_from(
        {
            **WEBHOOK,
            "BOT_LISTEN": "[::1]:8443",
            "BOT_BACKUP_DIR": "/var/backups/casewatch",
            "BOT_BACKUP_KEEP": "14",
            "BOT_STALE_DAYS": "30",
            "BOT_LOG_FORMAT": "JSON",
        }
    )
    assert settings.webhook_url == "https://bot.example.org/hook"
    assert settings.webhook_path == "/hook"
    assert settings.listen == ("::1", 8443)
    assert settings.http_listen is None
    assert settings.backup_dir == Path("/var/backups/casewatch")
    assert (settings.backup_keep, settings.stale_days, settings.log_format) == (14, 30, "json")
    assert "s" * 32 not in repr(settings)
    polling = settings_from({"BOT_HTTP": "127.0.0.1:9090"})
    assert (polling.webhook_url, polling.http_listen) == (None, ("127.0.0.1", 9090))
    assert polling.listen == ("0.0.0.0", 8080)
    assert (polling.backup_dir, polling.backup_keep, polling.stale_days) == (None, 7, 90)


@pytest.mark.parametrize(
    ("env", "variable", "expected"),
    [
        ({"BOT_WEBHOOK_URL": "http://bot.example.org/hook"}, "BOT_WEBHOOK_URL", "https://"),
        ({**WEBHOOK, "BOT_WEBHOOK_URL": "https://x.org:8080/h"}, "BOT_WEBHOOK_URL", "443, 80"),
        ({**WEBHOOK, "BOT_WEBHOOK_URL": "https://x.org/healthz"}, "BOT_WEBHOOK_URL", "taken"),
        ({"BOT_WEBHOOK_URL": "https://x.org/hook"}, "BOT_WEBHOOK_SECRET", "is required"),
        ({**WEBHOOK, "BOT_WEBHOOK_SECRET": "short"}, "BOT_WEBHOOK_SECRET", "16-256 characters"),
        ({**WEBHOOK, "BOT_WEBHOOK_SECRET": "x" * 20 + "!"}, "BOT_WEBHOOK_SECRET", "letters"),
        ({**WEBHOOK, "BOT_HTTP": "127.0.0.1:9090"}, "BOT_HTTP", "is for polling"),
        ({"BOT_LISTEN": "8080"}, "BOT_LISTEN", "HOST:PORT"),
        ({"BOT_HTTP": "localhost:99999"}, "BOT_HTTP", "HOST:PORT"),
        ({"BOT_BACKUP_KEEP": "0"}, "BOT_BACKUP_KEEP", "from 1 to 1000"),
        ({"BOT_STALE_DAYS": "soon"}, "BOT_STALE_DAYS", "whole number"),
        ({"BOT_LOG_FORMAT": "xml"}, "BOT_LOG_FORMAT", "text or json"),
    ],
)
def test_bad_operations_setting_names_the_variable(env, variable, expected):
    with pytest.raises(ConfigError) as raised:
        settings_from(env)
    assert str(raised.value).startswith(f"{variable}: ")
    assert expected in str(raised.value)
    assert env.get("BOT_WEBHOOK_SECRET", "-") not in str(raised.value)  # never echoed


def test_the_list_s_urls_are_read():
    settings = settings_from(
        {
            "BOT_SYNC_URL": " https://prisoners.example.org/ru/list , "
            "https://prisoners.example.org/be/export.csv?x=1,",
            "BOT_SYNC_EVERY": "12",
        }
    )
    assert settings.sync_urls == (
        "https://prisoners.example.org/ru/list",
        "https://prisoners.example.org/be/export.csv?x=1",
    )
    assert settings.sync_every_hours == 12


LIST = "https://prisoners.example.org/ru/list"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"BOT_SYNC_URL": "http://prisoners.example.org/ru/list"}, "must be https:// URLs"),
        ({"BOT_SYNC_URL": f"{LIST},http://prisoners.example.org/en/list"}, "'http://"),
        ({"BOT_SYNC_URL": "prisoners.example.org/ru/list"}, "must be https:// URLs"),
        ({"BOT_SYNC_URL": "https:///ru/list"}, "must be https:// URLs"),
        ({"BOT_SYNC_URL": "https://prisoners.example.org:port/ru"}, "must be https:// URLs"),
        ({"BOT_SYNC_URL": f"{LIST},{LIST}"}, "names a URL twice"),
        ({"BOT_SYNC_URL": ",".join(f"{LIST}?{n}" for n in range(4))}, "at most 3 URLs"),
        ({"BOT_SYNC_EVERY": "0"}, "from 1 to 168"),
        ({"BOT_SYNC_EVERY": "1.5"}, "whole number"),
    ],
)
def test_a_bad_list_setting_is_one_line_naming_it(env, expected):
    with pytest.raises(ConfigError) as raised:
        settings_from(env)
    [variable] = env
    assert str(raised.value).startswith(f"{variable}: ")
    assert expected in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "url",
    [
        "http://prisoners.example.org/list?search={query}",  # not https
        "prisoners.example.org/list?search={query}",
        "https://prisoners.example.org/list?search={name}",  # no such placeholder
        "https://prisoners.example.org/list?search={}",
        "https://prisoners.example.org/list?search={query!r}",
        "https://prisoners.example.org/list?search={query",
        "https://prisoners.example.org/list search={query}",
    ],
)
def test_a_bad_not_found_url_is_one_line_naming_it(url):
    with pytest.raises(ConfigError) as raised:
        settings_from({"BOT_NOT_FOUND_URL": url})
    assert str(raised.value).startswith("BOT_NOT_FOUND_URL: must be an https:// URL")
    assert "\n" not in str(raised.value)


def test_the_not_found_url_from_a_dotenv_may_be_empty(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("BOT_NOT_FOUND_URL=\n", encoding="utf-8")
    assert load_settings({}, dotenv=dotenv).not_found_url is None
    dotenv.write_text("BOT_LANGUAGE=ru\n", encoding="utf-8")
    assert load_settings({}, dotenv=dotenv).not_found_url == (
        "https://prisoners.spring96.org/{lang}/list?search={query}"
    )


def test_dotenv_lines_without_equals_are_skipped(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("just some words\nBOT_LANGUAGE=ru\n", encoding="utf-8")
    assert load_settings({}, dotenv=dotenv).language == "ru"


def test_a_dotenv_that_is_not_a_settings_file_is_refused_unread(tmp_path):
    device = tmp_path / "device.env"
    device.symlink_to("/dev/zero")  # says 0 bytes, never ends
    with pytest.raises(ConfigError, match=r"device\.env: is not a regular file$"):
        load_settings({}, dotenv=device)
    huge = tmp_path / "huge.env"
    huge.write_bytes(b"# padding\n" * 200_000)
    with pytest.raises(ConfigError, match=r"huge\.env: is 2\.0 MB; files of up to 1 MB are read"):
        load_settings({}, dotenv=huge)


def test_run_needs_a_token():
    with pytest.raises(ConfigError, match=r"^BOT_TOKEN: is not set"):
        settings_from({}, need_token=True)


def test_dotenv_is_read_and_environment_wins(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text('# comment\nBOT_LANGUAGE="ru"\nexport BOT_ADMINS=7\n', encoding="utf-8")
    settings = load_settings({"BOT_ADMINS": "8"}, dotenv=dotenv)
    assert settings.language == "ru"
    assert settings.admins == {8}


def test_token_is_not_in_repr():
    settings = settings_from({"BOT_TOKEN": TOKEN})
    assert TOKEN not in repr(settings)
    assert TOKEN.split(":")[1] not in str(settings)


def run_bot(args, env):
    return subprocess.run(
        [sys.executable, "bot.py", *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_start_up_error_is_one_line_without_traceback(tmp_path):
    result = run_bot(
        ["run"],
        {
            "BOT_TOKEN": TOKEN,
            "BOT_TIMEZONE": "Nowhere/City",
            "BOT_DB": str(tmp_path / "db.sqlite3"),
        },
    )
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "configuration error: BOT_TIMEZONE: unknown time zone 'Nowhere/City'"
    )
    assert "Traceback" not in result.stderr
    assert TOKEN not in result.stderr + result.stdout


def test_missing_token_stops_run(tmp_path):
    result = run_bot(["run"], {"BOT_DB": str(tmp_path / "db.sqlite3")})
    assert result.returncode == 2
    assert result.stderr.strip().startswith("configuration error: BOT_TOKEN: is not set")


def test_bad_token_is_not_echoed(tmp_path):
    bad = "123:" + "x" * 5 + "secret"
    result = run_bot(["run"], {"BOT_TOKEN": bad, "BOT_DB": str(tmp_path / "db.sqlite3")})
    assert result.returncode == 2
    assert "secret" not in result.stderr
