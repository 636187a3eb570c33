"""Settings from the environment (and an optional `.env` file).

A wrong value stops start-up with a message that names the variable; the token is a secret and is
never printed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/pufabot.db"
WEBHOOK_SECRET_RULE = "1-256 characters: A-Z a-z 0-9 _ -"


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable."""


def _check_url(name: str, value: str | None, schemes: tuple[str, ...] = ("http", "https")) -> str | None:
    if value is None or value == "":
        return None
    parsed = urlparse(value)
    if parsed.scheme not in schemes or not parsed.netloc:
        raise ValueError(f"{name} is not a valid {'/'.join(schemes)} URL")
    return value


def default_content_dir() -> Path:
    """content/ of this checkout; for an installed package (no checkout around it), content/ in the
    working directory, like the default database."""
    checkout = ROOT / "content"
    return checkout if checkout.is_dir() else Path("content")


def default_quizzes_dir(content_dir: Path) -> Path:
    """The folder quizzes beside the content (as in the repository and the image), else as for content."""
    beside = content_dir.parent / "quizzes"
    if beside.is_dir():
        return beside
    checkout = ROOT / "quizzes"
    return checkout if checkout.is_dir() else Path("quizzes")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_api_base_file_url: str = "https://api.telegram.org/file/bot"
    database_url: str = DEFAULT_DATABASE_URL
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_language: Literal["zh", "en"] = "zh"
    timezone: str = "Asia/Shanghai"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    content_dir: Path = Field(default_factory=default_content_dir)
    quizzes_dir: Path = Path("quizzes")  # unset: see default_quizzes_dir
    curator_chat_id: int | None = None
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    # The admin dashboard (a Telegram Mini App, bot/web/): its public https URL, which Telegram requires
    # for Mini Apps (a reverse proxy passes it on to DASHBOARD_LISTEN:DASHBOARD_PORT); none: no dashboard.
    dashboard_url: str | None = None
    dashboard_listen: str = "127.0.0.1"
    dashboard_port: int = Field(default=8080, ge=1, le=65535)
    # Background work (bot/jobs.py): how often each periodic job runs, in seconds.
    expire_every_seconds: float = Field(default=10, gt=0, le=3600)
    group_every_seconds: float = Field(default=3, gt=0, le=3600)
    reading_every_seconds: float = Field(default=60, gt=0, le=3600)
    broadcast_every_seconds: float = Field(default=2, gt=0, le=3600)
    report_every_seconds: float = Field(default=60, gt=0, le=3600)  # scheduled campaign reports
    database_check_seconds: float = Field(default=10, gt=0, le=3600)  # is the SQLite file still there?
    # the curators' FAQ wordings as the database holds them: another copy's additions and erasures
    faq_wordings_every_seconds: float = Field(default=60, gt=0, le=3600)
    # Liveness (bot/health.py): how often the bot checks that the Bot API and the database answer and
    # notes it in STATUS_FILE (empty: not at all), and after how long without a success `health` fails.
    status_file: Path | None = Path("data/status.json")
    health_every_seconds: float = Field(default=15, gt=0, le=3600)
    health_stale_seconds: float = Field(default=60, gt=0, le=24 * 3600)
    # Bulk messages (broadcasts and the daily reading together) per second at most, over any one-second
    # window (Telegram allows ~30 per bot), and how many are in flight at once, so that the rate is not
    # bounded by the round trip to Telegram.
    bulk_rate: int = Field(default=25, ge=1, le=30)
    bulk_concurrency: int = Field(default=12, ge=1, le=30)
    # Replies in one private chat: a burst of this many, then this many a second (Telegram asks for
    # about one message a second per chat). Groups get Telegram's 20 a minute.
    chat_burst: int = Field(default=10, ge=1, le=1000)
    chat_rate: float = Field(default=2, gt=0, le=1000)
    # A group round's poll stays open this long (Telegram allows 5-600 s), then a pause before the next.
    group_poll_seconds: int = Field(default=30, ge=5, le=600)
    group_gap_seconds: float = Field(default=3, ge=0, le=600)
    # The practice mock exam's time limit.
    mock_exam_seconds: int = Field(default=900, ge=5, le=24 * 3600)

    @model_validator(mode="before")
    @classmethod
    def _quizzes_beside_content(cls, values: object) -> object:
        """QUIZZES_DIR defaults to the folder `quizzes` beside CONTENT_DIR when there is one, so that one
        variable (CONTENT_DIR) places all content, as in the repository and the image."""
        if isinstance(values, dict) and not values.get("quizzes_dir"):
            content = values.get("content_dir") or default_content_dir()
            return {**values, "quizzes_dir": default_quizzes_dir(Path(content))}
        return values

    @field_validator("status_file", mode="before")
    @classmethod
    def _status_file(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> frozenset[int]:
        if value is None or value == "":
            return frozenset()
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            if not all(p.lstrip("-").isascii() and p.lstrip("-").isdigit() for p in parts):
                raise ValueError("ADMIN_IDS must be comma-separated numeric Telegram user ids")
            return frozenset(int(p) for p in parts)
        if isinstance(value, int):
            return frozenset({value})
        return frozenset(value)  # type: ignore[call-overload]

    @field_validator("telegram_api_base_url", "telegram_api_base_file_url")
    @classmethod
    def _api_urls(cls, value: str, info: object) -> str:
        name = getattr(info, "field_name", "URL").upper()
        return _check_url(name, value) or value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        return _check_url("WEBHOOK_URL", value, ("https", "http"))

    @field_validator("dashboard_url")
    @classmethod
    def _dashboard_url(cls, value: str | None) -> str | None:
        checked = _check_url("DASHBOARD_URL", value, ("https", "http"))
        return checked.rstrip("/") if checked else None

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):  # Telegram's setWebhook rule
            raise ValueError(f"WEBHOOK_SECRET must be {WEBHOOK_SECRET_RULE}")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not (value.startswith("sqlite+aiosqlite://") or value.startswith("postgresql+asyncpg://")):
            raise ValueError("DATABASE_URL must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"TIMEZONE {value!r} is not a known time zone") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_super_admin(self, user_id: int) -> bool:
        return user_id in self.admin_ids

    def webhook_problem(self) -> str | None:
        """Why `run` cannot serve a webhook as configured, or None. Without a secret anyone who finds
        the URL could post forged updates; only `run` asks, so `check` and `console` are unaffected."""
        if self.webhook_url and self.webhook_secret is None:
            return (
                "WEBHOOK_SECRET must be set when WEBHOOK_URL is set: Telegram sends it with every update,"
                f" and updates without it are refused ({WEBHOOK_SECRET_RULE})"
            )
        return None


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning validation errors into one readable ConfigError."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            variable = "_".join(str(p) for p in err["loc"]).upper() or "settings"
            message = str(err["msg"]).removeprefix("Value error, ")
            lines.append(f"{variable}: {message}")
        raise ConfigError("Invalid configuration:\n  " + "\n  ".join(lines)) from None
