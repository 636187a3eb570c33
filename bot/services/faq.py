"""Enrollment questions: answer from the curated FAQ, say when unsure, and keep what it could not
answer for the curators, whose replies and new wordings flow back into the content."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.faq import Faq, FaqEntry
from bot.db import faq as db
from bot.db.models import NORMALIZED_LENGTH, FaqAlternate, FaqQuery, User
from bot.db.session import add_row
from bot.db.users import lock_user
from bot.domain import QUESTION_LENGTH
from bot.services.errors import Refused
from bot.services.faq_matcher import HIGHER, FaqMatcher, Match, Normalizer, Result, Thresholds, Weights
from bot.services.pinyin_reader import PinyinTable
from bot.services.privacy import looks_personal, masked

Learned = Mapping[str, Sequence[str]]  # entry id → the wordings curators added to it (faq_alternates)
# The same vote on the same entry again within this is a double tap: the next steps after 👎 come once
REPEATED_WITHIN = timedelta(seconds=30)
# A follow-up (那幼儿园呢) refers to the entry the user was answered with at most this long ago
FOLLOW_UP_WITHIN = timedelta(minutes=30)
# The FAQ's texts at most that its words typed as pinyin are read from (`FaqService.pinyin`): about 0.1 s
# per thousand; the shipped content has about 5,200, an FAQ of 10,000 entries questions and keywords only
PINYIN_TEXTS = 6_000


@dataclass(frozen=True)
class Unanswered:
    normalized: str
    count: int
    example: str
    last: datetime


def matcher_of(faq: Faq, entries: dict[str, tuple[list[str], str]], *, exact: Mapping[str, Sequence[str]] | None = None,
               normalizer: Normalizer | None = None, weights: Weights | None = None,
               thresholds: Thresholds | None = None) -> FaqMatcher:  # fmt: skip
    """A matcher over `entries` (id → its wordings, its answer) with what `faq` says of them: its matching
    and English words (unless `normalizer` is given, made from them), each entry's school levels and
    sector (an id `faq` does not hold is for any). The bot's matcher (FaqService) and the benchmarks'
    (other entries, weights or thresholds) are made here alike."""
    known = faq.entries
    return FaqMatcher(
        entries,
        normalizer or Normalizer(faq.words, faq.english),
        weights,
        thresholds,
        levels={e: faq.levels_of(known[e]) for e in entries if e in known},
        exact=exact,
        sectors={e: known[e].sector for e in entries if e in known},
    )


class FaqService:
    def __init__(self, faq: Faq, tz: ZoneInfo, clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 learned: Learned | None = None, normalizer: Normalizer | None = None,
                 pinyin: PinyinTable | None = None) -> None:  # fmt: skip
        """`learned`: the wordings curators added, kept in the database and matched like the content's
        own alternates (wordings of entries the content no longer has are left out); `normalizer`: one
        made from `faq.words` (a new one if not given); `pinyin`: the table `pinyin` made before (the FAQ
        before a /reload or before the curators' new wordings), kept when it was made from the same texts,
        else its readings reused."""
        self.faq = faq
        self.tz = tz
        self.clock = clock
        self.learned = {k: tuple(v) for k, v in (learned or {}).items() if k in faq.entries and v}
        entries = {
            e.id: (
                [*dict.fromkeys([e.question, *e.alternates, *self.learned.get(e.id, ())]), *e.keywords],
                e.answer,
            )
            for e in faq.entries.values()
        }
        exact = {e.id: [e.question, *e.alternates, *self.learned.get(e.id, ())] for e in faq.entries.values()}
        self.matcher = matcher_of(faq, entries, exact=exact, normalizer=normalizer)
        self._pinyin: PinyinTable | None = None
        self._pinyin_before = pinyin
        self._pinyin_lock = threading.Lock()

    def with_learned(self, learned: Learned) -> FaqService:
        """This FAQ matching the curators' `learned` wordings (as the database holds them now); itself
        when they are the ones it already matches."""
        wanted = {k: tuple(v) for k, v in learned.items() if k in self.faq.entries and v}
        return self if wanted == self.learned else self.serving(self.faq, wanted)

    def serving(self, faq: Faq, learned: Learned) -> FaqService:
        """A service for `faq` (this one's time zone and clock) with its matcher built, pinyin side
        included: seconds at 10,000 entries, so callers run it off the event loop. While the matching
        words are the same, it keeps this one's normaliser, which remembers the wordings it normalised
        for this index: only new ones are normalised again."""
        same = faq.words == self.faq.words and faq.english == self.faq.english
        normalizer = self.matcher.normalize if same else None
        fresh = FaqService(faq, self.tz, self.clock, learned, normalizer, self._pinyin)
        fresh.prepare()
        return fresh

    def prepare(self) -> None:
        """What the first question would otherwise wait for: the matcher's pinyin side and homophone
        checks (`FaqMatcher.prepare`) and the table of words typed as pinyin. Safe from another thread."""
        self.matcher.prepare()
        self.pinyin()

    def pinyin(self) -> PinyinTable:
        """The FAQ's words by their pinyin (bot/services/pinyin_reader.py), from its questions, keywords
        and matching words first, then its alternates: PINYIN_TEXTS at most."""
        with self._pinyin_lock:
            if self._pinyin is None:
                entries = self.faq.entries.values()
                words = self.faq.words
                texts = [*(t for e in entries for t in (e.question, *e.keywords)),
                         *(w for canonical, variants in words.synonyms.items() for w in (canonical, *variants)),
                         *self.faq.english.words.values(), *(a for e in entries for a in e.alternates)]  # fmt: skip
                texts = texts[:PINYIN_TEXTS]
                before = self._pinyin_before
                self._pinyin = (
                    before if before is not None and before.texts == texts else PinyinTable(texts, before)
                )
                self._pinyin_before = None
            return self._pinyin

    def today(self) -> date:
        return self.clock().astimezone(self.tz).date()

    def ask(self, text: str, level: str | None = None) -> Result:
        """The best entries for a question (a long one by its end: `faq_matcher.window`); entries past
        their `valid_until` are never offered. `level`: the school level it is asked of when it names none
        (`FaqMatcher.search`)."""
        result = self.matcher.search(text, limit=6, level=level)
        today = self.today()
        live = [m for m in result.matches if not self.faq.entries[m.entry_id].expired(today)][:3]
        outcome = (
            self.matcher.decide(live, result.neighbours) if live != result.matches[:3] else result.outcome
        )
        return Result(outcome, live, result.normalized, result.neighbours)

    def without(self, result: Result, entry_id: str) -> Result:
        """`result` without `entry_id` (the user said it was not the answer), its outcome decided again on
        the others."""
        if entry_id not in {m.entry_id for m in result.matches}:
            return result
        rest = [m for m in result.matches if m.entry_id != entry_id]
        return Result(
            self.matcher.decide(rest, result.neighbours), rest, result.normalized, result.neighbours
        )

    def entry(self, entry_id: str) -> FaqEntry | None:
        entry = self.faq.entries.get(entry_id)
        return entry if entry is not None and not entry.expired(self.today()) else None

    def answered(self, user: User) -> FaqEntry | None:
        """The entry `user` was last answered with, if that was at most FOLLOW_UP_WITHIN ago."""
        at = user.faq_entry_at
        if user.faq_entry is None or at is None:
            return None
        recent = self.clock() - at <= FOLLOW_UP_WITHIN
        return self.entry(user.faq_entry) if recent else None

    def remember(self, user: User, entry_id: str | None) -> None:
        """`user` was answered with `entry_id` (kept on their row: /deleteme erases it with them); None:
        they asked something else, which no answer answered (a follow-up then refers to no answer)."""
        user.faq_entry, user.faq_entry_at = entry_id, self.clock() if entry_id is not None else None

    def answer_text(
        self, entry: FaqEntry, lang: str, pending: str | None = None, generic: Mapping[str, str] | None = None
    ) -> str:
        """The answer with site.yaml's facts filled in; with `pending`, in place of a sample value (or its
        `generic` description: see `Faq.fill`)."""
        return self.faq.fill(self._answer(entry, lang), pending, generic)

    def _answer(self, entry: FaqEntry, lang: str) -> str:
        return (entry.answer_en or "" if self.answered_in(entry, lang) == "en" else entry.answer).strip()

    @staticmethod
    def answered_in(entry: FaqEntry, lang: str) -> str | None:
        """The language `entry`'s answer is shown in to a reader of `lang`: "en" where it has an English
        answer, else None (the content's own, Chinese)."""
        return "en" if lang == "en" and entry.answer_en else None

    def hotline(self) -> str:
        """The enrollment hotline; "" while site.yaml holds only its sample value."""
        return self.faq.real("hotline")

    def next_steps(self, entry_id: str, offered: list[str]) -> list[FaqEntry]:
        """After 👎 on an entry: the other entries its message offered, else the ones closest to it."""
        ids = [i for i in offered if i != entry_id]
        if not ids and (entry := self.entry(entry_id)) is not None:
            ids = [m.entry_id for m in self.suggestions(entry.question) if m.entry_id != entry_id]
        return [e for e in (self.entry(i) for i in dict.fromkeys(ids)) if e is not None][:3]

    # -- the curators' loop -------------------------------------------------------------------------
    async def log_unanswered(self, session: AsyncSession, *, user_id: int, chat_id: int, text: str,
                             normalized: str) -> FaqQuery:  # fmt: skip
        """Keep the question whole (up to QUESTION_LENGTH: the handler refuses longer ones) for /unanswered
        and the curators, but for phone and ID card numbers (`masked`)."""
        query = FaqQuery(user_id=user_id, chat_id=chat_id, text=masked(text)[:QUESTION_LENGTH],
                         normalized=masked(normalized)[:NORMALIZED_LENGTH], created_at=self.clock())  # fmt: skip
        return await add_row(session, query)

    async def mark_posted(
        self, session: AsyncSession, *, query_id: int, chat_id: int, message_id: int
    ) -> None:
        await db.set_curator_message(session, query_id=query_id, chat_id=chat_id, message_id=message_id)

    async def query_for_curator_message(
        self, session: AsyncSession, chat_id: int, message_id: int
    ) -> FaqQuery | None:
        return await db.query_by_curator_message(session, chat_id=chat_id, message_id=message_id)

    async def mark_replied(self, session: AsyncSession, query_id: int) -> None:
        """A curator's reply reached the question's asker (gone from /unanswered)."""
        query = await db.query(session, query_id)
        if query is not None:  # its asker may have erased their data meanwhile
            query.replied_at = self.clock()

    def levels_named(self, result: Result) -> frozenset[str]:
        """The school levels the question `result` answers names (幼儿园, 小学 …, 大学)."""
        return self.matcher.normalize.levels(result.normalized)

    def beyond_schools(self, result: Result) -> bool:
        """Whether the question names higher education (大学, 高考, 考研 …) and no school level: neither the
        FAQ nor the district's enrollment staff answer it."""
        return self.levels_named(result) == {HIGHER}

    def suggestions(self, text: str) -> list[Match]:
        """Entries a curator may add this wording to: the closest ones, however unsure."""
        return self.matcher.search(text, limit=3).matches

    async def add_alternate(
        self, session: AsyncSession, *, query_id: int, entry_id: str, curator: int
    ) -> FaqAlternate | None:
        query = await db.query(session, query_id)
        if query is None or entry_id not in self.faq.entries:
            return None
        if looks_personal(query.text):
            raise Refused("faq.wording_personal")
        existing = await db.alternate(session, entry_id=entry_id, text=query.text)
        if existing is not None:
            return existing
        alternate = FaqAlternate(
            entry_id=entry_id, text=query.text, query_id=query.id, added_by=curator, created_at=self.clock()
        )
        db.add_alternate(session, alternate)
        return alternate

    async def learned_wordings(self, session: AsyncSession) -> dict[str, list[str]]:
        """Every wording curators added, by entry, oldest first: what the matcher learns from."""
        learned: dict[str, list[str]] = {}
        for alternate in await db.alternates(session):
            learned.setdefault(alternate.entry_id, []).append(alternate.text)
        return learned

    async def unanswered(self, session: AsyncSession, limit: int = 20) -> list[Unanswered]:
        """The most frequent unanswered questions, grouped by their normalised wording."""
        rows = await db.unanswered(session, limit=limit)
        return [Unanswered(n, int(c), example, last) for n, c, example, last in rows]

    async def vote(self, session: AsyncSession, *, user_id: int, entry_id: str, helpful: bool) -> bool:
        """Keep the user's vote on the entry; True when it repeats their same vote of moments ago (a double
        tap, REPEATED_WITHIN), which is answered once."""
        now = self.clock()
        await lock_user(session, user_id=user_id)  # two taps at once: the second sees the first's vote
        previous = await db.vote(session, user_id=user_id, entry_id=entry_id, helpful=helpful, now=now)
        if previous is None:
            return False
        was_helpful, at = previous
        return was_helpful == helpful and now - at < REPEATED_WITHIN
