"""The Dockerfile and docker-compose.yml, read as Docker reads them (no Docker needed): the image runs
the bot itself under an init, judges its health by the bot, and compose needs a password of its own and
mounts the content. tests/blackbox/test_image.py starts the image's command."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml

from bot.config import ROOT

INITS = {"tini", "dumb-init"}
VARIABLE = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions, (KEYWORD, arguments), continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip()) for line in lines]


def last(keyword: str) -> str | None:
    return next((args for kw, args in reversed(instructions()) if kw == keyword), None)


def argv(args: str | None) -> list[str]:
    """Exec form as it is; shell form as Docker runs it: /bin/sh -c."""
    if args is None:
        return []
    return json.loads(args) if args.startswith("[") else ["/bin/sh", "-c", args]


def image_env() -> dict[str, str]:
    found: dict[str, str] = {}
    for keyword, args in instructions():
        if keyword == "ENV":
            found.update(pair.split("=", 1) for pair in args.split() if "=" in pair)
    return found


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} (an unset or empty VAR stops compose)."""

    def value(match: re.Match[str]) -> str:
        name, operator, word = match.group(1), match.group(2) or "", match.group(3) or ""
        found = env.get(name, "")
        if found:
            return found
        if operator.endswith("?"):
            raise ValueError(f"required variable {name} is missing a value: {word}")
        return word if operator.endswith("-") else ""

    return VARIABLE.sub(value, text)


def test_the_image_runs_the_bot_itself_under_an_init() -> None:
    entrypoint, command = last("ENTRYPOINT"), last("CMD")
    assert entrypoint is not None and entrypoint.startswith("["), "ENTRYPOINT must be in exec form"
    assert command is not None and command.startswith("["), "CMD must be in exec form"
    assert Path(argv(entrypoint)[0]).name in INITS and argv(entrypoint)[1:] == ["--"]
    assert argv(command) == ["python", "-m", "bot", "run"]  # the bot is the init's child, no shell between
    installs = " ".join(args for kw, args in instructions() if kw == "RUN")
    assert "apt-get install" in installs and " tini " in f" {installs} "


def test_the_image_installs_the_package_and_asks_the_bot_for_its_health() -> None:
    runs = [args for kw, args in instructions() if kw == "RUN"]
    assert any(re.search(r"pip install \.(\s|$)", args) for args in runs)  # not editable, not -e
    workdirs = [args for kw, args in instructions() if kw == "WORKDIR"]
    copies = [args.split()[-1] for kw, args in instructions() if kw == "COPY"]
    assert not any(target.rstrip("/").endswith("bot") for target in copies[-2:])  # no sources where it runs
    assert workdirs[-1] == "/app" and image_env()["CONTENT_DIR"] == "/app/content"
    healthcheck = last("HEALTHCHECK")
    assert healthcheck is not None and healthcheck.endswith('CMD ["python", "-m", "bot", "health"]')


def test_compose_refuses_to_start_without_a_database_password() -> None:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="POSTGRES_PASSWORD"):
        interpolate(text, {})
    with pytest.raises(ValueError, match="POSTGRES_PASSWORD"):
        interpolate(text, {"POSTGRES_PASSWORD": ""})
    compose = yaml.safe_load(interpolate(text, {"POSTGRES_PASSWORD": "long-and-random"}))
    assert compose["services"]["db"]["environment"]["POSTGRES_PASSWORD"] == "long-and-random"
    assert "pufabot:long-and-random@db:" in compose["services"]["bot"]["environment"]["DATABASE_URL"]
    example = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    assert "POSTGRES_PASSWORD=" in example  # there to be filled in, with no value of its own


def test_compose_mounts_the_content_where_the_image_looks_for_it() -> None:
    compose = yaml.safe_load(
        interpolate((ROOT / "docker-compose.yml").read_text("utf-8"), {"POSTGRES_PASSWORD": "x"})
    )
    mounts = {v.split(":")[1]: v.split(":")[0] for v in compose["services"]["bot"]["volumes"]}
    env = image_env()
    assert mounts[env["CONTENT_DIR"]] == "./content" and mounts[env["QUIZZES_DIR"]] == "./quizzes"
    assert os.path.isdir(ROOT / "content") and os.path.isdir(ROOT / "quizzes")
