"""Settings: wrong values stop start-up with a message naming the variable; the token stays secret."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # no developer .env is read
    for name in (
        "BOT_TOKEN",
        "ADMIN_IDS",
        "DATABASE_URL",
        "WEBHOOK_URL",
        "WEBHOOK_SECRET",
        "TELEGRAM_API_BASE_URL",
        "TIMEZONE",
    ):
        monkeypatch.delenv(name, raising=False)


def test_defaults_use_sqlite_under_data() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///data/pufabot.db"
    assert settings.admin_ids == frozenset() and settings.default_language == "zh"


def test_admin_ids_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", "12, 34")
    assert load_settings().admin_ids == {12, 34}


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ADMIN_IDS", "12,abc"),
        ("WEBHOOK_URL", "not a url"),
        ("TELEGRAM_API_BASE_URL", "localhost:8081"),
        ("DATABASE_URL", "mysql://x"),
        ("TIMEZONE", "Mars/Olympus"),
        ("WEBHOOK_SECRET", "has spaces!"),
        ("WEBHOOK_SECRET", "x" * 257),
    ],
)
def test_a_wrong_value_names_the_variable(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=variable):
        load_settings()


def test_the_token_is_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123456:VERY-SECRET")
    settings = load_settings()
    assert "VERY-SECRET" not in repr(settings) and "VERY-SECRET" not in str(settings.model_dump())


def test_a_self_hosted_bot_api_server_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://localhost:8081/bot")
    assert load_settings().telegram_api_base_url == "http://localhost:8081/bot"


def test_a_webhook_needs_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().webhook_problem() is None  # long polling
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram")
    problem = load_settings().webhook_problem()
    assert problem is not None and problem.startswith("WEBHOOK_SECRET must be set when WEBHOOK_URL is set")
    monkeypatch.setenv("WEBHOOK_SECRET", "Abc_123-xyz")
    assert load_settings().webhook_problem() is None
