"""/law: find an article by law name and number (民法典 1188, 未保法 第二十条) or by keyword (监护)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.content.laws import Article, Law, LawLibrary, cn_to_int

NUMBERED = re.compile(r"^(?P<name>.*?)\s*第?\s*(?P<num>[0-9０-９零〇一二两三四五六七八九十百千]+)\s*条?$")
TELEGRAM_LIMIT = 4096
MAX_QUERY = 50


@dataclass(frozen=True)
class LookupResult:
    article: Article | None = None
    law: Law | None = None  # the law named (alone, or with a number it does not have)
    matches: list[Article] = field(default_factory=list)  # keyword results
    missing_number: int | None = None


def lookup(library: LawLibrary, query: str, limit: int = 5) -> LookupResult:
    query = query.strip()[:MAX_QUERY]
    if not query:
        return LookupResult()
    numbered = NUMBERED.match(query)
    if numbered and numbered.group("name"):
        law = library.resolve(numbered.group("name"))
        if law is not None:
            try:
                number = cn_to_int(numbered.group("num"))
            except ValueError:
                number = 0
            article = law.articles.get(number)
            return LookupResult(article=article, law=law, missing_number=None if article else number)
    law = library.resolve(query)
    if law is not None and len(query) >= 2 and _looks_like_a_name(query, law):
        return LookupResult(law=law)
    return LookupResult(matches=library.search(query, limit))


def _looks_like_a_name(query: str, law: Law) -> bool:
    return query.endswith(("法", "典", "条例")) or query in law.aliases or query in law.title


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Cut text into pieces of at most `limit` characters, at paragraph ends where possible."""
    pieces: list[str] = []
    current = ""
    for paragraph in text.split("\n"):
        while len(paragraph) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(paragraph[:limit])
            paragraph = paragraph[limit:]
        candidate = f"{current}\n{paragraph}" if current else paragraph
        if len(candidate) > limit:
            pieces.append(current)
            current = paragraph
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces
