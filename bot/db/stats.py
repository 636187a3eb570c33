"""Campaign statistics, computed in SQL (window functions and GROUP BY), never by loading rows.

`results()` is the heart: one row per participant who took part (submitted or timed out), with the
attempt that counts (best, ties to the faster one; or last) and where they belong; the export, item
statistics, ranks and boards read it. The figures of /stats read `counted()`, the same per person
without the attempt's identity (an aggregate, when the best attempt counts). "Hardest questions" reads
the per-school tallies that an attempt adds to as it ends (campaign_item_tallies), not every answer.
Every query starts from the scope: a school's figures never rank the whole district's."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, replace
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, case, delete, func, insert, literal, or_, select, text, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Subquery

from bot.db.membership import is_verified
from bot.db.models import (
    Attempt,
    AttemptQuestion,
    CampaignMember,
    CertificateRecord,
    ItemTally,
    OptionTally,
    User,
)
from bot.db.session import dialect_insert
from bot.domain import MAX_OPTIONS, BoardEntry, Role, Scope, Standing

TOOK = ("finished", "expired")  # took the exam: submitted, or timed out (not abandoned, not still open)


def in_scope(scope: Scope, school: Any, grade: Any, class_no: Any) -> Any:
    """The scope's condition on a query of `users` (whose columns are given); verified members only when
    the scope says so."""
    if scope.roles:
        return and_(in_scope(replace(scope, roles=frozenset()), school, grade, class_no), of_roles(scope))
    if scope.verified_only:
        return and_(in_scope(replace(scope, verified_only=False), school, grade, class_no), is_verified())
    if scope.district:
        return literal(True)
    conditions = []
    if scope.schools:
        conditions.append(school.in_(scope.schools))
    for s, g, c in scope.classes:
        conditions.append(and_(school == s, grade == g, class_no == c))
    return or_(*conditions) if conditions else literal(False)


def of_roles(scope: Scope) -> Any:
    """The user (of a query of `users`) has one of the scope's roles (any, when it names none)."""
    return User.role.in_([Role(r) for r in scope.roles]) if scope.roles else literal(True)


def results(campaign_id: str, counts: str, scope: Scope) -> Subquery:
    """One row per user in the scope who took part (an attempt submitted or timed out): the attempt that
    counts (best, ties to the faster one; or last), whether any attempt was submitted, and where they
    belong.

    Driven by the scope: the users in scope are found first (ix_users_school_grade_class) and only their
    attempts ranked, so a school's figures never rank the whole district's."""
    order = (
        (Attempt.score.desc(), Attempt.seconds.asc(), Attempt.id.asc())
        if counts == "best"
        else (Attempt.finished_at.desc(), Attempt.id.desc())
    )
    ranked = (
        select(
            Attempt.user_id, Attempt.id.label("attempt_id"), Attempt.score, Attempt.seconds, Attempt.finished_at,
            (Attempt.score >= Attempt.pass_mark).label("passed"),
            (Attempt.score >= Attempt.excellent_mark).label("excellent"),
            func.max(case((Attempt.status == "finished", 1), else_=0)).over(partition_by=Attempt.user_id)
            .label("submitted"),
            func.row_number().over(partition_by=Attempt.user_id, order_by=order).label("n"),
            User.school_id, User.grade, User.class_no, User.role, User.department, User.display_name,
            User.show_name,
        )
        .join(User, User.id == Attempt.user_id)
        .where(Attempt.campaign_id == campaign_id, Attempt.status.in_(TOOK),
               in_scope(scope, User.school_id, User.grade, User.class_no))
        .subquery()
    )  # fmt: skip
    return select(*[c for c in ranked.c if c.name != "n"]).where(ranked.c.n == 1).subquery()


@dataclass(frozen=True)
class Tally:
    """Figures of one group (or of all): who took part, submitted, passed, excelled, and their scores."""

    took: int = 0
    submitted: int = 0
    passed: int = 0
    excellent: int = 0
    score_sum: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


STAFF = "staff"  # the grade/class part of the key of a school's staff, who have no class


def staff_key(school: str, department: str | None = None) -> str:
    """The key of a school's staff ("cg-p1:staff"), or of one of its departments ("cg-p1:staff:语文组")."""
    return f"{school}:{STAFF}:{department}" if department else f"{school}:{STAFF}"


@dataclass(frozen=True)
class Overview:
    total: Tally  # everyone in the scope (with or without a school)
    # per school ("cg-p1"), or per class ("cg-p1:5:1") and staff ("cg-p1:staff", by department where
    # given: "cg-p1:staff:语文组")
    groups: dict[str, Tally]
    median: float | None  # of the counted scores


def counted(campaign_id: str, counts: str, scope: Scope) -> Subquery:
    """Per user in scope who took part: the counted score, whether it passed and excelled, whether any
    attempt was submitted, and where they belong. The best attempt's figures are plain aggregates
    (a hash aggregate, no sort of every attempt); the last attempt's need `results()`'s ranking."""
    if counts != "best":
        r = results(campaign_id, counts, scope)
        return select(r.c.user_id, r.c.score, case((r.c.passed, 1), else_=0).label("passed"),
                      case((r.c.excellent, 1), else_=0).label("excellent"), r.c.submitted, r.c.school_id, r.c.grade,
                      r.c.class_no, r.c.role, r.c.department).subquery()  # fmt: skip
    figures = (
        func.max(Attempt.score).label("score"),
        func.max(case((Attempt.score >= Attempt.pass_mark, 1), else_=0)).label("passed"),
        func.max(case((Attempt.score >= Attempt.excellent_mark, 1), else_=0)).label("excellent"),
        func.max(case((Attempt.status == "finished", 1), else_=0)).label("submitted"),
    )
    where = User.school_id, User.grade, User.class_no, User.role, User.department
    took = (Attempt.campaign_id == campaign_id, Attempt.status.in_(TOOK))
    if scope.district:  # every attempt: aggregate them (a hash aggregate), then look up the users
        best = select(Attempt.user_id, *figures).where(*took).group_by(Attempt.user_id).subquery()
        users = select(best, *where).join(User, User.id == best.c.user_id).where(of_roles(scope))
        return (users.where(is_verified()) if scope.verified_only else users).subquery()
    return (  # the users in scope first (ix_users_school_grade_class), then only their attempts
        select(Attempt.user_id, *figures, *where)
        .join(User, User.id == Attempt.user_id)
        .where(*took, in_scope(scope, User.school_id, User.grade, User.class_no))
        .group_by(Attempt.user_id, *where)
        .subquery()
    )  # fmt: skip


ROOMY = ("SET LOCAL work_mem = '64MB'", "SET LOCAL max_parallel_workers_per_gather = 0")


async def roomy(session: AsyncSession) -> None:
    """On PostgreSQL, give this transaction's sorts and hashes room (with the default 4 MB a district's
    ranking spilled to disk), and run its queries in one process: parallel workers each built the whole
    per-user aggregate again (EXPLAIN: loops=3), three times the work on a small server that has other
    users' updates to serve."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        for statement in ROOMY:
            await session.execute(text(statement))


async def overview(
    session: AsyncSession, *, campaign_id: str, counts: str, scope: Scope, level: str
) -> Overview:
    """Tallies per school, or per class (staff per school and department), their total and the median
    score: one pass over the counted results, grouped by key and score (at most ~100 scores per group)."""
    await roomy(session)
    r = counted(campaign_id, counts, scope)
    keys = (
        [r.c.school_id]
        if level == "school"
        else [r.c.school_id, r.c.grade, r.c.class_no, r.c.role, r.c.department]
    )
    ones = [
        func.sum(case((column == 1, 1), else_=0)) for column in (r.c.submitted, r.c.passed, r.c.excellent)
    ]
    rows = (
        await session.execute(select(*keys, r.c.score, func.count(), *ones).group_by(*keys, r.c.score))
    ).all()
    groups: dict[str, Tally] = {}
    total, scores = Tally(), dict[int, int]()
    n = len(keys)
    for row in rows:
        score, count = int(row[n] or 0), int(row[n + 1])
        tally = Tally(count, int(row[n + 2] or 0), int(row[n + 3] or 0), int(row[n + 4] or 0), score * count)
        total += tally
        scores[score] = scores.get(score, 0) + count
        if row[0] is not None:
            key = _key(row[:n])
            groups[key] = groups.get(key, Tally()) + tally
    return Overview(total, groups, _median(scores))


def _key(parts: Sequence[Any]) -> str:
    if len(parts) == 1:
        return str(parts[0])
    school, grade, class_no, role, department = parts
    if getattr(role, "value", role) != "student" or grade is None or class_no is None:
        return staff_key(school, department)
    return class_key(school, grade, class_no)


def class_key(school: str, grade: int, class_no: int) -> str:
    """The key of a school's class ("cg-p1:5:1")."""
    return f"{school}:{grade}:{class_no}"


async def subscribers(session: AsyncSession, *, campaign_id: str, scope: Scope, level: str) -> dict[str, int]:
    """A reading campaign's participants: those subscribed to its reading, per school or class."""
    keys = (
        [User.school_id]
        if level == "school"
        else [User.school_id, User.grade, User.class_no, User.role, User.department]
    )
    query = (
        select(*keys, func.count())
        .join(CampaignMember, CampaignMember.user_id == User.id)
        .where(CampaignMember.campaign_id == campaign_id, CampaignMember.reading.is_(True),
               in_scope(scope, User.school_id, User.grade, User.class_no))
        .group_by(*keys)
    )  # fmt: skip
    out: dict[str, int] = {}
    for row in (await session.execute(query)).all():
        key = _key(row[:-1]) if row[0] is not None else ""
        out[key] = out.get(key, 0) + int(row[-1])
    return out


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


# -- questions --------------------------------------------------------------------------------------------
async def tally_answers(
    session: AsyncSession, *, campaign_id: str, user_id: int, answers: Sequence[tuple[str, bool, str | None]]
) -> None:
    """Count an ended attempt's answers (question id, right, options chosen as their indices: "0", "13")
    into campaign_item_tallies and campaign_option_tallies, under the school of the user who gave them,
    in the caller's transaction."""
    per_question, per_option = _counted((campaign_id, *answer) for answer in answers)
    if not per_question:
        return
    school_id = await session.scalar(select(User.school_id).where(User.id == user_id)) or ""
    statement = dialect_insert(session, ItemTally).values(
        [{"campaign_id": campaign_id, "school_id": school_id, "question_id": qid, "answers": n, "wrong": w}
         for (_, qid), (n, w) in sorted(per_question.items())]
    )  # fmt: skip
    await session.execute(statement.on_conflict_do_update(
        index_elements=["campaign_id", "school_id", "question_id"],
        set_={"answers": ItemTally.answers + statement.excluded.answers,
              "wrong": ItemTally.wrong + statement.excluded.wrong},
    ))  # fmt: skip
    if not per_option:
        return
    options = dialect_insert(session, OptionTally).values(
        [{"campaign_id": campaign_id, "school_id": school_id, "question_id": qid, "option": option, "chosen": n}
         for (_, qid, option), n in sorted(per_option.items())]
    )  # fmt: skip
    await session.execute(options.on_conflict_do_update(
        index_elements=["campaign_id", "school_id", "question_id", "option"],
        set_={"chosen": OptionTally.chosen + options.excluded.chosen},
    ))  # fmt: skip


async def untally_user(session: AsyncSession, *, user_id: int) -> None:
    """Take a user's ended campaign attempts back out of campaign_item_tallies and campaign_option_tallies
    (before their row, with its attempts, is erased): "hardest questions" had kept counting an erased
    user's wrong answers, which the header's figures and the export no longer did. Under their school
    now, as the rest of the figures count them; a count never goes below 0."""
    school_id = await session.scalar(select(User.school_id).where(User.id == user_id)) or ""
    given = await session.execute(
        select(Attempt.campaign_id, AttemptQuestion.question_id, AttemptQuestion.correct, AttemptQuestion.chosen)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(Attempt.user_id == user_id, Attempt.campaign_id.is_not(None), Attempt.status.in_(TOOK),
               AttemptQuestion.answered_at.is_not(None))
    )  # fmt: skip
    per_question, per_option = _counted((row.campaign_id or "", *row[1:]) for row in given.all())
    for (campaign_id, question_id), (n, w) in sorted(per_question.items()):
        await session.execute(
            update(ItemTally)
            .where(ItemTally.campaign_id == campaign_id, ItemTally.school_id == school_id,
                   ItemTally.question_id == question_id)
            .values(answers=_less(ItemTally.answers, n), wrong=_less(ItemTally.wrong, w))
        )  # fmt: skip
    for (campaign_id, question_id, option), n in sorted(per_option.items()):
        await session.execute(
            update(OptionTally)
            .where(OptionTally.campaign_id == campaign_id, OptionTally.school_id == school_id,
                   OptionTally.question_id == question_id, OptionTally.option == option)
            .values(chosen=_less(OptionTally.chosen, n))
        )  # fmt: skip


def _counted(
    answers: Iterable[tuple[str, str, bool | None, str | None]],
) -> tuple[dict[tuple[str, str], list[int]], dict[tuple[str, str, int], int]]:
    """Answers (campaign, question id, right, options chosen) counted per (campaign, question): [answers,
    wrong]; and per (campaign, question, option): how often chosen."""
    per_question: dict[tuple[str, str], list[int]] = {}
    per_option: dict[tuple[str, str, int], int] = {}
    for campaign_id, question_id, right, chosen in answers:
        counts = per_question.setdefault((campaign_id, question_id), [0, 0])
        counts[0] += 1
        counts[1] += 0 if right else 1
        for option in _options(chosen):
            key = (campaign_id, question_id, option)
            per_option[key] = per_option.get(key, 0) + 1
    return per_question, per_option


def _less(column: Any, n: int) -> Any:
    """`column - n`, not below 0."""
    return case((column > n, column - n), else_=0)


def _options(chosen: str | None) -> set[int]:
    """The options an answer chose, as their indices ("13": the second and the fourth)."""
    return {int(c) for c in chosen or "" if c.isascii() and c.isdigit()}


async def rebuild_tallies(session: AsyncSession) -> None:
    """campaign_item_tallies and campaign_option_tallies again from every ended campaign attempt (as
    migrations 0011 and 0015 fill them)."""
    await session.execute(delete(ItemTally))
    await session.execute(delete(OptionTally))
    school = func.coalesce(User.school_id, "")
    ended = (
        select(Attempt.campaign_id, school.label("school_id"), AttemptQuestion.question_id, AttemptQuestion.correct,
               AttemptQuestion.chosen)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id).join(User, User.id == Attempt.user_id)
        .where(Attempt.campaign_id.is_not(None), Attempt.status.in_(TOOK), AttemptQuestion.answered_at.is_not(None))
        .subquery()
    )  # fmt: skip
    keys = (ended.c.campaign_id, ended.c.school_id, ended.c.question_id)
    wrong = func.sum(case((ended.c.correct.is_(True), 0), else_=1))
    await session.execute(insert(ItemTally).from_select(
        ["campaign_id", "school_id", "question_id", "answers", "wrong"],
        select(*keys, func.count(), wrong).group_by(*keys),
    ))  # fmt: skip
    for option in range(MAX_OPTIONS):
        await session.execute(insert(OptionTally).from_select(
            ["campaign_id", "school_id", "question_id", "option", "chosen"],
            select(*keys, literal(option), func.count()).where(ended.c.chosen.contains(str(option))).group_by(*keys),
        ))  # fmt: skip


async def option_counts(
    session: AsyncSession, *, campaign_id: str, schools: frozenset[str] | None, questions: Sequence[str]
) -> dict[str, tuple[int, dict[int, int]]]:
    """For each of `questions`: its answers and how often each option was chosen, in the attempts that
    ended, in the district (`schools` None) or those schools; from the tallies."""
    answers = select(ItemTally.question_id, func.sum(ItemTally.answers)).where(
        ItemTally.campaign_id == campaign_id, ItemTally.question_id.in_(list(questions))
    )
    chosen = select(OptionTally.question_id, OptionTally.option, func.sum(OptionTally.chosen)).where(
        OptionTally.campaign_id == campaign_id, OptionTally.question_id.in_(list(questions))
    )
    if schools is not None:
        answers = answers.where(ItemTally.school_id.in_(schools))
        chosen = chosen.where(OptionTally.school_id.in_(schools))
    found: dict[str, tuple[int, dict[int, int]]] = {
        qid: (int(n or 0), {})
        for qid, n in (await session.execute(answers.group_by(ItemTally.question_id))).all()
    }
    for qid, option, n in (
        await session.execute(chosen.group_by(OptionTally.question_id, OptionTally.option))
    ).all():
        if qid in found:
            found[qid][1][int(option)] = int(n or 0)
    return found


async def hardest(
    session: AsyncSession, *, campaign_id: str, scope: Scope, limit: int = 5
) -> list[tuple[str, int, int]]:
    """(question id, wrong answers, answers) for the questions answered wrong most often, over the
    attempts that ended (a question nobody got wrong is none of them). The district's and schools' come
    from the tallies; classes' from their answers, and so are everyone's when only verified members count
    (the tallies hold everyone's: `/stats verified` had listed a question 错 2/2 with one member verified)."""
    counts: dict[str, list[int]] = {}
    tallied = bool(scope.district or scope.schools) and not scope.verified_only
    if tallied:
        query = select(ItemTally.question_id, func.sum(ItemTally.wrong), func.sum(ItemTally.answers)).where(
            ItemTally.campaign_id == campaign_id
        )
        if not scope.district:
            query = query.where(ItemTally.school_id.in_(scope.schools))
        for qid, wrong, n in (await session.execute(query.group_by(ItemTally.question_id))).all():
            counts[qid] = [int(wrong or 0), int(n or 0)]
    classes = [c for c in scope.classes if not scope.district and c[0] not in scope.schools]
    if classes or not tallied:
        answered = replace(scope, schools=frozenset(), classes=frozenset(classes)) if tallied else scope
        wrongs = func.sum(case((AttemptQuestion.correct.is_(True), 0), else_=1))
        raw = (
            select(AttemptQuestion.question_id, wrongs, func.count())
            .join(Attempt, Attempt.id == AttemptQuestion.attempt_id).join(User, User.id == Attempt.user_id)
            .where(Attempt.campaign_id == campaign_id, Attempt.status.in_(TOOK),
                   AttemptQuestion.answered_at.is_not(None),
                   in_scope(answered, User.school_id, User.grade, User.class_no))
            .group_by(AttemptQuestion.question_id)
        )  # fmt: skip
        for qid, w, n in (await session.execute(raw)).all():
            known = counts.setdefault(qid, [0, 0])
            known[0], known[1] = known[0] + int(w or 0), known[1] + int(n)
    ranked = sorted(((qid, w, n) for qid, (w, n) in counts.items() if w), key=lambda t: (-t[1], t[0]))
    return ranked[:limit]


@dataclass(frozen=True)
class ItemSums:
    """One question's responses in the counted attempts, summed for item statistics: how many answered,
    got it right, their scores (sum, sum of squares, sum among those right), and how many in the top
    and bottom quarters by score answered it and got it right; `chosen` counts each answer given."""

    takers: int
    right: int
    score_sum: float
    score_squares: float
    right_score_sum: float
    top: int
    top_right: int
    bottom: int
    bottom_right: int
    chosen: dict[str, int]


async def item_sums(
    session: AsyncSession,
    *,
    campaign_id: str,
    counts: str,
    scope: Scope,
    questions: Sequence[str] | None = None,
) -> dict[str, ItemSums]:
    """Per question (all, or only `questions`), the sums item statistics need, from the answers of the
    attempts that count: one pass grouped by (question, answer given, right), a few rows per question."""
    await roomy(session)
    r = results(campaign_id, counts, scope)
    quartile = select(r.c.attempt_id, r.c.score, func.ntile(4).over(order_by=r.c.score).label("q")).subquery()
    score = func.coalesce(quartile.c.score, 0)
    query = (
        select(AttemptQuestion.question_id, AttemptQuestion.chosen, AttemptQuestion.correct, func.count(),
               func.sum(score), func.sum(score * score), func.sum(case((quartile.c.q == 4, 1), else_=0)),
               func.sum(case((quartile.c.q == 1, 1), else_=0)))
        .join(quartile, quartile.c.attempt_id == AttemptQuestion.attempt_id)
        .where(AttemptQuestion.answered_at.is_not(None))
        .group_by(AttemptQuestion.question_id, AttemptQuestion.chosen, AttemptQuestion.correct)
    )  # fmt: skip
    if questions is not None:
        query = query.where(AttemptQuestion.question_id.in_(list(questions)))
    sums: dict[str, list[Any]] = {}
    for qid, chosen, correct, n, s, ss, top, bottom in (await session.execute(query)).all():
        entry = sums.setdefault(qid, [0, 0, 0.0, 0.0, 0.0, 0, 0, 0, 0, {}])
        n, top, bottom, right = int(n), int(top or 0), int(bottom or 0), bool(correct)
        entry[0] += n
        entry[2] += float(s or 0)
        entry[3] += float(ss or 0)
        entry[5] += top
        entry[7] += bottom
        if right:
            entry[1] += n
            entry[4] += float(s or 0)
            entry[6] += top
            entry[8] += bottom
        entry[9][chosen or ""] = entry[9].get(chosen or "", 0) + n
    return {qid: ItemSums(*values) for qid, values in sorted(sums.items())}


def participants_query(campaign_id: str, counts: str, scope: Scope) -> Select[Any]:
    """The counted results in scope, each numbered in school, grade, class and score order (a pseudonym
    within one export), with the certificate registered for each (its code and when), if any: those who
    passed first, by when they passed (the certificate register), then the others by number. Sorted by
    the database (at a province's scale no slower than one sort by number), so that each row can be
    written away as it comes.

    Columns: number, school_id, grade, class_no, score, seconds, passed, excellent, role, finished_at,
    certificate, issued_at (only what the export shows)."""
    r = results(campaign_id, counts, scope)
    number = func.row_number().over(order_by=(r.c.school_id, r.c.grade, r.c.class_no, r.c.score.desc(), r.c.seconds,
                                              r.c.user_id))  # fmt: skip
    numbered = (
        select(number.label("number"), r.c.school_id, r.c.grade, r.c.class_no, r.c.score, r.c.seconds, r.c.passed,
               r.c.excellent, r.c.role, r.c.finished_at, CertificateRecord.code.label("certificate"),
               CertificateRecord.issued_at)
        .outerjoin(CertificateRecord, and_(CertificateRecord.user_id == r.c.user_id,
                                           CertificateRecord.campaign_id == campaign_id))
        .subquery()
    )  # fmt: skip
    passed_at = case((numbered.c.passed == true(), numbered.c.finished_at))
    return select(numbered).order_by(
        numbered.c.passed.desc(), passed_at.is_(None), passed_at, numbered.c.number
    )


async def per_day(
    session: AsyncSession, *, campaign_id: str, counts: str, scope: Scope, tz: ZoneInfo
) -> list[tuple[date, int]]:
    """Participants by the local day (in `tz`) of their counted attempt. PostgreSQL converts each time;
    SQLite, which knows no time zones, counts per UTC hour, and each hour is put on its local day here
    (exact for zones whose offsets are whole hours)."""
    r = results(campaign_id, counts, scope)
    postgres = session.bind is not None and session.bind.dialect.name == "postgresql"
    bucket = (
        func.date(func.timezone(tz.key, r.c.finished_at))
        if postgres
        else func.strftime("%Y-%m-%d %H", r.c.finished_at)
    )
    days: dict[date, int] = {}
    for value, n in (await session.execute(select(bucket, func.count()).group_by(bucket))).all():
        if value is None:
            continue
        if postgres:
            day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        else:
            day = datetime.strptime(str(value), "%Y-%m-%d %H").replace(tzinfo=UTC).astimezone(tz).date()
        days[day] = days.get(day, 0) + int(n)
    return sorted(days.items())


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
