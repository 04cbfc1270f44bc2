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
from string import Formatter
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from capped_files import FileRefused, read_capped
from languages import LANGUAGES

DEFAULT_API_URL = "https://api.telegram.org"
# BOT_REVIEW_DAY: a day of the week in English, whole or its first three letters.
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TOKEN_PATTERN = re.compile(r"^\d{3,15}:[A-Za-z0-9_-]{20,100}$")
# Telegram's rule for a webhook's secret_token is 1-256 of these; a short one
# is guessable, so the bot asks for 16 at least.
WEBHOOK_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,256}$")
# The only ports Telegram delivers webhooks to.
WEBHOOK_PORTS = (443, 80, 88, 8443)
# Paths the bot's own HTTP server answers besides the webhook.
SERVER_PATHS = ("/healthz", "/metrics")
# Where a name that is not in the data may be searched: Viasna's list, in the
# reader's language where it has one. Not checked against the live site (the
# bot never fetches it): BOT_NOT_FOUND_URL replaces it, or empty turns it off.
DEFAULT_NOT_FOUND_URL = "https://prisoners.spring96.org/{lang}/list?search={query}"
# The languages of Viasna's list pages ({lang}); a reader of another gets English.
NOT_FOUND_LANGUAGES = ("be", "en", "ru")
_NOT_FOUND_FIELDS = frozenset({"lang", "query"})


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
    # Webhook mode when set: Telegram posts updates to this public https URL.
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    listen: tuple[str, int] = ("0.0.0.0", 8080)  # the webhook server (with health, metrics)
    http_listen: tuple[str, int] | None = None  # health and metrics while polling
    backup_dir: Path | None = None  # daily backups go here when set
    backup_keep: int = 7
    stale_days: int = 90  # a case whose status is older than this is stale
    review_day: int = 0  # the weekly review of stale statuses: 0 is Monday, as date.weekday()
    # A chat following everyone or more than this many people gets one digest a day.
    digest_over: int = 3
    card_lead_days: int = 14  # birthday card reminders come this many days ahead
    # Days before today whose missed daily run is still run late (its alerts marked
    # with their day); older missed days are reported to the editors instead.
    catch_up_days: int = 3
    log_format: str = "text"
    # How long a delivery keeps being retried after the network or Telegram first fails it.
    give_up_hours: float = 24.0
    # The largest file read anywhere: CLI import and publish, editors' uploads, the fetch.
    max_file_mb: float = 5.0
    # Viasna's list fetched by the bot (alerts/sync_fetch.py): its CSV links, or the
    # list pages that carry them, one per language; none: no fetching.
    sync_urls: tuple[str, ...] = ()
    sync_every_hours: int = 6
    # A name that is not in the data gets a button to search here ({lang}, {query});
    # None: no button.
    not_found_url: str | None = DEFAULT_NOT_FOUND_URL

    @property
    def webhook_path(self) -> str:
        """The path the server takes webhook requests on: that of the public URL."""
        return urlsplit(self.webhook_url or "").path or "/"

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1_000_000)  # megabytes as cases.files counts them

    def __repr__(self) -> str:
        # The token (and the webhook secret) stay out of every repr, so they
        # cannot reach a log or traceback.
        token = "set" if self.token else "unset"
        return (
            f"Settings(token={token}, api_url={self.api_url!r}, db_path={str(self.db_path)!r}, "
            f"admins={sorted(self.admins)}, timezone={self.timezone.key!r}, "
            f"language={self.language!r})"
        )


# A settings file is a few dozen lines: anything near this is not one.
DOTENV_MAX_BYTES = 1_000_000


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; blank lines, # comments and lines without = are skipped, quotes stripped.

    A file that cannot be read, or is not UTF-8 text, is a ConfigError naming it.
    """
    values: dict[str, str] = {}
    if not path.exists():
        return values
    try:
        raw = read_capped(path, DOTENV_MAX_BYTES)
    except FileRefused as refused:
        raise ConfigError(str(path), str(refused)) from None
    except OSError as error:
        raise ConfigError(str(path), f"cannot be read: {error.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ConfigError(str(path), f"line {line} is not UTF-8 text") from None
    for line in text.splitlines():
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

    webhook_url, webhook_secret = webhook_settings(get)
    listen = address(get, "BOT_LISTEN", "0.0.0.0:8080")
    http_listen = address(get, "BOT_HTTP", None)
    if webhook_url and http_listen:
        raise ConfigError(
            "BOT_HTTP",
            "is for polling; with BOT_WEBHOOK_URL, /healthz and /metrics are on BOT_LISTEN",
        )

    backup_dir = get("BOT_BACKUP_DIR")
    log_format = (get("BOT_LOG_FORMAT") or "text").lower()
    if log_format not in ("text", "json"):
        raise ConfigError("BOT_LOG_FORMAT", f"must be text or json, got {log_format!r}")

    give_up_hours = _positive_number(
        get("BOT_GIVE_UP_HOURS"), "BOT_GIVE_UP_HOURS", 24.0, 24 * 365, "hours"
    )
    max_file_mb = _positive_number(
        get("BOT_MAX_FILE_MB"), "BOT_MAX_FILE_MB", 5.0, 1024, "megabytes"
    )

    sync_urls = sync_url_setting(get("BOT_SYNC_URL"))
    # Set but empty turns the button off; unset is Viasna's list.
    not_found_url = not_found_url_setting(env.get("BOT_NOT_FOUND_URL", DEFAULT_NOT_FOUND_URL))

    review_text = (get("BOT_REVIEW_DAY") or "monday").lower()
    review_day = next(
        (number for number, name in enumerate(WEEKDAYS) if review_text in (name, name[:3])), None
    )
    if review_day is None:
        raise ConfigError(
            "BOT_REVIEW_DAY", f"must be a day of the week (monday ... sunday), got {review_text!r}"
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
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        listen=listen,
        http_listen=http_listen,
        backup_dir=Path(backup_dir) if backup_dir else None,
        backup_keep=whole_number(get, "BOT_BACKUP_KEEP", 7, 1, 1000),
        stale_days=whole_number(get, "BOT_STALE_DAYS", 90, 1, 36500),
        review_day=review_day,
        digest_over=whole_number(get, "BOT_DIGEST_OVER", 3, 0, 100000),
        card_lead_days=whole_number(get, "BOT_CARD_LEAD_DAYS", 14, 1, 90),
        catch_up_days=whole_number(get, "BOT_CATCH_UP_DAYS", 3, 0, 30),
        log_format=log_format,
        give_up_hours=give_up_hours,
        max_file_mb=max_file_mb,
        sync_urls=sync_urls,
        sync_every_hours=whole_number(get, "BOT_SYNC_EVERY", 6, 1, 24 * 7),
        not_found_url=not_found_url,
    )


def not_found_url_setting(text: str) -> str | None:
    """BOT_NOT_FOUND_URL: an http(s) URL where {query} and {lang} may stand; empty: None."""
    url = text.strip()
    if not url:
        return None
    problem = (
        "must be an https:// URL, with {query} where the name goes and {lang} "
        f"where the language does, got {url!r}"
    )
    try:
        fields = [
            (name, spec, converted)
            for _, name, spec, converted in Formatter().parse(url)
            if name is not None
        ]
    except ValueError:  # a lone { or }
        raise ConfigError("BOT_NOT_FOUND_URL", problem) from None
    if any(name not in _NOT_FOUND_FIELDS or spec or converted for name, spec, converted in fields):
        raise ConfigError("BOT_NOT_FOUND_URL", problem)
    if not _https_url(url.format(lang="en", query="x")):
        raise ConfigError("BOT_NOT_FOUND_URL", problem)
    return url


# One export per language: ru, be and en.
MOST_SYNC_URLS = 3


def sync_url_setting(text: str | None) -> tuple[str, ...]:
    """BOT_SYNC_URL: comma-separated https:// URLs (the CSV links or the list pages)."""
    urls = [part.strip() for part in (text or "").split(",") if part.strip()]
    for url in urls:
        if not _https_url(url):
            raise ConfigError(
                "BOT_SYNC_URL", f"must be https:// URLs, comma-separated, got {url!r}"
            )
    if len(set(urls)) < len(urls):
        raise ConfigError("BOT_SYNC_URL", "names a URL twice")
    if len(urls) > MOST_SYNC_URLS:
        raise ConfigError(
            "BOT_SYNC_URL",
            f"at most {MOST_SYNC_URLS} URLs (one export per language), got {len(urls)}",
        )
    return tuple(urls)


def _https_url(url: str) -> bool:
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and not any(c.isspace() for c in url)


def webhook_settings(get) -> tuple[str | None, str | None]:
    """BOT_WEBHOOK_URL and BOT_WEBHOOK_SECRET, checked as Telegram would and more."""
    url = get("BOT_WEBHOOK_URL")
    secret = get("BOT_WEBHOOK_SECRET")
    if url is None:
        return None, secret
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme != "https" or not parts.hostname or port == -1:
        raise ConfigError("BOT_WEBHOOK_URL", f"must be a public https:// URL, got {url!r}")
    if port is not None and port not in WEBHOOK_PORTS:
        raise ConfigError("BOT_WEBHOOK_URL", "Telegram sends webhooks to ports 443, 80, 88 or 8443")
    if (parts.path or "/") in SERVER_PATHS:
        raise ConfigError("BOT_WEBHOOK_URL", f"the path {parts.path} is taken by the bot's server")
    if secret is None:
        raise ConfigError("BOT_WEBHOOK_SECRET", "is required with BOT_WEBHOOK_URL")
    if not WEBHOOK_SECRET_PATTERN.match(secret):
        # The value is a secret: never echoed.
        raise ConfigError(
            "BOT_WEBHOOK_SECRET", "must be 16-256 characters: letters, digits, _ and -"
        )
    return url, secret


def address(get, name: str, default: str | None) -> tuple[str, int] | None:
    """HOST:PORT (an IPv6 host in brackets) as a pair; None when unset without a default."""
    text = get(name) or default
    if text is None:
        return None
    match = re.fullmatch(r"\[?([^\[\]\s]*?)\]?:(\d{1,5})", text)
    if not match or not match[1] or int(match[2]) > 65535:
        raise ConfigError(name, f"must be HOST:PORT, e.g. 127.0.0.1:9090, got {text!r}")
    return match[1], int(match[2])


def whole_number(get, name: str, default: int, lowest: int, highest: int) -> int:
    text = get(name) or str(default)
    if not re.fullmatch(r"\d{1,6}", text) or not lowest <= int(text) <= highest:
        raise ConfigError(name, f"must be a whole number from {lowest} to {highest}, got {text!r}")
    return int(text)


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
