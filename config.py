"""Settings read from the environment (and an optional ``.env`` file).

A bad value stops start-up with one line naming the variable; the token is
never part of that line.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cases.model import LANGUAGES

DEFAULT_API_URL = "https://api.telegram.org"
TOKEN_PATTERN = re.compile(r"^\d{3,15}:[A-Za-z0-9_-]{20,100}$")


class ConfigError(Exception):
    """One line for the operator: which variable, and what is wrong with it."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable


@dataclass(frozen=True)
class Settings:
    token: str | None = field(default=None, repr=False)
    api_url: str = DEFAULT_API_URL
    db_path: Path = Path("casewatch.sqlite3")
    admins: frozenset[int] = frozenset()
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Minsk"))
    language: str = "en"
    alert_time: time = time(10, 0)
    broadcast_rate: float = 25.0
    # How long a delivery keeps being retried after the network or Telegram first fails it.
    give_up_hours: float = 24.0
    # The largest file read anywhere: CLI import and publish, editors' uploads.
    max_file_mb: float = 5.0

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1_000_000)  # megabytes as cases.files counts them

    def __repr__(self) -> str:
        # The token stays out of every repr, so it cannot reach a log or traceback.
        token = "set" if self.token else "unset"
        return (
            f"Settings(token={token}, api_url={self.api_url!r}, db_path={str(self.db_path)!r}, "
            f"admins={sorted(self.admins)}, timezone={self.timezone.key!r}, "
            f"language={self.language!r})"
        )


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; blank lines and # comments are skipped, quotes stripped."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key = key.removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


def load_settings(
    environ: dict[str, str] | None = None,
    *,
    dotenv: Path | None = Path(".env"),
    need_token: bool = False,
) -> Settings:
    """Settings from ``environ`` over ``.env``; raises ConfigError on the first bad value."""
    env = read_dotenv(dotenv) if dotenv else {}
    env.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    token = get("BOT_TOKEN")
    if need_token and token is None:
        raise ConfigError("BOT_TOKEN", "is not set; get one from @BotFather")
    if token is not None and not TOKEN_PATTERN.match(token):
        raise ConfigError("BOT_TOKEN", "does not look like a bot token (digits:letters)")

    api_url = (get("BOT_API_URL") or DEFAULT_API_URL).rstrip("/")
    if not re.match(r"^https?://[^\s/]+", api_url):
        raise ConfigError("BOT_API_URL", f"must be an http(s) URL, got {api_url!r}")

    admins: set[int] = set()
    for part in (get("BOT_ADMINS") or "").split(","):
        part = part.strip()
        if not part:
            continue
        if not re.fullmatch(r"\d{1,20}", part):
            raise ConfigError("BOT_ADMINS", f"must be comma-separated user ids, got {part!r}")
        admins.add(int(part))

    zone_name = get("BOT_TIMEZONE") or "Europe/Minsk"
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("BOT_TIMEZONE", f"unknown time zone {zone_name!r}") from None

    language = get("BOT_LANGUAGE") or "en"
    if language not in LANGUAGES:
        choices = ", ".join(LANGUAGES)
        raise ConfigError("BOT_LANGUAGE", f"must be one of {choices}, got {language!r}")

    alert_text = get("BOT_ALERT_TIME") or "10:00"
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", alert_text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ConfigError("BOT_ALERT_TIME", f"must be HH:MM, got {alert_text!r}")

    rate_text = get("BOT_BROADCAST_RATE") or "25"
    try:
        rate = float(rate_text)
    except ValueError:
        rate = 0.0
    if not 0 < rate <= 1000:
        raise ConfigError(
            "BOT_BROADCAST_RATE", f"must be messages per second (0-1000), got {rate_text!r}"
        )

    give_up_hours = _positive_number(
        get("BOT_GIVE_UP_HOURS"), "BOT_GIVE_UP_HOURS", 24.0, 24 * 365, "hours"
    )
    max_file_mb = _positive_number(
        get("BOT_MAX_FILE_MB"), "BOT_MAX_FILE_MB", 5.0, 1024, "megabytes"
    )

    return Settings(
        token=token,
        api_url=api_url,
        db_path=Path(get("BOT_DB") or "casewatch.sqlite3"),
        admins=frozenset(admins),
        timezone=zone,
        language=language,
        alert_time=time(int(match[1]), int(match[2])),
        broadcast_rate=rate,
        give_up_hours=give_up_hours,
        max_file_mb=max_file_mb,
    )


def _positive_number(text: str | None, variable: str, default: float, most: float, unit: str):
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= most:
        raise ConfigError(
            variable, f"must be a number of {unit} (above 0, at most {most:g}), got {text!r}"
        )
    return value
