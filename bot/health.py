"""The running bot's liveness, for `python -m bot health` (the image's HEALTHCHECK).

The bot's `heartbeat` job (bot/jobs.py) asks the Bot API (getMe) and the database (SELECT 1) every
HEALTH_EVERY_SECONDS and, with long polling, whether updates are still being fetched; each time all
answer, it writes the time into STATUS_FILE (a small JSON file, replaced atomically). `health` judges
that file from another process: no success within HEALTH_STALE_SECONDS (the bot is stuck, stopped, cut
off from Telegram or from its database) is unhealthy."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any


def read(path: Path) -> dict[str, Any] | None:
    try:
        status = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return status if isinstance(status, dict) else None


def record(path: Path, *, problem: str | None, now: float) -> None:
    """Note one check: its time, and what failed (None: all answered)."""
    previous = read(path) or {}
    status = {
        "ok_at": now if problem is None else previous.get("ok_at"),
        "checked_at": now,
        "problem": problem,
        "pid": os.getpid(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(json.dumps(status), encoding="utf-8")
    os.replace(partial, path)  # a reader sees the old status or the new one, never half of one


def clear(path: Path) -> None:
    """At start and at shut-down: no status until this process's first check has passed."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def problem(path: Path, *, stale_after: float, now: float) -> str | None:
    """Why the bot writing `path` is not healthy, or None when it checked in successfully lately."""
    status = read(path)
    if status is None:
        return f"no status in {path}: the bot is not running, or has not completed a check yet"
    ok_at = status.get("ok_at")
    last = f"; the last check failed: {status['problem']}" if status.get("problem") else ""
    if not isinstance(ok_at, int | float):
        return f"no check has passed since the bot started{last}"
    if now - ok_at > stale_after:
        return f"no check has passed for {now - ok_at:.0f} s (more than {stale_after:g} s){last}"
    return None
