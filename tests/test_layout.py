"""The layering is guarded here, not only described: handler areas import no other area, and no handler
touches the database; services know nothing of Telegram; views and renderers are pure. Imports under
`if TYPE_CHECKING:` (annotations only) do not count."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.config import ROOT

BOT = ROOT / "bot"
# Shared by every handler area: the per-update wrapper, typed replies, registration and features, sending,
# an attempt under way offered before another starts.
SHARED_HANDLERS = {"__init__", "base", "awaiting", "onboarding", "sender", "errors", "attempts"}
TABLE = "commands"  # the command table names every area's commands; no area imports it
DATABASE = ("bot.db", "sqlalchemy")


def runtime_imports(source: str) -> set[str]:
    """Every module imported when the code runs (top level or inside functions), not for type checking."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def offending(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((BOT / folder).rglob("*.py"))
        for name in sorted(runtime_imports(path.read_text(encoding="utf-8")))
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    ]


def test_handler_areas_import_no_other_area() -> None:
    areas = {p.stem for p in (BOT / "handlers").glob("*.py")} - SHARED_HANDLERS - {TABLE}
    assert areas >= {"quiz", "campaign", "stats", "broadcast", "faq", "registration"}
    crossing = [
        line
        for line in offending("handlers", tuple(f"bot.handlers.{a}" for a in areas | {TABLE}))
        if Path(line.split(" imports ")[0]).stem not in {line.split(" imports ")[1].split(".")[2], TABLE}
    ]
    assert not crossing, "handler areas reach into each other:\n" + "\n".join(crossing)


def test_handlers_views_and_renderers_do_not_touch_the_database() -> None:
    found = offending("handlers", DATABASE) + offending("views", DATABASE) + offending("render", DATABASE)
    assert not found, "\n".join(found)


def test_the_dashboards_web_layer_has_no_sql_and_services_no_http() -> None:
    """bot/web/ serves JSON and pages over bot/services/dashboard.py: no queries of its own."""
    found = offending("web", DATABASE) + offending("services", ("aiohttp", "jinja2", "bot.web"))
    assert not found, "\n".join(found)


def test_services_and_renderers_know_nothing_of_telegram() -> None:
    found = offending("services", ("telegram",)) + offending("render", ("telegram",))
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("source", "seen"),
    [
        ("from bot.db.users import touch_user", True),
        ("def f():\n    import sqlalchemy", True),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from bot.db.models import User", False),
        ("if TYPE_CHECKING:\n    pass\nelse:\n    from bot.db import models", True),
    ],
)
def test_the_guard_sees_runtime_imports_only(source: str, seen: bool) -> None:
    assert any(name.startswith("bot.db") or name == "sqlalchemy" for name in runtime_imports(source)) is seen
