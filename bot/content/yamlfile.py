"""YAML loading that remembers where each mapping and each of its keys starts, for `file:line: problem`
messages.

Parsing uses libyaml (`yaml.CSafeLoader`) where PyYAML was built with it, else PyYAML's pure-Python
parser. Only the parsing differs: both compose the same node tree, whose nodes carry their start lines, and
both build the Python values with the same (Python) constructor, so the line of every mapping and key is
kept either way. On the shipped content the pure-Python parser spent about 0.5 s in the question files
alone; libyaml parses all content in about a sixth of the time. Syntax errors carry a line from both
(libyaml words some of them differently).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class LineDict(dict[str, Any]):
    """A mapping from YAML that knows its 1-based line number, and the line of each of its keys."""

    line: int = 0
    key_lines: dict[Any, int]


try:
    from yaml import CSafeLoader as _Parser
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]


class _Loader(_Parser):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    # YAML forbids a key twice in one mapping, but PyYAML keeps the last silently: a second `faq.x` in a
    # locale would replace the first without a word. Refuse it at the second key's line.
    seen: set[Any] = set()
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode):
            if key.value in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key.value!r} (it is already set above)", key.start_mark
                )
            seen.add(key.value)
    mapping = LineDict(loader.construct_mapping(node, deep=True))  # type: ignore[arg-type]
    mapping.line = node.start_mark.line + 1
    # Keys were constructed just above; construct_object returns them from the loader's cache.
    mapping.key_lines = {
        loader.construct_object(key): key.start_mark.line + 1
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Keep dates as strings-or-dates the models decide on; YAML 1.1 "yes/no" booleans stay as YAML says.


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        where = f"{self.path}:{self.line}" if self.line else self.path  # line 0: a folder, a whole file
        return f"{where}: {kind}{self.message}"


@dataclass
class Report:
    """Problems found while loading content. Errors reject the content; warnings do not.

    One report collects the problems of every file, and each loader is judged by its own errors
    (`mark()`, then `clean_since(mark)`): a typo in one file never hides the problems of another."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, path: Path | str, line: int, message: str) -> None:
        self.problems.append(Problem(str(path), line, message))

    def warn(self, path: Path | str, line: int, message: str) -> None:
        self.problems.append(Problem(str(path), line, message, warning=True))

    def skipped(self, path: Path | str, line: int, message: str) -> None:
        """Say once that checks were skipped because what they check against failed to load (its errors
        are reported where they are; repeating them at every reference would only bury them)."""
        if not any(p.warning and p.message == message for p in self.problems):
            self.warn(path, line, message)

    def mark(self) -> int:
        return len(self.problems)

    def clean_since(self, mark: int) -> bool:
        """No error was recorded after `mark`."""
        return all(p.warning for p in self.problems[mark:])

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]

    @property
    def ok(self) -> bool:
        return not self.errors


class ContentError(Exception):
    """Content failed validation; `report` holds every problem with its file and line."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__("\n".join(str(p) for p in report.errors))


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_text(path: Path, report: Report) -> str | None:
    """A content file's text; None, with the problem recorded, when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.error(display_path(path), 1, f"cannot read file: {exc}")
        return None


def read_yaml(path: Path, report: Report, text: str | None = None) -> Any:
    """Parse a YAML file (or `text`, read from it already); on a syntax error record it with its line
    and return None."""
    if text is None and (text := read_text(path, report)) is None:
        return None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        report.error(display_path(path), line, f"YAML syntax error: {getattr(exc, 'problem', exc)}")
        return None


def line_of(data: Any, default: int = 1) -> int:
    return data.line if isinstance(data, LineDict) and data.line else default


def line_at(data: Any, path: Iterable[Any], default: int = 1, *, keys: bool = True) -> int:
    """The line where the value at `path` (keys and list indices) is written: its key's line, or its own
    line for a mapping. With `keys=False`, the line of the deepest mapping on the path."""
    line = line_of(data, default)
    for step in path:
        if keys and isinstance(data, LineDict):
            line = data.key_lines.get(step, line)
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            break
        line = line_of(data, line)
    return line


def validate(model: type[M], data: Any, path: Path, report: Report, label: str = "") -> M | None:
    """Validate one mapping into `model`; on failure record each problem at the line of the deepest
    mapping on its path (a question's problems all at the question's first line)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        prefix = f"{label}: " if label else ""
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"])
            msg = str(err["msg"]).removeprefix("Value error, ")
            text = f"{prefix}{where}: {msg}" if where else f"{prefix}{msg}"
            report.error(display_path(path), line_at(data, err["loc"], keys=False), text)
        return None
