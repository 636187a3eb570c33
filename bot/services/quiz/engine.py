"""The quiz engine: draws, shuffling, answering, deadlines, scoring and the mistake book.

Every state change goes to the database in the caller's session, so a restarted bot (or a second copy)
carries on. Answers are claimed with a conditional UPDATE: a double tap, a replayed update or two
concurrent taps on the same button count once.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.campaigns import Campaign, Shows
from bot.content.questions import QType, Question, QuestionBank
from bot.db import quiz as q
from bot.db import stats
from bot.db.models import Attempt, AttemptQuestion, User
from bot.db.session import Database
from bot.db.users import lock_user, user_languages
from bot.domain import AttemptMode, AttemptStatus, BestScore
from bot.services.errors import Refused
from bot.services.outbound import Send
from bot.services.quiz.draw import WEIGHTS, audience_of, decode, draw, draw_mix, encode, shuffled_order
from bot.services.quiz.results import mistake_book, percent
from bot.services.quiz.types import (
    AnswerResult,
    AnswerRow,
    AttemptState,
    Counted,
    Expired,
    Feedback,
    GivenUp,
    MistakeBook,
    QuestionRef,
    QuestionView,
    ReviewItem,
    Summary,
)

LENGTHS = (10, 20)
EXAM_LENGTH = 20
EXAM_MINUTES = 15
CHALLENGE_SECONDS = 30
# A second tap this soon after the first is the same tap twice (children double-tap): its question is not
# sent again. Later, a tap on an old button shows where the attempt is, in case that showing was lost.
REPEAT_QUIET = timedelta(seconds=10)
# an option typed this soon after the answer before it was typed for that one (sent twice, or on a slow line):
# an exam sends its next question with each answer, and a typed A carries no question (a review)
TYPED_QUIET = timedelta(seconds=3)
CHALLENGE_POOL = 100
REVIEW_LENGTH = 10
PASS, EXCELLENT = 60, 90


class QuizEngine:
    def __init__(
        self,
        bank: QuestionBank,
        tz: ZoneInfo,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        rng: random.Random | None = None,
        exam_seconds: int = EXAM_MINUTES * 60,
        campaigns: dict[str, Campaign] | None = None,
    ) -> None:
        self.bank = bank
        self.campaigns = campaigns or {}  # whose review options decide what an attempt's summary shows
        self.tz = tz
        self.exam_seconds = exam_seconds  # the mock exam's time limit
        self.clock = clock
        self.rng = rng or random.Random()

    def now(self) -> datetime:
        return self.clock()

    # -- starting ------------------------------------------------------------------------------------
    def laws_for(self, user: User) -> list[tuple[str, int]]:
        """(law slug, number of questions this user can be drawn) for every law with questions for them."""
        weights = WEIGHTS[audience_of(user)]
        counts = {
            law: sum(1 for x in questions if weights.get(x.audience.value, 0) > 0)
            for law, questions in self.bank.by_law.items()
        }
        return [(law, n) for law, n in counts.items() if n > 0]

    async def start(
        self, session: AsyncSession, user: User, *, law: str | None, mode: AttemptMode, length: int = 10
    ) -> QuestionView:
        if law is not None and law not in self.bank.by_law:
            raise Refused()
        if mode is AttemptMode.practice and length not in LENGTHS:
            raise Refused()
        now = self.now()
        # a double tap starts one quiz: four taps at once had sent four first questions, only the last of
        # which could be answered (a robustness pass); the user's row makes the taps take turns
        await lock_user(session, user_id=user.id)
        latest = await q.open_attempt(session, user_id=user.id)
        if (
            latest is not None
            and now - latest.started_at < REPEAT_QUIET
            and (latest.law, latest.mode) == (law, mode.value)
        ):
            raise Refused("quiz.started_already")
        pool = self.bank.pool(law)
        count = {AttemptMode.exam: EXAM_LENGTH, AttemptMode.challenge: CHALLENGE_POOL}.get(mode, length)
        questions = draw(pool, count, audience_of(user), self.rng)
        if not questions:
            raise Refused("quiz.no_questions")
        # a challenge's time runs per question, from the previous answer (or the start)
        deadline = now + timedelta(seconds=self.exam_seconds) if mode is AttemptMode.exam else None
        return await self._create(session, user, law, mode, questions, deadline)

    async def start_campaign(
        self, session: AsyncSession, user: User, campaign: Campaign, *, resume: bool = False
    ) -> tuple[QuestionView, bool]:
        """An exam-mode attempt drawn to the campaign's blueprint: so many questions per law, in the
        difficulty mix asked for, weighted to the user's audience; and whether it is new. A tap while
        this campaign's exam is open resumes it (a double tap spends one attempt, not two), but a second
        tap of 开始答题 within REPEAT_QUIET is refused (`resume`: the card's 继续答题 always resumes); the
        limit is counted with the user's row taken, so concurrent taps cannot pass it together."""
        blueprint = campaign.blueprint
        if blueprint is None:
            raise Refused()
        await lock_user(session, user_id=user.id)
        exam = await self._open_exam(session, user.id)
        if exam is not None and exam.campaign_id == campaign.id:
            if not resume and self.now() - exam.started_at < REPEAT_QUIET:  # five taps: five first questions
                raise Refused("quiz.already_started")
            view = await self._at(session, exam)
            if view is not None:
                return view, False
        if await q.campaign_attempts(session, user_id=user.id, campaign_id=campaign.id) >= campaign.attempts:
            raise Refused("campaign.no_attempts_left")
        audience = audience_of(user)
        questions: list[Question] = []
        for law, count in blueprint.laws.items():
            questions += draw_mix(self.bank.pool(law), count, blueprint.difficulty, audience, self.rng)
        self.rng.shuffle(questions)
        # the time limit, but never past the campaign's end (a pupils' pass: begun at 21:54, an attempt ran to
        # 22:09 and counted, past a 22:00 end); each question shows the deadline
        deadline = min(self.now() + timedelta(minutes=blueprint.minutes), campaign.window(self.tz)[1])
        return await self._create(session, user, None, AttemptMode.exam, questions, deadline, campaign), True

    async def start_single(self, session: AsyncSession, user: User, question_id: str) -> QuestionView:
        """The daily reading's one question, with feedback (it counts in no score or record)."""
        question = self.bank.get(question_id)
        if question is None:
            raise Refused("quiz.question_gone")
        return await self._create(session, user, question.law, AttemptMode.reading, [question], None)

    async def start_review(self, session: AsyncSession, user: User) -> QuestionView:
        """Redo up to ten questions from the mistake book, with feedback."""
        questions = (await self.mistakes(session, user)).questions[:REVIEW_LENGTH]
        if not questions:
            raise Refused("mistakes.empty")
        return await self._create(session, user, None, AttemptMode.review, questions, None)

    async def _create(
        self,
        session: AsyncSession,
        user: User,
        law: str | None,
        mode: AttemptMode,
        questions: list[Question],
        deadline: datetime | None,
        campaign: Campaign | None = None,
    ) -> QuestionView:
        now = self.now()
        await lock_user(session, user_id=user.id)
        exam = await self._open_exam(session, user.id)
        if exam is not None and (campaign is None or exam.campaign_id != campaign.id):
            # never abandon an exam silently: a campaign's spends one of its attempts
            raise Refused(
                "quiz.exam_in_progress" if exam.campaign_id else "quiz.mock_in_progress", resume=exam.id
            )
        await q.abandon_open(session, user_id=user.id, now=now)
        rows: list[dict[str, object]] = [
            {"position": i, "question_id": x.id, "option_order": encode(shuffled_order(x, self.rng))}
            for i, x in enumerate(questions)
        ]
        attempt = Attempt(
            user_id=user.id, mode=mode.value, law=law, total=len(questions), shown=1, shown_at=now, correct=0,
            status=AttemptStatus.open.value, started_at=now, deadline_at=deadline,
            campaign_id=campaign.id if campaign else None,
            pass_mark=campaign.pass_mark if campaign else PASS,
            excellent_mark=campaign.excellent if campaign else EXCELLENT,
        )  # fmt: skip
        await q.create_attempt(session, attempt=attempt, rows=rows)
        return self._view(attempt, questions[0].id, str(rows[0]["option_order"]), 0)

    # -- reading -------------------------------------------------------------------------------------
    def _view(self, attempt: AttemptState, question_id: str, order: str, position: int) -> QuestionView:
        question = self.bank.get(question_id)
        if question is None:  # the question was removed from the bank since the attempt began
            raise Refused("quiz.question_gone")
        return QuestionView(
            ref=QuestionRef(attempt.id, position, question_id, order), total=attempt.total,
            mode=AttemptMode(attempt.mode), law=attempt.law or question.law, question=question,
            deadline=attempt.deadline_at,
        )  # fmt: skip

    def question_of(self, ref: QuestionRef) -> Question:
        """The question a button names, if the data is well-formed; refuses forged shapes early."""
        question = self.bank.get(ref.question_id)
        if (
            question is None
            or not (ref.order.isascii() and ref.order.isdigit())  # a forged order of letters
            or sorted(ref.indices) != list(range(len(question.choices)))
        ):
            raise Refused()
        return question

    async def _open_exam(self, session: AsyncSession, user_id: int) -> Attempt | None:
        """The user's open exam (campaign or mock) before its deadline, if any."""
        attempt = await q.open_attempt(session, user_id=user_id)
        if attempt is None or attempt.mode != AttemptMode.exam.value:
            return None
        deadline = attempt.deadline_at
        return attempt if deadline is None or self.now() < deadline else None

    async def under_way(self, session: AsyncSession, user: User, campaign: Campaign) -> bool:
        """Whether the user's exam of `campaign` is open and before its deadline (its card offers to carry
        on with it: it counts among the attempts used, and has no result yet)."""
        exam = await self._open_exam(session, user.id)
        return exam is not None and exam.campaign_id == campaign.id

    async def open_attempt(
        self, session: AsyncSession, user: User, *, locked: bool = False
    ) -> tuple[Attempt, int] | None:
        """The user's open attempt, if any, and the position of its current question; `locked`: the user's row
        taken first, for a tap that drops what it reads (two taps at once take turns: the second finds what
        the first left, not the attempt the first dropped)."""
        if locked:
            await lock_user(session, user_id=user.id)
        attempt = await q.open_attempt(session, user_id=user.id)
        if attempt is None:
            return None
        return attempt, await q.answered_count(session, attempt_id=attempt.id)

    async def current(self, session: AsyncSession, user: User, attempt_id: int) -> QuestionView:
        """The question the attempt is at (to resume after a restart or from /quiz)."""
        attempt, _ = await self._load(session, user, attempt_id, ())
        view = await self._at(session, attempt)
        if view is None:
            raise Refused()
        # its 下一题 must claim the next: 继续 after the FAQ had left every later 下一题 silent
        await q.note_shown(session, attempt_id=attempt_id, position=view.position, now=self.now())
        return view

    async def awaiting(self, session: AsyncSession, attempt: Attempt) -> QuestionView | None:
        """The question the open `attempt` (open_attempt's) waits on, if it was sent a moment ago or more: what
        an option typed instead of pressed answers. Practice sends its next question only on 下一题 (until then
        there is none); an exam or a challenge with each answer, so within TYPED_QUIET of the answer before it
        there is none either: the text was meant for that one."""
        view = await self._at(session, attempt)
        if view is None:
            return None
        if not AttemptMode(attempt.mode).sends_next and attempt.shown <= view.position:
            return None
        before = (
            await q.row_at(session, attempt_id=attempt.id, position=view.position - 1)
            if view.position
            else None
        )
        if (
            before is not None
            and before.answered_at is not None
            and self.now() - before.answered_at < TYPED_QUIET
        ):
            return None
        return view

    async def _at(self, session: AsyncSession, attempt: AttemptState) -> QuestionView | None:
        """The first unanswered question of an open attempt (None: all answered)."""
        position = await q.answered_count(session, attempt_id=attempt.id)
        row = await q.row_at(session, attempt_id=attempt.id, position=position)
        return None if row is None else self._view(attempt, row.question_id, row.option_order, row.position)

    async def _load(
        self, session: AsyncSession, user: User, attempt_id: int, positions: tuple[int, ...]
    ) -> tuple[Attempt, dict[int, AttemptQuestion]]:
        """The user's own open attempt with its rows at `positions`."""
        attempt, rows = await q.attempt_with_rows(session, attempt_id=attempt_id, positions=positions)
        if attempt is None or attempt.user_id != user.id:
            raise Refused("quiz.not_yours")
        if attempt.status != AttemptStatus.open.value:
            raise Refused("quiz.closed")
        return attempt, rows

    # -- answering -----------------------------------------------------------------------------------
    def check_picks(self, ref: QuestionRef, picks: frozenset[int]) -> Question:
        """Ticks on a multiple-choice question live in the message's buttons until it is submitted."""
        question = self.question_of(ref)
        if question.type is not QType.multiple or any(not 0 <= i < len(question.choices) for i in picks):
            raise Refused()
        return question

    async def answer(
        self, session: AsyncSession, user_id: int, ref: QuestionRef, chosen: frozenset[int]
    ) -> AnswerResult:
        """Answer the question `ref` with the displayed options `chosen`, as Telegram user `user_id`.

        The common case is one statement: the answer row is written only where everything the button
        claims is true, and the attempt's fields come back with the user's language, so the caller needs no
        user row. The attempt's progress is its answered rows; nothing else moves."""
        question = self.question_of(ref)
        if not chosen:
            raise Refused("quiz.pick_first")
        if any(not 0 <= i < len(question.choices) for i in chosen) or (
            question.type is not QType.multiple and len(chosen) != 1
        ):
            raise Refused()
        original = encode(sorted(ref.indices[i] for i in chosen))
        correct = frozenset(decode(original)) == question.correct
        now = self.now()
        attempt = await q.record_answer(
            session, user_id=user_id, attempt_id=ref.attempt_id, position=ref.position,
            question_id=ref.question_id, option_order=ref.order, chosen=original, correct=correct, now=now,
            challenge_cutoff=now - timedelta(seconds=CHALLENGE_SECONDS),
        )  # fmt: skip
        if attempt is None:
            return await self._not_recorded(session, user_id, ref, question, chosen, original, now)
        upcoming = (attempt.next_question_id, attempt.next_option_order) if attempt.next_question_id else None
        return await self._answered(attempt, ref, question, chosen, correct, late=False, session=session,
                                    language=attempt.language, upcoming=upcoming)  # fmt: skip

    async def _not_recorded(self, session: AsyncSession, user_id: int, ref: QuestionRef, question: Question,
                            chosen: frozenset[int], original: str, now: datetime) -> AnswerResult:  # fmt: skip
        """Why an answer was not recorded: another's or a forged button, a closed attempt, a repeat, or
        too late (an exam then closes; a late challenge answer counts as wrong)."""
        attempt, rows = await q.attempt_with_rows(
            session, attempt_id=ref.attempt_id, positions=(ref.position - 1, ref.position)
        )
        if attempt is None or attempt.user_id != user_id:
            raise Refused("quiz.not_yours")
        row = rows.get(ref.position)
        if row is None or row.question_id != ref.question_id or row.option_order != ref.order:
            raise Refused()
        if attempt.status != AttemptStatus.open.value:
            raise Refused("quiz.closed")
        before = rows.get(ref.position - 1)
        if row.answered_at is not None:  # a repeat: the reply to the first tap may never have arrived
            again = now - row.answered_at >= REPEAT_QUIET
            # exams and challenges send the next question with the answer, so it may be what was lost
            if AttemptMode(attempt.mode).sends_next:
                return AnswerResult(
                    duplicate=True, current=await self._at(session, attempt) if again else None
                )
            # practice and review send it on 下一题: until that is pressed, the answer's feedback is shown
            # again, with its 下一题 (a robustness pass: when Telegram lost the feedback, a retap had got only
            # the toast 这道题已经作答过了)
            if again and attempt.shown <= ref.position + 1:
                recorded = frozenset(decode(row.chosen or ""))
                chosen_shown = frozenset(i for i, original in enumerate(ref.indices) if original in recorded)
                feedback = self._feedback(attempt, ref, question, chosen_shown, bool(row.correct), late=False)
                return AnswerResult(duplicate=True, feedback=feedback)
            return AnswerResult(duplicate=True)
        if before is not None and before.answered_at is None:
            return AnswerResult(duplicate=True)  # not yet: an earlier question is unanswered
        deadline = attempt.deadline_at
        if AttemptMode(attempt.mode) is AttemptMode.challenge:
            clock = before.answered_at if before is not None else attempt.started_at
            deadline = (clock or now) + timedelta(seconds=CHALLENGE_SECONDS)
        late = deadline is not None and now > deadline
        if not late:
            return AnswerResult(duplicate=True)  # lost a race with a concurrent tap
        if AttemptMode(attempt.mode) is AttemptMode.exam:
            return AnswerResult(summary=await self._finish(session, attempt, AttemptStatus.expired))
        if not await q.record_late(
            session, attempt_id=ref.attempt_id, position=ref.position, chosen=original, now=now
        ):
            return AnswerResult(duplicate=True)
        # counted wrong, so the challenge ends here: there is no next question to show
        return await self._answered(attempt, ref, question, chosen, False, late=True, session=session,
                                    language=None, upcoming=None)  # fmt: skip

    async def _answered(self, attempt: AttemptState, ref: QuestionRef, question: Question,
                        chosen: frozenset[int], correct: bool, *, late: bool, session: AsyncSession,
                        language: str | None, upcoming: tuple[str, str] | None) -> AnswerResult:  # fmt: skip
        """What to show after the answer at `ref.position` was recorded; `upcoming` is the next
        question's id and option order."""
        feedback = self._feedback(attempt, ref, question, chosen, correct, late=late)
        mode = AttemptMode(attempt.mode)
        if ref.position + 1 >= attempt.total or (mode is AttemptMode.challenge and not correct):
            summary = await self._finish(session, attempt, AttemptStatus.finished)
            return AnswerResult(feedback=feedback, summary=summary, language=language)
        following = None
        if mode.sends_next and upcoming is not None:
            following = self._view(attempt, *upcoming, ref.position + 1)
        return AnswerResult(feedback=feedback, next=following, language=language)

    def _feedback(self, attempt: AttemptState, ref: QuestionRef, question: Question, chosen: frozenset[int],
                  correct: bool, *, late: bool) -> Feedback:  # fmt: skip
        """The answer `chosen` (displayed options) to the question at `ref`, marked against its right ones."""
        view = self._view(attempt, ref.question_id, ref.order, ref.position)
        right = frozenset(i for i, original in enumerate(ref.indices) if original in question.correct)
        return Feedback(view=view, correct=correct, chosen=chosen, right=right, late=late)

    async def next_question(
        self, session: AsyncSession, user: User, attempt_id: int, position: int
    ) -> QuestionView | None:
        """Practice: the 下一题 button. Sends question `position` once, however often it is pressed at once (a
        double tap); pressed again REPEAT_QUIET or more after it was sent, while it is unanswered, it sends it
        again: Telegram may have lost it (a robustness pass: a 502 had left the user with no question and a
        下一题 that sent nothing)."""
        attempt, rows = await self._load(session, user, attempt_id, (position,))
        row = rows.get(position)
        if row is None:
            return None
        now = self.now()
        if not await q.claim_shown(session, attempt_id=attempt_id, position=position, now=now):
            # sent already: `attempt` was read before the claim, so a concurrent tap's claim is not taken
            # for an earlier one
            sent = attempt.shown_at if attempt.shown == position + 1 else None
            if sent is None or row.answered_at is not None or now - sent < REPEAT_QUIET:
                return None
            # sent again once, however many taps come at once (a review: each re-sent it)
            if not await q.sent_again(session, attempt_id=attempt_id, position=position, sent=sent, now=now):
                return None
        return self._view(attempt, row.question_id, row.option_order, position)

    # -- ending --------------------------------------------------------------------------------------
    async def _finish(
        self, session: AsyncSession, attempt: AttemptState, status: AttemptStatus
    ) -> Summary | None:
        mode = AttemptMode(attempt.mode)
        best = None
        if mode is AttemptMode.challenge:
            scores = await q.best_scores(session, user_id=attempt.user_id)
            best = max((s.score for s in scores if s.mode == mode.value and s.law == attempt.law), default=0)
        rows = await q.question_rows(session, attempt_id=attempt.id)
        correct = sum(1 for row in rows if row.correct)
        score = correct if mode is AttemptMode.challenge else percent(correct, attempt.total)
        now = self.now()
        # an exam closed after its deadline (by the expiry job, or on the user's return) took its time limit
        ended = min(now, deadline) if mode is AttemptMode.exam and (deadline := attempt.deadline_at) else now
        seconds = max(0, math.floor((ended - attempt.started_at).total_seconds()))
        if not await q.finish(session, attempt_id=attempt.id, status=status, correct=correct, score=score,
                              seconds=seconds, now=now):  # fmt: skip
            return None
        if attempt.campaign_id:
            answered = [
                (row.question_id, bool(row.correct), row.chosen)
                for row in rows
                if row.answered_at is not None
            ]
            await stats.tally_answers(session, campaign_id=attempt.campaign_id, user_id=attempt.user_id,
                                      answers=answered)  # fmt: skip
        used = await self._used(session, attempt.user_id, attempt.campaign_id)
        summary = self._summary(attempt, status, correct, score, seconds, rows, best, used=used)
        return dataclasses.replace(summary, counted=await self._counted_instead(session, attempt))

    async def _counted_instead(self, session: AsyncSession, attempt: AttemptState) -> Counted | None:
        """The campaign's attempt that counts for the user, when it is another than `attempt` (an earlier,
        better one), else None."""
        campaign = self.campaigns.get(attempt.campaign_id) if attempt.campaign_id else None
        if campaign is None:
            return None
        counted = await q.counted_attempt(
            session, user_id=attempt.user_id, campaign_id=campaign.id, counts=campaign.counts
        )
        if counted is None or counted.id == attempt.id or counted.score is None:
            return None
        return Counted(
            counted.score, counted.score >= counted.pass_mark, counted.score >= counted.excellent_mark
        )

    async def _used(self, session: AsyncSession, user_id: int, campaign_id: str | None) -> int | None:
        """The attempts the user has started in this campaign (None: not a campaign's, or no longer one)."""
        campaign = self.campaigns.get(campaign_id) if campaign_id else None
        if campaign is None:
            return None
        return await q.campaign_attempts(session, user_id=user_id, campaign_id=campaign.id)

    async def has_result(self, session: AsyncSession, user: User, campaign: Campaign) -> bool:
        """Whether the user has an ended attempt of `campaign` to review (one given up has none)."""
        found = await q.counted_attempt(
            session, user_id=user.id, campaign_id=campaign.id, counts=campaign.counts
        )
        return found is not None

    async def campaign_review(self, session: AsyncSession, user: User, campaign: Campaign) -> Summary:
        """The review of the user's attempt that counts in `campaign`, as its review options allow now."""
        attempt = await q.counted_attempt(
            session, user_id=user.id, campaign_id=campaign.id, counts=campaign.counts
        )
        if attempt is None:
            raise Refused("rank.none")
        rows = await q.question_rows(session, attempt_id=attempt.id)
        used = await self._used(session, user.id, campaign.id)
        return self._summary(attempt, AttemptStatus(attempt.status), attempt.correct, attempt.score or 0,
                             attempt.seconds or 0, rows, None, used=used)  # fmt: skip

    def _summary(
        self,
        attempt: AttemptState,
        status: AttemptStatus,
        correct: int,
        score: int,
        seconds: int,
        rows: Sequence[AnswerRow],
        best: int | None,
        *,
        used: int | None = None,
    ) -> Summary:
        """What the user is told when an attempt ends: a campaign's review options decide which questions
        are listed, its correct answers are shown once it reveals them after `used` attempts, and how many
        attempts are left is said."""
        mode = AttemptMode(attempt.mode)
        campaign = self.campaigns.get(attempt.campaign_id) if attempt.campaign_id else None
        revealed = campaign is None or used is None or campaign.reveals(self.now(), self.tz, used)
        shows = campaign.review.shows if campaign else Shows.wrong_only
        answered = [r for r in rows if r.answered_at is not None]
        items = []
        for row in rows:
            question = self.bank.get(row.question_id)
            if mode is AttemptMode.challenge and row.answered_at is None:
                continue  # a challenge's unasked questions are not part of it
            right = bool(row.correct) and row.answered_at is not None
            if (
                question is None
                or shows is Shows.none
                or shows is Shows.score
                or (right and shows is not Shows.full)
            ):
                continue
            answers = [question.choices[i] for i in sorted(question.correct)] if revealed else None
            items.append(ReviewItem(question, right, answers, answered=row.answered_at is not None))
        total = attempt.total if mode is not AttemptMode.challenge else len(answered)
        return Summary(
            attempt_id=attempt.id, user_id=attempt.user_id, mode=mode, law=attempt.law, status=status,
            answered=len(answered), correct=correct, total=total, score=score,
            seconds=seconds,
            passed=mode is not AttemptMode.challenge and score >= attempt.pass_mark,
            excellent=mode is not AttemptMode.challenge and score >= attempt.excellent_mark, items=items, best=best,
            campaign_id=attempt.campaign_id, shows=shows, reveal=None if revealed or campaign is None else campaign.review.answers,
            attempts_left=None if campaign is None or used is None else max(0, campaign.attempts - used),
            campaign_over=campaign is not None and self.now() >= campaign.window(self.tz)[1],
        )  # fmt: skip

    async def close_expired(self, db: Database, notify: Send[Expired]) -> int:
        """Close every attempt past its deadline, then send each user their result (in their language,
        None for the default). Returns how many were closed."""
        async with db.transaction() as session:
            summaries = await self.expire_due(session)
            languages = await user_languages(session, user_ids={s.user_id for s in summaries})
        for summary in summaries:
            await notify(Expired(summary, languages.get(summary.user_id)))
        return len(summaries)

    async def expire_due(self, session: AsyncSession, user: User | None = None) -> list[Summary]:
        """Close attempts whose deadline passed (the periodic job; `user`: theirs only, as they come back).
        Unanswered questions count as wrong."""
        summaries = []
        cutoff = self.now() - timedelta(seconds=CHALLENGE_SECONDS)
        whose = None if user is None else user.id
        for attempt in await q.due_attempts(session, now=self.now(), challenge_cutoff=cutoff, user_id=whose):
            summary = await self._finish(session, attempt, AttemptStatus.expired)
            if summary is not None:
                summaries.append(summary)
        return summaries

    async def keep_spent(self, session: AsyncSession, user_id: int) -> None:
        """Before the user's data is erased: the attempts they have started in each campaign not yet ended,
        kept until its end, so that erasing gives no fresh attempts (a teachers' pass had retaken the staff
        exam as often as they liked). The user's row is taken first: a second tap of 确认删除 waits for the first
        and finds its rows (both had inserted them: a robustness pass, PostgreSQL)."""
        await lock_user(session, user_id=user_id)
        now = self.now()
        ends = {c.id: end for c in self.campaigns.values() if (end := c.window(self.tz)[1]) > now}
        await q.keep_spent(session, user_id=user_id, until=ends, now=now)

    async def end_practice(self, session: AsyncSession, user: User, attempt_id: int) -> None:
        """End the practice quiz `attempt_id` if it is the one under way, so a campaign's exam can start: only
        that practice, never an exam (a second tap, or a forged button, finds none to end)."""
        found = await self.open_attempt(session, user)
        if found is not None and found[0].id == attempt_id and found[0].campaign_id is None:
            await self.abandon(session, user)

    async def abandon(self, session: AsyncSession, user: User) -> GivenUp | None:
        """Drop the user's open attempt; when it was an exam, which (a campaign's uses up an attempt)."""
        for campaign_id, mode in await q.abandon_open(session, user_id=user.id, now=self.now()):
            if mode == AttemptMode.exam.value:
                return GivenUp(self.campaigns.get(campaign_id) if campaign_id else None)
        return None

    # -- records -------------------------------------------------------------------------------------
    async def mistakes(self, session: AsyncSession, user: User) -> MistakeBook:
        """The mistake book (错题本), most recent mistake first, derived from the user's answers; a campaign's
        mistakes join it once its answers may be shown (redoing them gives feedback with the answers)."""
        attempted = await q.campaigns_attempted(session, user_id=user.id)
        hidden = frozenset(
            cid for cid, used in attempted.items()
            if (campaign := self.campaigns.get(cid)) is not None and not campaign.reveals(self.now(), self.tz, used)
        )  # fmt: skip
        history = await q.answer_history(session, user_id=user.id, hidden_campaigns=hidden)
        ids = mistake_book(history, self.tz)
        return MistakeBook([x for x in (self.bank.get(i) for i in ids) if x is not None], bool(hidden))

    async def scores(self, session: AsyncSession, user: User) -> tuple[list[Attempt], list[BestScore]]:
        return await q.recent_attempts(session, user_id=user.id), await q.best_scores(
            session, user_id=user.id
        )
