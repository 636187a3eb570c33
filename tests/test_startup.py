"""Start-up: the bot is built without waiting for what only its first FAQ question needs, and settles
right after (python -m bot run), in a process of its own as in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.config import ROOT

SCRIPT = """
import gc, sys
from bot.app import build_application
from bot.config import load_settings
from bot.runtime import Services, settle_in_background

services = Services.create(load_settings())
build_application(services, token="123:ABC")
print("built, pypinyin loaded:", "pypinyin" in sys.modules, "jieba:", "jieba" in sys.modules)
settle_in_background(services).join()
print("settled, pypinyin loaded:", "pypinyin" in sys.modules, "jieba:", "jieba" in sys.modules,
      "frozen:", gc.get_freeze_count() > 100_000)
print(services.faq.ask("几分入学怎么算分").matches[0].entry_id)
"""


def test_the_bot_is_built_without_pypinyin_and_loads_it_right_after(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/startup.db",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    built, settled, answer = result.stdout.splitlines()
    assert built == "built, pypinyin loaded: False jieba: False"
    assert settled == "settled, pypinyin loaded: True jieba: True frozen: True"
    assert answer.startswith("migrant-points")  # the homophone typo 几分 → 积分 still found
