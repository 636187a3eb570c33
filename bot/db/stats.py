"""Campaign statistics, computed in SQL (window functions and GROUP BY), never by loading rows.

`results()` is the heart: one row per participant who finished, with the attempt that counts
(best, ties to the faster one; or last) and where they belong. Everything else aggregates it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Subquery

from bot.db.models import Attempt, AttemptQuestion, CampaignMember, School, User
from bot.domain import BoardEntry, Row, Scope, Standing

FINISHED = ("finished", "expired")


def _in_scope(scope: Scope, school: Any, grade: Any, class_no: Any) -> Any:
    if scope.district:
        return literal(True)
    conditions = []
    if scope.schools:
        conditions.append(school.in_(scope.schools))
    for s, g, c in scope.classes:
        conditions.append(and_(school == s, grade == g, class_no == c))
    return or_(*conditions) if conditions else literal(False)


def results(campaign_id: str, counts: str, scope: Scope) -> Subquery:
    """One row per user with a finished attempt: user, score, seconds, passed, excellent, day, and
    their school, grade and class."""
    order = (
        (Attempt.score.desc(), Attempt.seconds.asc(), Attempt.id.asc())
        if counts == "best"
        else (Attempt.finished_at.desc(), Attempt.id.desc())
    )
    ranked = (
        select(
            Attempt.user_id, Attempt.score, Attempt.seconds, Attempt.finished_at,
            (Attempt.score >= Attempt.pass_mark).label("passed"),
            (Attempt.score >= Attempt.excellent_mark).label("excellent"),
            func.row_number().over(partition_by=Attempt.user_id, order_by=order).label("n"),
        )
        .where(Attempt.campaign_id == campaign_id, Attempt.status.in_(FINISHED))
        .subquery()
    )  # fmt: skip
    return (
        select(
            ranked.c.user_id, ranked.c.score, ranked.c.seconds, ranked.c.finished_at, ranked.c.passed,
            ranked.c.excellent, User.school_id, User.grade, User.class_no, User.role, User.display_name,
            User.show_name,
        )
        .join(User, User.id == ranked.c.user_id)
        .where(ranked.c.n == 1, _in_scope(scope, User.school_id, User.grade, User.class_no))
        .subquery()
    )  # fmt: skip


def members(campaign_id: str, scope: Scope) -> Subquery:
    """Participants: users who joined the campaign or began an attempt in it."""
    joined = select(CampaignMember.user_id).where(CampaignMember.campaign_id == campaign_id)
    began = select(Attempt.user_id).where(Attempt.campaign_id == campaign_id)
    ids = joined.union(began).subquery()
    return (
        select(User.id.label("user_id"), User.school_id, User.grade, User.class_no)
        .join(ids, ids.c.user_id == User.id)
        .where(_in_scope(scope, User.school_id, User.grade, User.class_no))
        .subquery()
    )


@dataclass(frozen=True)
class Overview:
    total: Row  # everyone in the scope (with or without a school)
    groups: list[Row]  # per school or per class
    median: float | None  # of the counted scores


async def overview(
    session: AsyncSession, *, campaign_id: str, counts: str, scope: Scope, roles: tuple[str, ...], level: str
) -> Overview:
    """Rows per school, or per class (grade and class within the scope's schools), their total
    and the median score: one pass over the results (grouped by key and score, at most ~100 scores per
    group) and one over the participants."""
    r = results(campaign_id, counts, scope)
    m = members(campaign_id, scope)
    if level == "school":
        keys_r, keys_m = [r.c.school_id], [m.c.school_id]
    else:
        keys_r, keys_m = [r.c.school_id, r.c.grade, r.c.class_no], [m.c.school_id, m.c.grade, m.c.class_no]
    passed = func.sum(case((r.c.passed, 1), else_=0))
    excellent = func.sum(case((r.c.excellent, 1), else_=0))
    tallies = (await session.execute(
        select(*keys_r, r.c.score, func.count(), passed, excellent).group_by(*keys_r, r.c.score)
    )).all()  # fmt: skip
    joined = {
        tuple(row[:-1]): int(row[-1])
        for row in (await session.execute(select(*keys_m, func.count()).group_by(*keys_m))).all()
    }
    n = len(keys_r)
    done: dict[tuple[Any, ...], list[int]] = {}  # key: completed, passed, excellent, score sum
    scores: dict[int, int] = {}
    for tally in tallies:
        score, count = int(tally[n] or 0), int(tally[n + 1])
        sums = done.setdefault(tuple(tally[:n]), [0, 0, 0, 0])
        for i, value in enumerate((count, int(tally[n + 2] or 0), int(tally[n + 3] or 0), score * count)):
            sums[i] += value
        scores[score] = scores.get(score, 0) + count
    # a class's size is not in the database (StatsService reads schools.yaml's class_sizes)
    enrolled = await _enrolled_by_school(session, roles) if level == "school" else {}

    def row(key: str, d: list[int], participants: int, seats: int) -> Row:
        return Row(key=key, label="", participants=participants, completed=d[0], passed=d[1], excellent=d[2],
                   mean=d[3] / d[0] if d[0] else 0.0, enrolled=seats)  # fmt: skip

    groups = [
        row(":".join(str(k) for k in key), done.get(key, [0, 0, 0, 0]), joined.get(key, 0),
            enrolled.get(key[0], 0))
        for key in set(done) | set(joined) if key[0] is not None
    ]  # fmt: skip
    everyone = [sum(d[i] for d in done.values()) for i in range(4)]
    total = row("all", everyone, sum(joined.values()), await _enrolled(session, scope, roles))
    return Overview(total, groups, _median(scores))


def _median(scores: dict[int, int]) -> float | None:
    """The median of a score histogram (score: how many)."""
    count = sum(scores.values())
    if not count:
        return None
    middle, seen, picks = ((count - 1) // 2, count // 2), 0, []
    for score in sorted(scores):
        low, seen = seen, seen + scores[score]
        picks += [score for m in middle if low <= m < seen]
    return sum(picks) / len(picks)


async def _enrolled(session: AsyncSession, scope: Scope, roles: tuple[str, ...]) -> int:
    column = (School.students if "student" in roles else 0) + (School.staff if "staff" in roles else 0)
    query = select(func.sum(column))
    if not scope.district:
        if scope.classes and not scope.schools:
            return 0  # class sizes are not known
        query = query.where(School.id.in_(scope.schools))
    return int(await session.scalar(query) or 0)


async def _enrolled_by_school(session: AsyncSession, roles: tuple[str, ...]) -> dict[str, int]:
    column = (School.students if "student" in roles else 0) + (School.staff if "staff" in roles else 0)
    result = await session.execute(select(School.id, func.sum(column)).group_by(School.id))
    return {k: int(v or 0) for k, v in result.all()}


async def hardest(
    session: AsyncSession, *, campaign_id: str, scope: Scope, limit: int = 5
) -> list[tuple[str, int, int]]:
    """(question id, wrong answers, answers) for the questions answered wrong most often."""
    wrong = func.sum(case((AttemptQuestion.correct.is_(False), 1), else_=0))
    query = (
        select(AttemptQuestion.question_id, wrong, func.count())
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(Attempt.campaign_id == campaign_id, AttemptQuestion.answered_at.is_not(None))
        .group_by(AttemptQuestion.question_id)
        .order_by(wrong.desc(), AttemptQuestion.question_id)
        .limit(limit)
    )
    if not scope.district:  # only then do users (and their schools) narrow it down
        query = query.join(User, User.id == Attempt.user_id).where(
            _in_scope(scope, User.school_id, User.grade, User.class_no)
        )
    return [(qid, int(w), int(n)) for qid, w, n in (await session.execute(query)).all()]


async def item_analysis(
    session: AsyncSession, *, campaign_id: str, counts: str, scope: Scope
) -> list[tuple[str, int, float, float]]:
    """Per question: answers, facility (share correct) and discrimination (share correct in the top
    quarter of participants minus the bottom quarter, by their counted score)."""
    r = results(campaign_id, counts, scope)
    quartile = select(r.c.user_id, func.ntile(4).over(order_by=r.c.score).label("q")).subquery()
    right = case((AttemptQuestion.correct.is_(True), 1.0), else_=0.0)
    query = (
        select(
            AttemptQuestion.question_id, func.count(), func.avg(right),
            func.avg(case((quartile.c.q == 4, right))), func.avg(case((quartile.c.q == 1, right))),
        )
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .join(quartile, quartile.c.user_id == Attempt.user_id)
        .where(Attempt.campaign_id == campaign_id, AttemptQuestion.answered_at.is_not(None))
        .group_by(AttemptQuestion.question_id)
        .order_by(AttemptQuestion.question_id)
    )  # fmt: skip
    return [(qid, int(n), float(f or 0), float(top or 0) - float(bottom or 0))
            for qid, n, f, top, bottom in (await session.execute(query)).all()]  # fmt: skip


def participants_query(campaign_id: str, counts: str, scope: Scope) -> Select[tuple[object, ...]]:
    r = results(campaign_id, counts, scope)
    return select(r).order_by(r.c.school_id, r.c.grade, r.c.class_no, r.c.score.desc(), r.c.seconds)


async def per_day(session: AsyncSession, *, campaign_id: str, scope: Scope) -> list[tuple[date, int]]:
    """Participants who finished, by the (UTC) day of their counted attempt."""
    r = results(campaign_id, "best", scope)
    day = func.date(r.c.finished_at)
    rows = (await session.execute(select(day, func.count()).group_by(day).order_by(day))).all()
    return [(d if isinstance(d, date) else date.fromisoformat(str(d)[:10]), int(n)) for d, n in rows]


async def standing(session: AsyncSession, *, campaign_id: str, counts: str, user_id: int) -> Standing | None:
    """(score, seconds, rank in class, class size, rank in school, school size) of one participant;
    ties are broken by time taken."""
    r = results(campaign_id, counts, Scope(district=True))
    order = (r.c.score.desc(), r.c.seconds.asc())
    ranked = select(
        r.c.user_id, r.c.score, r.c.seconds,
        func.rank().over(partition_by=(r.c.school_id, r.c.grade, r.c.class_no), order_by=order).label("class_rank"),
        func.count().over(partition_by=(r.c.school_id, r.c.grade, r.c.class_no)).label("class_size"),
        func.rank().over(partition_by=r.c.school_id, order_by=order).label("school_rank"),
        func.count().over(partition_by=r.c.school_id).label("school_size"),
    ).subquery()  # fmt: skip
    row = (await session.execute(select(ranked).where(ranked.c.user_id == user_id))).first()
    if row is None:
        return None
    return Standing(int(row.score), int(row.seconds or 0), int(row.class_rank), int(row.class_size),
                    int(row.school_rank), int(row.school_size))  # fmt: skip


async def class_board(session: AsyncSession, *, campaign_id: str, counts: str, school_id: str, grade: int,
                      class_no: int, limit: int = 10) -> list[BoardEntry]:  # fmt: skip
    """A class's best, in order."""
    r = results(campaign_id, counts, Scope(classes=frozenset({(school_id, grade, class_no)})))
    query = (
        select(r.c.display_name, r.c.show_name, r.c.score, r.c.seconds)
        .order_by(r.c.score.desc(), r.c.seconds)
        .limit(limit)
    )
    return [
        BoardEntry(n, bool(show), int(score), int(sec or 0))
        for n, show, score, sec in (await session.execute(query)).all()
    ]
