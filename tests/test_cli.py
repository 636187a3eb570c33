"""The command line as a newcomer meets it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import ROOT

FAKE_TOKEN = "123:ABC"


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120
    )


def test_check_passes_on_the_shipped_content(capsys: pytest.CaptureFixture[str], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    assert main(["check"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].startswith("ok: ") and "FAQ entries" in lines[-1]
    assert any("site.yaml still holds" in line and "SAMPLE value(s)" in line for line in lines)


def test_check_reports_file_and_line(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    content = tmp_path / "content"
    (content / "locales").mkdir(parents=True)
    for name in ("zh.yaml", "en.yaml"):
        (content / "locales" / name).write_text(
            (ROOT / "content" / "locales" / name).read_text("utf-8"), "utf-8"
        )
    (content / "schools.yaml").write_text(
        "towns:\n  - id: t1\n    name: 一镇\n    schools:\n      - {id: s1, name: 一小, kind: primry}\n",
        "utf-8",
    )
    monkeypatch.setenv("CONTENT_DIR", str(content))
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "schools.yaml:5:" in out and "kind" in out


def test_run_without_a_token_explains_how_to_get_one(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    result = run("run", cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert "@BotFather" in result.stderr and "console" in result.stderr


def test_console_lets_a_person_register(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/console.db",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        cwd=tmp_path,
        env=env,
        text=True,
        input="1\n2\n城关中学\n1\n'3\n:q\n",
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "[1] 📝 法律知识答题" in result.stdout
    assert "登记完成" in result.stdout and "城关中学" in result.stdout
    # '3 is the text 3 (a 学号 can be typed), not the third button
    assert "(no such button)" not in result.stdout and "没看明白你的意思" in result.stdout


def test_report_writes_the_campaign_workbook(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/report.db")
    out = tmp_path / "report.xlsx"
    assert main(["report", "constitution-day-2026", "--out", str(out)]) == 0
    assert load_workbook(out).sheetnames == [
        "说明",
        "汇总",
        "镇街",
        "学校",
        "班级",
        "证书登记",
        "未通过人员",
        "题目分析",
    ]
    assert main(["report", "no-such-campaign", "--out", str(out)]) == 2


@pytest.fixture
def no_telegram(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The Bot API URLs requested (none, in these tests)."""
    from telegram.request import HTTPXRequest

    requested: list[str] = []

    async def do_request(self, url: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        requested.append(url)
        raise AssertionError("Telegram was contacted")

    monkeypatch.setattr(HTTPXRequest, "do_request", do_request)
    return requested


@pytest.mark.parametrize("command", ["run", "console"])
@pytest.mark.parametrize("where", ["postgres", "sqlite"])
def test_an_unreachable_database_is_one_line(  # type: ignore[no-untyped-def]
    command: str, where: str, tmp_path: Path, monkeypatch, capsys, no_telegram: list[str]
) -> None:
    (tmp_path / "a-file").write_text("", "utf-8")  # so that a folder cannot be made under it
    url, shown = {
        "postgres": (  # nothing listens on port 1; the password is never shown
            "postgresql+asyncpg://postgres:hunter2@127.0.0.1:1/none",
            "postgresql+asyncpg://postgres:***@127.0.0.1:1/none (connection refused)",
        ),
        "sqlite": (
            f"sqlite+aiosqlite:///{tmp_path}/a-file/data/bot.db",
            f"sqlite+aiosqlite:///{tmp_path}/a-file/data/bot.db ({tmp_path}/a-file/data: not a directory)",
        ),
    }[where]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", FAKE_TOKEN)
    monkeypatch.setenv("DATABASE_URL", url)
    assert main([command]) == 1
    assert capsys.readouterr().err == f"database unreachable: {shown}\n"
    assert no_telegram == []


def test_a_webhook_without_a_secret_does_not_start(  # type: ignore[no-untyped-def]
    tmp_path: Path, monkeypatch, capsys, no_telegram: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", FAKE_TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram")
    monkeypatch.delenv("WEBHOOK_SECRET", raising=False)
    assert main(["run"]) == 2
    assert "WEBHOOK_SECRET must be set when WEBHOOK_URL is set" in capsys.readouterr().err
    assert no_telegram == []


@pytest.mark.bot_errors_expected  # provoked on purpose
def test_an_unexpected_error_is_logged_without_the_token(tmp_path: Path, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    """Through logging (and its token filter), not Python's own traceback printer."""
    import bot.__main__

    token = "123456:VERY-SECRET"

    def rejected(*_args: object) -> int:
        raise RuntimeError(f"The token `{token}` was rejected by the server.")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", token)
    monkeypatch.setattr(bot.__main__, "cmd_check", rejected)
    assert main(["check"]) == 1
    assert "The token `<token>` was rejected" in caplog.text and token not in caplog.text
