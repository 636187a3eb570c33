"""Statute texts from `content/law/`: parsed into articles (chapter, section, number, text) at load time,
checked against MANIFEST.tsv, looked up by name, number or keyword."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import itertools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.chinese import CLAUSE_END, simplified
from bot.content.yamlfile import LineDict, Report, display_path, line_at, read_yaml
from bot.segmentation import jieba

SLUG = re.compile(
    r"[a-z][a-z_]{1,31}"
)  # a law's slug (MANIFEST.tsv): short enough for the buttons that carry it
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


CLASS_REF = re.compile(r"\{([^{}\s]+)\}")  # a word class in a topic's name: {老师}
NESTING = 2  # classes within a class's words, at most this deep
ANYWHERE = "…"  # a part of a name after which the next may come anywhere later (see TopicWords)
NEAR = 8  # characters at most between two parts of a name, within one clause
# a topic's name is read through a one-character typo only from this length: of four, one character is a
# word (入学查询 is no typo of 入职查询, a staff background check)
TYPO_FROM = 5
BLANK = "|"  # what an everyday phrase's characters become in a text before names are looked for

Part = tuple[tuple[str, ...], bool]  # a part's words, and whether it may come anywhere after the last


@dataclass(frozen=True)
class TopicWords:
    """How content/law/topics.yaml's names are read. A name in parts (妈 打我) is named by a text that
    holds its parts in their order, each within the same clause as the one before and at most NEAR
    characters after it (我妈经常打我; not 孩子被老师表扬了，打算奖励他), or anywhere after it where the name
    says … between them. A part may use a word class as {class} for any of its words (`words`: {老师}
    打{孩子} is named by 班主任打我 and by 老师打娃 alike); `everyday` phrases (打电话; 打{孩子} {通话}: 老师打了我
    好几个电话) are names too, blanked in a text before the topics' names are looked for. Every word goes
    through the same conversion to simplified characters as the text."""

    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    everyday: tuple[str, ...] = ()  # as written, classes unexpanded

    def parts(self, name: str) -> tuple[Part, ...]:
        """A name's parts (split at spaces), each as the words it stands for (被{老师} → 被老师, 被班主任 …)
        and whether it may come anywhere after the part before it (an … between them)."""
        parts: list[Part] = []
        anywhere = False
        for token in name.split():
            if token == ANYWHERE:
                anywhere = True
                continue
            parts.append((tuple(dict.fromkeys(simplified(word) for word in self.expand(token))), anywhere))
            anywhere = False
        return tuple(parts)

    def expand(self, part: str, depth: int = 0) -> tuple[str, ...]:
        """The words `part` stands for: its classes replaced by each of their words (a class's words may
        use classes too: 打{孩子}), in every combination."""
        pieces = CLASS_REF.split(part)  # text, class, text, class … text
        if len(pieces) == 1 or depth > NESTING:
            return (part,)

        def words_of(name: str) -> tuple[str, ...]:
            return tuple(w for word in self.words.get(name, ()) for w in self.expand(word, depth + 1))

        options = [(piece,) if i % 2 == 0 else words_of(piece) for i, piece in enumerate(pieces)]
        return tuple(dict.fromkeys("".join(chosen) for chosen in itertools.product(*options)))

    @functools.cached_property
    def _everyday(self) -> tuple[tuple[Part, ...], ...]:
        return tuple(self.parts(phrase) for phrase in self.everyday)

    def plain(self, text: str) -> str:
        """`text` with its everyday phrases blanked, character by character (places are kept)."""
        for parts in self._everyday:
            while (spans := found_parts(parts, text)) is not None:
                start, end = spans[0][0], spans[-1][1]
                text = text[:start] + BLANK * (end - start) + text[end:]
        return text


def found_parts(parts: tuple[Part, ...], text: str) -> list[tuple[int, int]] | None:
    """Where `text` holds one word of each part in the parts' order, each near the one before (see
    TopicWords): the words' (start, end), the first found; or None."""
    if not parts:
        return None
    (first, _), rest = parts[0], parts[1:]
    starts = sorted((at, at + len(word)) for word in first for at in _places(text, word))
    for start, end in starts:
        spans = [(start, end)]
        for words, anywhere in rest:
            at = spans[-1][1]
            near = [
                (found + len(word), found)
                for word in words
                if (found := text.find(word, at)) >= 0
                and (anywhere or (found - at <= NEAR and not CLAUSE_END.search(text, at, found)))
            ]
            if not near:
                break
            ended, began = min(near)
            spans.append((began, ended))
        else:
            return spans
    return None


def _places(text: str, word: str) -> list[int]:
    """Where `word` starts in `text`, every place."""
    places, at = [], text.find(word)
    while at >= 0:
        places.append(at)
        at = text.find(word, at + 1)
    return places


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
    title_en: str = ""  # the official English title (MANIFEST.tsv's english_title)
    _squashed: dict[int, str] = field(default_factory=dict, repr=False)

    def short_title(self, language: str = "zh") -> str:
        """The name people use: 宪法, or Constitution (in English, where the law has an English title)."""
        if language == "en" and self.title_en:
            return self.title_en.replace(" of the People's Republic of China", "")
        return self.title.removeprefix("中华人民共和国")

    def beside(self, number: int) -> tuple[Article | None, Article | None]:
        """The articles before and after article `number` (None at either end)."""
        return self.articles.get(number - 1), self.articles.get(number + 1)

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
        urgent: frozenset[str] = frozenset(),
        words: TopicWords | None = None,
        advice: Mapping[str, str] | None = None,
    ) -> None:
        self.laws = laws
        self.topics = topics or {}
        self.urgent = urgent  # topics of harm to a child: the reply says where to get help at once
        self.advice = dict(advice or {})  # topic → what to do about it (a locale key under law.advice)
        self.words = words or TopicWords()
        self._parts = {name: self.words.parts(name) for name in self.topics}
        self._failed = failed  # slugs that failed to load; None: MANIFEST.tsv itself, so every law
        self._search_index: ArticleIndex | None = None  # built at the first keyword search
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
        """The law a person means by `name` (in traditional characters too: /quiz 憲法 had been ignored, a
        pupils' pass): exact title or alias, else the closest name."""
        if (exact := self.named(name)) is not None:
            return exact
        name = squash(simplified(name)).removeprefix("《").removesuffix("》")
        if not name:
            return None
        best = process.extractOne(name, list(self._names), scorer=fuzz.ratio, score_cutoff=70)
        return self.laws[self._names[best[0]]] if best else None

    def named(self, name: str) -> Law | None:
        """The law whose title or alias `name` is, exactly (《宪法》, 民法典, 未保法), else None."""
        slug = self._names.get(squash(simplified(name)).removeprefix("《").removesuffix("》"))
        return None if slug is None else self.laws[slug]

    def topic_names(self, keyword: str) -> list[str]:
        """The curated topics `keyword` names: the topic itself (or a typo of a long one: 未成年人模试), a
        topic the keyword is part of (欺凌 → 学生欺凌), or one named in it (寒暑假补课 → 补课; a name in
        parts, {家长} {打人}, when they come in its order: 我妈经常打我); best first."""
        return list(self._named(keyword))

    def _named(self, keyword: str) -> dict[str, list[tuple[int, int]]]:
        """`topic_names`, each with where its words are in `keyword` (without whitespace, its everyday
        phrases blanked: `TopicWords.plain`); no places for a topic named whole, as a part or by a typo."""
        query = squash(keyword)
        if len(query) < 2:
            return {}
        plain = self.words.plain(query)
        scored: list[tuple[float, str, list[tuple[int, int]]]] = []
        for name in self.topics:
            whole = squash(name)
            alone = " " not in name and "{" not in name  # a name that is one word
            if whole == query:
                scored.append((300.0, name, []))
            # named in the text: the more of it the name's words cover, the more it says (老师打我 is 体罚 before
            # being hurt by anyone)
            elif len(whole) >= 2 and (spans := found_parts(self._parts[name], plain)) is not None:
                scored.append((200.0 + sum(end - start for start, end in spans), name, spans))
            # a topic the keyword is part of: not one in parts (幼儿园 alone names no 幼儿园老师 打孩子)
            elif len(whole) >= 2 and alone and query in name:
                scored.append((200.0 - abs(len(whole) - len(query)), name, []))
            # a typo of a long topic's name (未成年人模试); a name in parts is named only by its parts (幼儿园 is 75 %
            # of 幼儿园受伤)
            elif alone and len(whole) >= TYPO_FROM and (score := fuzz.ratio(query, whole)) >= 75:
                scored.append((score, name, []))
        # a topic named by one word says less than one whose words hold it: a word of a topic in parts
        # (我妈经常打我 is 家庭暴力, {家长} {打人}, not being hurt by anyone, {打人}) or a longer word (防欺凌 is a
        # school's work against bullying, not bullying)
        parts = [span for _, _, spans in scored if len(spans) > 1 for span in spans]
        words = [spans[0] for _, _, spans in scored if len(spans) == 1]

        def says_less(start: int, end: int) -> bool:
            return any(s <= start and end <= e for s, e in parts) or any(
                s <= start and end <= e and e - s > end - start for s, e in words
            )

        ranked = sorted(scored, key=lambda item: -item[0])
        return {name: spans for _, name, spans in ranked if len(spans) != 1 or not says_less(*spans[0])}

    def mentions_topic(self, name: str, text: str) -> bool:
        """Whether `text` (an FAQ entry's wordings and answer, say) speaks of the topic `name`: holds a word
        of each of its parts, anywhere."""
        return all(any(word in text for word in words) for words, _ in self._parts[name])

    def without_topics(self, text: str) -> str:
        """`text` without the words that name its topics (孩子在学校被同学欺负了能转学吗 → 孩子在学校了能转学吗):
        what else it asks."""
        blanked = list(self.words.plain(squash(text)))
        for spans in self._named(text).values():
            for start, end in spans:
                blanked[start:end] = [BLANK] * (end - start)
        return "".join(blanked).replace(BLANK, "")

    def urgent_in(self, keyword: str) -> bool:
        """Whether `keyword` names a topic of harm to a child (爸爸打我, 被同学欺负)."""
        return any(name in self.urgent for name in self.topic_names(keyword))

    def advice_in(self, keyword: str) -> str | None:
        """What to do about the first topic `keyword` names that says (网上有人要我照片: online_photos)."""
        return next((self.advice[n] for n in self.topic_names(keyword) if n in self.advice), None)

    def topic_articles(self, keyword: str) -> list[Article]:
        """The articles of the curated topics `keyword` names, best topic first, each once."""
        found: list[Article] = []
        for name in self.topic_names(keyword):
            found += [a for a in self.topics[name] if a not in found]
        return found

    def search(self, keyword: str, limit: int = 5, law: str | None = None) -> list[Article]:
        """Articles for a keyword, best evidence first: the curated topics it names, then the articles
        whose text holds its words (BM25 over the words, the whole phrase weighing most), preferring the
        laws schools use and articles about minors, pupils and schools; only `law`'s, when given."""
        found = [a for a in self.topic_articles(keyword) if law is None or a.law == law]
        if len(found) < limit:
            found += [a for a in self._index().rank(keyword, limit, law) if a not in found]
        return found[:limit]

    def closest(self, question: str, limit: int = 3) -> list[Article]:
        """`search` for a question typed in chat, when the best article holds words that make up at least
        COVERED of the question's (its words of two characters or more, not STOP_WORDS): 几岁算成年人 finds
        民法典 第十七条, 国歌是什么 第一百四十一条 of the 宪法; 手机好卡啊怎么办 finds nothing (only 手机)."""
        found = self.search(question, limit)
        words = {w for p in SEPARATORS.split(squash(question)) for w in _words(p) if len(w) >= 2} - STOP_WORDS
        if not found or not words:
            return []
        body = squash(found[0].body)
        covered = sum(len(w) for w in words if w in body)
        return found if covered >= COVERED * sum(map(len, words)) else []

    def _index(self) -> ArticleIndex:
        if self._search_index is None:
            self._search_index = ArticleIndex(
                [a for law in self.laws.values() for a in law.articles.values()]
            )
        return self._search_index


COVERED = 0.6  # the share of a chat question's words its best article must hold (`closest`)
# The laws a school reaches for first; their articles weigh a little more than the rest's.
SCHOOL_LAWS = frozenset({"constitution", "minors_protection", "education_law", "teachers_law", "compulsory_education",
                         "juvenile_delinquency_prevention", "civil_code"})  # fmt: skip
ABOUT_SCHOOL = ("未成年", "学生", "学校", "儿童", "教师", "幼儿园")
SEPARATORS = re.compile(r"[\s,，、。？?！!；;：:“”\"'《》（）()]+")
STOP_WORDS = frozenset({"的", "了", "在", "是", "和", "与", "或", "及", "被", "把", "对", "吗", "呢", "啊", "吧", "怎么",
                        "怎么办", "什么", "如何", "可以", "能", "能不能", "会", "要", "有", "没有", "哪些", "哪个",
                        "规定", "法律", "条文", "多少", "不会", "不懂", "知道", "不知道", "为什么", "怎样", "怎么样",
                        "是不是", "还是", "应该", "需要", "我们", "你们", "他们", "这个", "那个", "一下", "意思",
                        "神马", "啥"})  # fmt: skip


class ArticleIndex:
    """BM25 over the statute texts. A query's terms are the phrases typed (weighing double) and their
    words (jieba's, or character pairs with `words=False`). An occurrence of a term counts when it starts
    a word of the article (成年人 is not found inside 未成年人); an article whose chapter or section is
    named by the term, or which says it first, is about it and weighs more."""

    K1, B = 1.2, 0.75

    def __init__(self, articles: list[Article], words: bool = True) -> None:
        self.articles = articles
        self.words = words
        self.bodies = [squash(a.body) for a in articles]
        self.headings = [squash(a.chapter + a.section) for a in articles]
        self.starts = [_word_starts(body) if words else None for body in self.bodies]
        self.average = sum(map(len, self.bodies)) / max(1, len(self.bodies))
        self.prior = [
            (1.3 if a.law in SCHOOL_LAWS else 1.0) * (1.1 if any(w in body for w in ABOUT_SCHOOL) else 1.0)
            for a, body in zip(articles, self.bodies, strict=True)
        ]

    def terms(self, keyword: str) -> dict[str, float]:
        """Term → weight: each phrase typed counts double, its words once."""
        weights: dict[str, float] = {}
        for phrase in [p for p in SEPARATORS.split(keyword) if p and p not in STOP_WORDS][:5]:
            weights[phrase] = weights.get(phrase, 0) + 2.0
            if len(phrase) > 2:
                for part in _words(phrase) if self.words else _pairs(phrase):
                    if part != phrase and part not in STOP_WORDS and len(part) >= 2:
                        weights[part] = weights.get(part, 0) + 1.0
        return weights

    def _count(self, i: int, term: str) -> int:
        body, starts = self.bodies[i], self.starts[i]
        if starts is None:
            return body.count(term)
        count, at = 0, body.find(term)
        while at >= 0:
            count += at in starts
            at = body.find(term, at + 1)
        return count

    def rank(self, keyword: str, limit: int, law: str | None = None) -> list[Article]:
        """The `limit` articles that answer `keyword` best (only `law`'s, when given)."""
        scores = [0.0] * len(self.articles)
        n = len(self.articles)
        for term, weight in self.terms(keyword).items():
            counts = [self._count(i, term) if term in body else 0 for i, body in enumerate(self.bodies)]
            df = sum(1 for c in counts if c)
            if not df:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            for i, tf in enumerate(counts):
                if tf:
                    norm = self.K1 * (1 - self.B + self.B * len(self.bodies[i]) / self.average)
                    about = 1.5 if term in self.headings[i] else 1.2 if term in self.bodies[i][:20] else 1.0
                    scores[i] += weight * idf * about * tf * (self.K1 + 1) / (tf + norm)
        found = (i for i, s in enumerate(scores) if s > 0 and (law is None or self.articles[i].law == law))
        best = sorted(found, key=lambda i: -scores[i] * self.prior[i])
        return [self.articles[i] for i in best[:limit]]


def _pairs(phrase: str) -> list[str]:
    return [phrase[i : i + 2] for i in range(len(phrase) - 1)]


def _words(phrase: str) -> list[str]:
    return list(jieba().cut_for_search(phrase))


def _word_starts(text: str) -> frozenset[int]:
    return frozenset(start for _, start, _ in jieba().tokenize(text))


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
        if not SLUG.fullmatch(
            slug
        ):  # buttons carry it, within Telegram's 64 bytes (a 57-character one did not)
            report.error(where, rows.index(row) + 2, f"{slug!r}: a law's slug is 2-32 of a-z and _")
            failed.add(slug)
            continue
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
        title_en = (row.get("english_title") or "").strip()
        if not title_en.isascii() or not title_en[:1].isupper():
            report.error(where, rows.index(row) + 2, f"{slug}: english_title must be the law's English title")
        laws[slug] = Law(slug=slug, title=row.get("chinese_title") or slug, version=row.get("version") or "",
                         source=f"{row.get('source_repository')} @ {row.get('source_commit', '')[:12]}",
                         articles={a.number: a for a in articles}, aliases=aliases, checked=checked,
                         title_en=title_en)  # fmt: skip
    known = {row.get("slug") or "" for row in rows}
    for slug in sorted(set(aliases_data) - known, key=str) if isinstance(aliases_data, dict) else ():
        line = line_at(aliases_data, [slug])
        report.error(display_path(folder / "aliases.yaml"), line, f"aliases for unknown law {slug!r}")
    topics, urgent, words, advice = _load_topics(folder / "topics.yaml", laws, frozenset(failed), report)
    return LawLibrary(laws, topics, frozenset(failed), urgent, words, advice)


def _load_topics(
    path: Path, laws: dict[str, Law], failed: frozenset[str], report: Report
) -> tuple[dict[str, list[Article]], frozenset[str], TopicWords, dict[str, str]]:
    """The topics (name → articles), those marked `urgent: true`, how their names are read (`words`,
    `everyday`: see TopicWords), and the advice some give (name → `advice:`, a key under law.advice in the
    locales)."""
    data = (read_yaml(path, report) if path.exists() else None) or {}
    where = display_path(path)
    if not isinstance(data, dict) or not isinstance(data.get("topics", {}), dict):
        report.error(where, 1, "topics.yaml holds `words`, `everyday` and `topics` (name → articles)")
        return {}, frozenset(), TopicWords(), {}
    words = _topic_words(data, where, report)
    topics: dict[str, list[Article]] = {}
    urgent: set[str] = set()
    advice: dict[str, str] = {}
    for name, refs in (data.get("topics") or {}).items():
        at = ["topics", name]
        # the name's own line (an alias's value is written at its anchor)
        named_at = listed.key_lines.get(name, 1) if isinstance(listed := data["topics"], LineDict) else 1
        if unread := _unread_classes(words, str(name)):
            report.error(where, named_at, f"{name}: {unread}")
        found: list[Article] = []
        cited = dict(refs) if isinstance(refs, dict) else {}
        if (flag := cited.pop("urgent", False)) is not False:
            if flag is not True:
                report.error(where, line_at(data, [*at, "urgent"]), f"{name}: urgent is true or left out")
            urgent.add(str(name))
        if (key := cited.pop("advice", None)) is not None:
            if not isinstance(key, str) or not key.isidentifier():
                report.error(
                    where, line_at(data, [*at, "advice"]), f"{name}: advice names a key of law.advice"
                )
            else:
                advice[str(name)] = key
        for slug, numbers in cited.items():
            line = line_at(data, [*at, slug])
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
            report.error(where, named_at, f"{name}: a topic needs {{law: [article numbers]}}")
        topics[str(name)] = found
    return topics, frozenset(urgent), words, advice


def _topic_words(data: dict[str, object], where: str, report: Report) -> TopicWords:
    """topics.yaml's word classes (class → its words) and everyday phrases."""
    classes = data.get("words") or {}
    words: dict[str, tuple[str, ...]] = {}
    for name, listed in classes.items() if isinstance(classes, dict) else ():
        if not isinstance(listed, list) or not listed or not all(isinstance(w, str) and w for w in listed):
            report.error(where, line_at(data, ["words", name]), f"word class {name}: a list of words")
            continue
        words[str(name)] = tuple(listed)
    if not isinstance(classes, dict):
        report.error(where, line_at(data, ["words"]), "words: word classes, each a list of words")
    everyday = data.get("everyday") or []
    if not isinstance(everyday, list) or not all(isinstance(w, str) and w for w in everyday):
        report.error(where, line_at(data, ["everyday"]), "everyday: a list of phrases")
        everyday = []
    read = TopicWords(words, tuple(everyday))
    for name, listed in words.items():
        for word in listed:
            if unread := _unread_classes(read, word):
                report.error(where, line_at(data, ["words", name]), f"word class {name}: {word}: {unread}")
    for phrase in everyday:
        if unread := _unread_classes(read, phrase):
            report.error(where, line_at(data, ["everyday"]), f"{phrase}: {unread}")
    return read


def _unread_classes(words: TopicWords, text: str) -> str:
    """What is wrong with the word classes `text` (a name, a class's word, an everyday phrase) uses, or ""
    when it expands to plain words."""
    if unknown := sorted(set(CLASS_REF.findall(text)) - set(words.words)):
        return "no word class " + ", ".join(f"{{{c}}}" for c in unknown) + " in `words`"
    if any(CLASS_REF.search(word) for word in words.expand(text)):
        return f"word classes nested more than {NESTING} deep"
    return ""
