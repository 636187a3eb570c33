"""The package as `pip install .` installs it (as the Docker image does), run from a working directory
with nothing of the repository in it: the content is found through CONTENT_DIR, the migrations ship
inside the package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ROOT

SOURCES = ("pyproject.toml", "setup.py", "README.md", "bot", "alembic")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from a copy of the sources (offline, with this environment's setuptools) and
    installed into a folder of its own."""
    source, target = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("site")
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(source / "dist"), str(source)],
                   check=True, capture_output=True, timeout=300)  # fmt: skip
    [wheel] = (source / "dist").glob("*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--no-index", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)  # fmt: skip
    return target


def run(installed: Path, cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": os.environ["PATH"], "HOME": str(cwd), "PYTHONPATH": str(installed), **env}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=environment, capture_output=True, text=True,
                          timeout=120)  # fmt: skip


def test_the_installed_bot_runs_from_anywhere(installed: Path, tmp_path: Path) -> None:
    where = run(installed, tmp_path, "-c", "import bot; print(bot.__file__)")
    assert where.stdout.strip() == str(installed / "bot" / "__init__.py")  # not the repository's
    # one variable places the content (the question banks are the `quizzes` folder beside it)
    check = run(installed, tmp_path, "-m", "bot", "check", CONTENT_DIR=str(ROOT / "content"))
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.splitlines()[-1].startswith("ok: ") and "questions" in check.stdout
    # the migrations come with the package
    url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'bot.db'}"
    upgraded = run(installed, tmp_path, "-m", "bot", "db", "upgrade", DATABASE_URL=url)
    assert upgraded.returncode == 0, upgraded.stderr
    current = run(installed, tmp_path, "-m", "bot", "db", "current", DATABASE_URL=url)
    assert current.returncode == 0 and "(head)" in current.stdout, current.stdout + current.stderr


def test_without_content_the_installed_bot_says_where_it_looked(installed: Path, tmp_path: Path) -> None:
    check = run(installed, tmp_path, "-m", "bot", "check")
    assert check.returncode == 1
    assert "content" in check.stdout and "CONTENT_DIR" in check.stdout + check.stderr
