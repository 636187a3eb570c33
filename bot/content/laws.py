"""Statute texts from `content/law/`: parsed into articles (chapter, section, number, text) at load time,
checked against MANIFEST.tsv, looked up by name, number or keyword."""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.content.yamlfile import Report, display_path, line_at, read_yaml

_NUM = "零〇○Ｏ一二两三四五六七八九十百千万0-9０-９"
ARTICLE_HEAD = re.compile(r"^\s*(?:\*\*)?第([" + _NUM + r"]+)条(?:\*\*)?(?=[\s\u3000]|$)")
HEADING = re.compile(r"^\s*#*\s*(第[" + _NUM + r"]+(编|分编|章|节))[\s\u3000]*(.*)$")
MARKDOWN_HEADING = re.compile(r"^\s*#")
COMMENT = re.compile(r"<!--.*?-->")
_DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}  # fmt: skip
_UNITS = {"十": 10, "百": 100, "千": 1000}
WHITESPACE = re.compile(r"\s+")


def cn_to_int(text: str) -> int:
    """A Chinese or Arabic numeral as int: 一千一百八十八 → 1188, 二十 → 20, 十 → 10, 1188 → 1188."""
    text = text.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not text:
        raise ValueError("empty numeral")
    if text.isascii() and text.isdigit():
        return int(text)
    total = section = 0
    digit: int | None = None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            raise ValueError(f"not a numeral: {text!r}")
    return total + section + (digit or 0)


def squash(text: str) -> str:
    """Text without any whitespace, for whitespace-insensitive comparison."""
    return WHITESPACE.sub("", text)


@dataclass(frozen=True)
class Article:
    law: str
    number: int
    label: str  # 第一千一百八十八条
    body: str  # paragraphs joined by "\n", without the label
    chapter: str = ""
    section: str = ""

    @property
    def text(self) -> str:
        return f"{self.label} {self.body}"


STALE_AFTER = dt.timedelta(days=365)


@dataclass
class Law:
    slug: str
    title: str
    version: str
    source: str
    articles: dict[int, Article] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    checked: dt.date | None = None  # when the text was last confirmed as the version in force
    _squashed: dict[int, str] = field(default_factory=dict, repr=False)

    def contains(self, passage: str, numbers: list[int]) -> bool:
        """Is `passage` verbatim (ignoring whitespace) in one of the articles `numbers`?"""
        needle = squash(passage)
        for n in numbers:
            if n not in self._squashed and n in self.articles:
                self._squashed[n] = squash(self.articles[n].text)
            if needle and needle in self._squashed.get(n, ""):
                return True
        return False


def parse_statute(slug: str, text: str) -> list[Article]:
    """Articles in file order; raises ValueError on a repeated article number."""
    articles: list[Article] = []
    chapter = section = ""
    current: tuple[int, str] | None = None
    buf: list[str] = []

    def close() -> None:
        if current is not None:
            articles.append(Article(slug, current[0], current[1], "\n".join(buf).strip(), chapter, section))

    for raw in text.splitlines():
        line = COMMENT.sub("", raw).rstrip()
        head = ARTICLE_HEAD.match(line)
        heading = HEADING.match(line)
        if head:
            close()
            label = f"第{head.group(1)}条"
            current, buf = (cn_to_int(head.group(1)), label), [line[head.end() :].strip()]
        elif heading or MARKDOWN_HEADING.match(line):
            close()
            current, buf = None, []
            if heading:
                name = f"{heading.group(1)} {heading.group(3)}".strip()
                if heading.group(2) in ("编", "分编"):
                    chapter = section = ""
                elif heading.group(2) == "章":
                    chapter, section = name, ""
                else:
                    section = name
        elif current is not None and line.strip():
            buf.append(line.strip())
    close()
    seen: set[int] = set()
    for article in articles:
        if article.number in seen:
            raise ValueError(f"article {article.number} appears twice")
        seen.add(article.number)
    return articles


class LawLibrary:
    """All statutes, with look-up by name (aliases, then fuzzy) and by keyword."""

    def __init__(
        self,
        laws: dict[str, Law],
        topics: dict[str, list[Article]] | None = None,
        failed: frozenset[str] | None = frozenset(),
    ) -> None:
        self.laws = laws
        self.topics = topics or {}
        self._failed = failed  # slugs that failed to load; None: MANIFEST.tsv itself, so every law
        self._names: dict[str, str] = {}
        for law in laws.values():
            for name in (law.title, law.title.removeprefix("中华人民共和国"), *law.aliases):
                self._names[name] = law.slug

    def get(self, slug: str) -> Law | None:
        return self.laws.get(slug)

    def unchecked(self, slug: str) -> str | None:
        """Why what cites `slug` cannot be checked (the law failed to load, or MANIFEST.tsv did and with it
        every law), or None when it can. Calling such a law unknown would only echo that failure."""
        if self._failed is None:
            return "no law loaded: MANIFEST.tsv could not be read"
        return f"law {slug!r} failed to load" if slug in self._failed else None

    def article(self, slug: str, number: int) -> Article | None:
        law = self.laws.get(slug)
        return law.articles.get(number) if law else None

    def resolve(self, name: str) -> Law | None:
        """The law a person means by `name`: exact title or alias, else the closest name."""
        name = squash(name).removeprefix("《").removesuffix("》")
        if not name:
            return None
        if name in self._names:
            return self.laws[self._names[name]]
        best = process.extractOne(name, list(self._names), scorer=fuzz.ratio, score_cutoff=70)
        return self.laws[self._names[best[0]]] if best else None

    def search(self, keyword: str, limit: int = 5) -> list[Article]:
        """Articles that contain every word most often; failing that, those sharing most of the words'
        character pairs (强制报告 finds 报告 duties that never say 强制报告). Shorter first among equals."""
        words = [w for w in re.split(r"[\s,，、。？?！!]+", keyword.strip()) if w][:5]
        if not words:
            return []
        topic = process.extractOne("".join(words), list(self.topics), scorer=fuzz.ratio, score_cutoff=75)
        if topic is not None:
            return self.topics[topic[0]][:limit]
        articles = [a for law in self.laws.values() for a in law.articles.values()]
        exact = [
            (-sum(a.body.count(w) for w in words), len(a.body), a)
            for a in articles
            if all(w in a.body for w in words)
        ]
        if exact:
            exact.sort(key=lambda item: (item[0], item[1]))
            return [a for _, _, a in exact[:limit]]
        pairs = {w[i : i + 2] for w in words for i in range(len(w) - 1)}
        if len(pairs) < 2:
            return []
        needed = max(2, -(-len(pairs) * 2 // 3))
        scored = []
        for article in articles:
            shared = sum(1 for pair in pairs if pair in article.body)
            if shared >= needed:
                scored.append((-shared, len(article.body), article))
        scored.sort(key=lambda item: (item[0], item[1]))
        return [a for _, _, a in scored[:limit]]


def _checked(row: dict[str, str], today: dt.date, where: str, line: int, report: Report) -> dt.date | None:
    """The manifest's `checked` date; a warning when it is missing or more than STALE_AFTER old, since a
    statute can be revised (教师法's revision is on the 2026 legislative plan)."""
    slug, text = row.get("slug"), (row.get("checked") or "").strip()
    try:
        checked = dt.date.fromisoformat(text)
    except ValueError:
        report.warn(
            where, line, f"{slug}: no 'checked' date (YYYY-MM-DD) saying when the text was confirmed in force"
        )
        return None
    if today - checked > STALE_AFTER:
        report.warn(
            where,
            line,
            f"{slug}: checked on {checked}, over a year ago: confirm it is still the version in force",
        )
    return checked


def load_laws(folder: Path, report: Report, today: dt.date | None = None) -> LawLibrary:
    """Every statute that loads. Unlike the other loaders this returns what it could load even when some
    of it failed (the report then holds errors, so the content is rejected): questions, FAQ answers and
    campaigns are still checked against the laws that did load, and skip, saying so, the ones that failed."""
    manifest = folder / "MANIFEST.tsv"
    where = display_path(manifest)
    try:
        rows = list(csv.DictReader(manifest.read_text(encoding="utf-8").splitlines(), delimiter="\t"))
    except OSError as exc:
        report.error(where, 1, f"cannot read manifest: {exc}")
        return LawLibrary({}, failed=None)
    aliases_data = read_yaml(folder / "aliases.yaml", report) or {}
    laws: dict[str, Law] = {}
    failed: set[str] = set()
    for row in rows:
        slug = row.get("slug") or ""
        path = folder / f"{slug}.md"
        try:
            articles = parse_statute(slug, path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            report.error(display_path(path), 1, f"cannot parse statute: {exc}")
            failed.add(slug)
            continue
        expected = int(row.get("article_count") or 0)
        if len(articles) != expected:
            report.error(
                display_path(path), 1, f"{len(articles)} articles parsed, MANIFEST.tsv says {expected}"
            )
            failed.add(slug)
            continue
        aliases = tuple(str(a) for a in aliases_data.get(slug, [])) if isinstance(aliases_data, dict) else ()
        checked = _checked(row, today or dt.date.today(), where, rows.index(row) + 2, report)
        laws[slug] = Law(slug=slug, title=row.get("chinese_title") or slug, version=row.get("version") or "",
                         source=f"{row.get('source_repository')} @ {row.get('source_commit', '')[:12]}",
                         articles={a.number: a for a in articles}, aliases=aliases, checked=checked)  # fmt: skip
    known = {row.get("slug") or "" for row in rows}
    for slug in sorted(set(aliases_data) - known, key=str) if isinstance(aliases_data, dict) else ():
        line = line_at(aliases_data, [slug])
        report.error(display_path(folder / "aliases.yaml"), line, f"aliases for unknown law {slug!r}")
    topics = _load_topics(folder / "topics.yaml", laws, frozenset(failed), report)
    return LawLibrary(laws, topics, frozenset(failed))


def _load_topics(
    path: Path, laws: dict[str, Law], failed: frozenset[str], report: Report
) -> dict[str, list[Article]]:
    data = read_yaml(path, report) if path.exists() else {}
    where = display_path(path)
    topics: dict[str, list[Article]] = {}
    for name, refs in (data or {}).items():
        found: list[Article] = []
        cited = refs if isinstance(refs, dict) else {}
        for slug, numbers in cited.items():
            line = line_at(data, [name, slug])
            if slug in failed:
                report.skipped(where, line, f"topics not checked: law {slug!r} failed to load")
                continue
            for number in numbers if isinstance(numbers, list) else [numbers]:
                article = laws[slug].articles.get(number) if slug in laws else None
                if article is None:
                    report.error(where, line, f"{name}: no article {number} in {slug!r}")
                else:
                    found.append(article)
        if not found and not any(slug in failed for slug in cited):
            report.error(where, line_at(data, [name]), f"{name}: a topic needs {{law: [article numbers]}}")
        topics[str(name)] = found
    return topics
