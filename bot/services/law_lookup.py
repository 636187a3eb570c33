"""/law: find an article by law name and number (民法典 1188, 未保法 第二十条) or by keyword (监护)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from bot.chinese import simplified, window
from bot.content.laws import SCHOOL_LAWS, Article, Law, LawLibrary, cn_to_int, squash

NUMBERED = re.compile(r"^(?P<name>.*?)\s*第?\s*(?P<num>[0-9０-９零〇一二两三四五六七八九十百千]+)\s*条?$")
# several numbers of one law (民法典 1188 1189, 教师法第7、8条): each of those articles
SEVERAL = re.compile(
    r"^(?P<name>.*?[^\s0-9０-９第])\s*(?P<nums>第?\s*[0-9０-９]+\s*条?(?:\s*[、,，和与及\s]\s*第?\s*[0-9０-９]+\s*条?)+)$"
)
TELEGRAM_LIMIT = 4096
MAX_QUERY = 50
# Words that end in 法 without naming a law: `/law 违法` searches the texts instead of saying no such law.
NOT_LAW_NAMES = ("方法", "办法", "做法", "想法", "看法", "用法", "说法", "写法", "违法", "非法", "合法", "犯法",
                 "守法", "执法", "司法", "立法", "普法", "依法", "不法", "无法", "知法", "懂法", "学法")  # fmt: skip


@dataclass(frozen=True)
class LookupResult:
    article: Article | None = None
    law: Law | None = None  # the law named (alone, or with a number it does not have)
    matches: list[Article] = field(default_factory=list)  # keyword results
    missing_number: int | None = None
    unknown_law: str | None = None  # a law's name that is not in the collection
    number: int | None = None  # a number alone: `candidates` are the laws' articles with that number
    candidates: list[Article] = field(default_factory=list)
    urgent: bool = False  # a question naming harm to a child (爸爸打我): where to get help at once
    advice: str | None = None  # what to do about what it names (a key under law.advice in the locales)

    @property
    def shows_anything(self) -> bool:
        """An article, a law, a number's laws or matches: something to show."""
        return bool(self.article or self.law or self.unknown_law or self.number or self.matches)


def lookup(library: LawLibrary, query: str, limit: int = 5,
           in_chinese: Callable[[str], str] | None = None) -> LookupResult:  # fmt: skip
    """What `/law <query>` shows; `in_chinese`: English words in the Chinese ones the chat reads them as
    (content/faq/english.yaml), tried when English finds nothing (/law bullying had found nothing, where
    I am being bullied in the chat found the articles: a pupils' pass)."""
    found = _lookup(library, query, limit, english=query.isascii() and any(c.isalpha() for c in query))
    if (
        in_chinese is not None
        and query.isascii()
        and not found.shows_anything
        and (chinese := in_chinese(query))
    ):
        return _lookup(library, chinese, limit)
    return found


def _lookup(library: LawLibrary, query: str, limit: int, english: bool = False) -> LookupResult:
    """`english`: the query is English words, which the statutes' Chinese texts hold none of: only the curated
    topics are searched (the texts' words matched its digits alone: criminal law 3 had found the 校车 regulations'
    fines of 1000元以上3000元以下)."""
    query = simplified(query.strip()[:MAX_QUERY])  # as topics' words are read (未保法 體罰 too)
    if not query:
        return LookupResult()
    several = SEVERAL.match(query)
    if several and (law := resolve_law(library, several.group("name"))) is not None:
        numbers = dict.fromkeys(int(n) for n in re.findall(r"[0-9０-９]+", several.group("nums")))
        found = [a for n in numbers if (a := law.articles.get(n)) is not None]
        if found:  # a teachers' pass: 民法典 1188 1189 had found nothing
            return LookupResult(matches=found[:limit])
    numbered = NUMBERED.match(query)
    if numbered:
        try:
            number = cn_to_int(numbered.group("num"))
        except ValueError:
            number = 0
        name = numbered.group("name")
        if not name:
            return LookupResult(number=number, candidates=articles_numbered(library, number))
        law = resolve_law(library, name)
        if law is not None:
            article = law.articles.get(number)
            return LookupResult(article=article, law=law, missing_number=None if article else number)
        if looks_like_a_law(name):
            return LookupResult(unknown_law=_bare(name))
        if english and ENGLISH_LAW.fullmatch(name.strip()):
            return LookupResult(unknown_law=" ".join(name.split()))
    law = resolve_law(library, query)
    if law is not None:
        return LookupResult(law=law)
    if looks_like_a_law(query):
        return LookupResult(unknown_law=_bare(query))
    if english and ENGLISH_LAW.fullmatch(query.strip()):
        return LookupResult(unknown_law=" ".join(query.split()))
    named = law_named(library, squash(query))
    if named is not None and (rest := _rest(squash(query), named)):  # 教师法 申诉: that law's articles only
        return LookupResult(matches=library.search(rest, limit, named[0].slug))
    if english:
        return LookupResult(matches=library.topic_articles(query)[:limit])
    return LookupResult(matches=library.search(query, limit))


# An English name of a statute (criminal law, labour code, road traffic safety act, minors protection law): one
# that is not in the collection is said to be so, with the laws that are (as 刑法 is)
ENGLISH_LAW = re.compile(r"(?:[a-z'-]+\s+){1,6}(?:law|code|act|regulations?)", re.IGNORECASE)
ARTICLE_AFTER = re.compile(r"^第?\s*(?P<num>[0-9０-９零〇一二两三四五六七八九十百千]+)\s*条")
WHICH_ARTICLE = re.compile(r"第?几条|哪一?条|什么条|条文|规定")


def in_question(library: LawLibrary, text: str, limit: int = 3) -> LookupResult | None:
    """The articles a question typed in chat asks about, or None when it is no law question: one that
    names a law (民法典1188条; 未成年人保护法第几条规定不能体罚: that law's articles on the rest of the
    question) or a curated topic (监护人责任). Of a long message, its end (where parents ask), as the FAQ's
    matcher reads it."""
    text = squash(window(text, MAX_QUERY * 2))
    named = law_named(library, text)
    if named is not None:
        law, _, end = named
        number = ARTICLE_AFTER.match(text[end:])
        if number is not None:
            try:
                article = law.articles.get(cn_to_int(number.group("num")))
            except ValueError:
                article = None
            if article is not None:
                return LookupResult(article=article, law=law)
        # 治安管理处罚法对未成年人有什么规定: that law's articles, those of the topics the question names first
        if not (rest := _rest(text, named)):
            return LookupResult(law=law)
        found = [a for a in library.topic_articles(text) if a.law == law.slug]
        found += [a for a in library.search(rest, limit, law.slug) if a not in found]
        return LookupResult(law=law, matches=found[:limit], urgent=library.urgent_in(rest),
                            advice=library.advice_in(rest))  # fmt: skip
    if topics := library.topic_articles(text):  # only theirs: a question's other words find nothing better
        return LookupResult(
            matches=topics[:limit], urgent=library.urgent_in(text), advice=library.advice_in(text)
        )
    return None


def law_named(library: LawLibrary, text: str) -> tuple[Law, int, int] | None:
    """`law_named_in`, unless the name is part of a topic's that `text` names: 国家宪法日 and 宪法宣誓 are
    topics, not questions about the 宪法."""
    named = law_named_in(library, text)
    if named is None:
        return None
    name = text[named[1] : named[2]]
    return None if any(name in topic and topic in text for topic in library.topic_names(text)) else named


def _rest(text: str, named: tuple[Law, int, int]) -> str:
    """What `text` asks besides the law it names (and 第几条, 哪一条 …)."""
    _, start, end = named
    return WHICH_ARTICLE.sub(" ", text[:start] + " " + text[end:]).strip()


def law_named_in(library: LawLibrary, text: str) -> tuple[Law, int, int] | None:
    """The first law whose title or alias `text` contains (the longest name where names overlap: 民法典,
    not 民法), with where its name starts and ends."""
    names = sorted(((n, law) for law in library.laws.values() for n in _names(law) if len(n) >= 2),
                   key=lambda item: -len(item[0]))  # fmt: skip
    found = [(text.find(n), -len(n), law) for n, law in names if n in text]
    if not found:
        return None
    start, minus_length, law = min(found, key=lambda item: (item[0], item[1]))
    return law, start, start - minus_length


def resolve_law(library: LawLibrary, name: str) -> Law | None:
    """The law `name` means: its title (with or without 中华人民共和国) or an alias, or a one-character slip
    of one of those when the name is long enough for a slip to be told from another law (未成年人保户法);
    never merely the nearest name (劳动法 is not 教育法, 高等教育法 not 学前教育法)."""
    name = _bare(name)
    if not name:
        return None
    names = {n: law for law in library.laws.values() for n in _names(law)}
    if name in names:
        return names[name]
    if len(name) < 5:
        return None
    close = {law.slug: law for n, law in names.items() if len(n) >= 5 and OSA.distance(name, n) <= 1}
    return next(iter(close.values())) if len(close) == 1 else None


def looks_like_a_law(text: str) -> bool:
    """Does `text` name a statute (it ends like one: 劳动法, 民法典, 校车条例, or sits in 《》)?"""
    text = squash(text)
    if text.startswith("《") or text.endswith("》"):
        return True
    return len(text) >= 2 and text.endswith(("法", "法典", "条例")) and not text.endswith(NOT_LAW_NAMES)


def articles_numbered(library: LawLibrary, number: int) -> list[Article]:
    """Article `number` of every law that has one, the laws schools use first."""
    laws = sorted(library.laws.values(), key=lambda law: law.slug not in SCHOOL_LAWS)
    return [law.articles[number] for law in laws if number in law.articles]


def _names(law: Law) -> tuple[str, ...]:
    """What a person may call `law`: its title with or without 中华人民共和国, its aliases, and its English
    title, whole or short (civilcode: compared as `_bare` leaves it)."""
    english = (_bare(law.title_en), _bare(law.short_title("en"))) if law.title_en else ()
    return (law.title, law.title.removeprefix("中华人民共和国"), *law.aliases, *english)


def _bare(name: str) -> str:
    """A law's name as compared: no spaces, 《》 or 中华人民共和国; English in lower case (Civil Code → civilcode)."""
    return squash(name).removeprefix("《").removesuffix("》").removeprefix("中华人民共和国").lower()


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
