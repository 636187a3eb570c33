"""Typed callback data: one frozen dataclass per kind of button.

Telegram hands a pressed button's data back as a string of at most 64 bytes, and anyone can send any
string: callback data is untrusted input. `pack()` writes "prefix:field:field"; `parse()` reads it back
into the one class with that prefix only when every field is well formed (integers are ASCII digits
within 32 bits, as the database's ids and numbers are, or for a Telegram user id within USER_ID_MAX; strings
are non-empty, printable and hold no ":"), else None. Keyboards build buttons only from
these classes; handlers match them by type (`match callbacks.parse(data): case QuizLaw(law): ...`), and
register with `pattern=kinds(QuizLaw, ...)`. A kind is pressed in private chats only (handlers/base.py refuses
it elsewhere, as the command table does its commands) unless it is declared `groups=True`: the buttons of what
the bot says in groups.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from bot.parsing import whole_number

MAX_BYTES = 64  # Telegram's limit for callback_data
INT_MAX = 2**31 - 1  # an INTEGER column's largest on PostgreSQL: a forged id beyond it is no id
USER_ID_MAX = 2**52  # Telegram's user ids have up to 52 significant bits (fields named user_id)
_KINDS: dict[str, type[Callback]] = {}


@dataclass(frozen=True)
class Callback:
    prefix: ClassVar[str] = ""
    groups: ClassVar[bool] = False  # pressed in groups too (FAQ answers, /law, the curators' group)

    def __init_subclass__(cls, prefix: str = "", groups: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not prefix or prefix in _KINDS:
            raise TypeError(f"{cls.__name__}: a callback kind needs a prefix of its own, not {prefix!r}")
        cls.prefix = prefix
        cls.groups = groups
        _KINDS[prefix] = cls

    def pack(self) -> str:
        values = [str(getattr(self, f.name)) for f in dataclasses.fields(self)]
        if any(not v or ":" in v for v in values):
            raise ValueError(f"{self!r}: a field is empty or holds ':'")
        data = ":".join([self.prefix, *values])
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"{data!r} is longer than Telegram's {MAX_BYTES} bytes")
        return data


def parse(data: object) -> Callback | None:
    """The callback that `data` packs, or None for anything malformed, unknown or forged."""
    if not isinstance(data, str) or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(":")
    for cut in range(min(len(parts), 3), 0, -1):  # the longest prefix first ("quiz:go" before "quiz")
        kind = _KINDS.get(":".join(parts[:cut]))
        if kind is not None:
            return _build(kind, parts[cut:])
    return None


def _build(kind: type[Callback], values: list[str]) -> Callback | None:
    fields = dataclasses.fields(kind)
    if len(values) != len(fields):
        return None
    args: list[object] = []
    for field, value in zip(fields, values, strict=True):
        if field.type in (int, "int"):
            number = whole_number(value, high=USER_ID_MAX if field.name == "user_id" else INT_MAX)
            if number is None:
                return None
            args.append(number)
        elif value and value.isprintable():  # non-empty (split leaves no ":"), no control characters
            args.append(value)
        else:
            return None
    return kind(*args)


def kinds(*wanted: type[Callback]) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern: true for data that parses into one of `wanted`."""
    return lambda data: isinstance(parse(data), wanted)


# -- main menu, registration, profile ------------------------------------------------------------------


@dataclass(frozen=True)
class Menu(Callback, prefix="menu"):
    item: str  # a feature's name (onboarding.FEATURES), or "help"


@dataclass(frozen=True)
class PickRole(Callback, prefix="reg:role"):
    role: str


@dataclass(frozen=True)
class BrowseTowns(Callback, prefix="reg:towns"):
    page: int


@dataclass(frozen=True)
class RoleAgain(Callback, prefix="reg:again"):
    """Choose the role again: a pupil's grade had been the only way on for a teacher who pressed 学生."""


@dataclass(frozen=True)
class PickTown(Callback, prefix="reg:town"):
    town: str
    page: int


@dataclass(frozen=True)
class PickSchool(Callback, prefix="reg:school"):
    school: str


@dataclass(frozen=True)
class PickGrade(Callback, prefix="reg:grade"):
    grade: int


@dataclass(frozen=True)
class PickClass(Callback, prefix="reg:class"):
    class_no: int


@dataclass(frozen=True)
class PickDepartment(Callback, prefix="reg:dept"):
    """A staff member's department: the n-th (from 1) that `school` lists in schools.yaml, 0 none (不填)."""

    school: str
    choice: int


@dataclass(frozen=True)
class ChangeProfile(Callback, prefix="prof:change"):
    step: str  # role | school | grade | department


@dataclass(frozen=True)
class KeepProfile(Callback, prefix="prof:keep"):
    """取消修改: a change begun in /profile given up, the answers before it kept."""


@dataclass(frozen=True)
class Language(Callback, prefix="lang"):
    choice: str  # zh | en | menu (show the chooser)


@dataclass(frozen=True)
class Erase(Callback, prefix="del"):
    step: str  # ask | yes | no


# -- quizzes -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizMenu(Callback, prefix="quiz:menu"):
    pass


@dataclass(frozen=True)
class QuizLaw(Callback, prefix="quiz:law"):
    law: str  # a law's slug, or "all"


@dataclass(frozen=True)
class QuizGo(Callback, prefix="quiz:go"):
    law: str
    mode: str  # practice | exam | challenge
    length: int


@dataclass(frozen=True)
class QuizAgain(QuizGo, prefix="quiz:ag"):
    """再来一次 under a result: a QuizGo that leaves the result on screen."""


@dataclass(frozen=True)
class QuizResume(Callback, prefix="quiz:resume"):
    attempt_id: int


@dataclass(frozen=True)
class QuizRestart(Callback, prefix="quiz:restart"):
    """重新开始 (or a confirmed 放弃) of this attempt, on a card shown when `position` questions were answered:
    a card older than the answers since (or another attempt's) drops nothing (a pupils' pass had lost three
    answers to a card far up the chat)."""

    attempt_id: int
    position: int


@dataclass(frozen=True)
class QuizRestartFor(QuizRestart, prefix="quiz:rsf"):
    """重新开始 on a card shown for something asked while an attempt was under way: once the attempt is
    dropped, that (`then`: REDO_MISTAKES, or a law's slug for its ways to practise), not the law list (a
    session's review: 重做错题 → 重新开始 had opened the law list, the mistakes forgotten)."""

    then: str


REDO_MISTAKES = "@mistakes"  # no law's slug (a-z and _)


@dataclass(frozen=True)
class QuizGiveUp(Callback, prefix="quiz:giveup"):
    """放弃这场考试 pressed: asked to confirm first, as it spends one of the campaign's attempts."""

    attempt_id: int


@dataclass(frozen=True)
class QuizGiveUpFor(QuizGiveUp, prefix="quiz:guf"):
    """QuizGiveUp on a card shown for something asked (QuizRestartFor's `then`)."""

    then: str


@dataclass(frozen=True)
class QuizReview(Callback, prefix="quiz:review"):
    pass


@dataclass(frozen=True)
class QuizScores(Callback, prefix="quiz:scores"):
    pass


@dataclass(frozen=True)
class Answer(Callback, prefix="q:a"):
    """A choice pressed; it carries what it claims to answer, which the engine checks."""

    attempt_id: int
    position: int
    question_id: str
    order: str
    option: int


@dataclass(frozen=True)
class Tick(Callback, prefix="q:t"):
    """A multiple-choice box; it carries the ticks it would leave, so a double tap ticks once."""

    attempt_id: int
    position: int
    question_id: str
    order: str
    picks: str  # views.quiz.encode_picks


@dataclass(frozen=True)
class Submit(Callback, prefix="q:s"):
    attempt_id: int
    position: int
    question_id: str
    order: str
    picks: str


@dataclass(frozen=True)
class NextQuestion(Callback, prefix="q:n"):
    attempt_id: int
    position: int


@dataclass(frozen=True)
class QuizArticle(Callback, prefix="q:o"):
    """原文 under a practice answer's feedback: the article, sent with its own 下一题 (the next question is
    at `position`)."""

    law: str
    number: int
    attempt_id: int
    position: int


# -- law, FAQ ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShowArticle(Callback, prefix="law:art", groups=True):
    law: str
    number: int


@dataclass(frozen=True)
class FaqMenu(Callback, prefix="faq:menu", groups=True):
    pass


@dataclass(frozen=True)
class FaqCategory(Callback, prefix="faq:c", groups=True):
    category: str
    page: int


@dataclass(frozen=True)
class FaqEntry(Callback, prefix="faq:e", groups=True):
    entry: str


@dataclass(frozen=True)
class AskPerson(Callback, prefix="faq:human"):
    pass


@dataclass(frozen=True)
class FaqVote(Callback, prefix="faq:v", groups=True):
    entry: str
    helpful: int  # 1 or 0


@dataclass(frozen=True)
class AddWording(Callback, prefix="faq:alt", groups=True):
    """A curator files an unanswered question's wording under an entry."""

    query_id: int
    entry: str


@dataclass(frozen=True)
class ClearName(Callback, prefix="name:clr"):
    """/names: an admin clears the rank-table name of this user (who must be in their scope)."""

    user_id: int


# -- campaigns -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenCampaign(Callback, prefix="camp:o"):
    campaign: str


@dataclass(frozen=True)
class StartCampaign(Callback, prefix="camp:s"):
    campaign: str
    resume: int  # 1: the card's 继续答题 (shows where the exam is); 0: 开始答题, whose second tap shows nothing again


@dataclass(frozen=True)
class LeavePractice(Callback, prefix="camp:lp"):
    """A practice quiz under way ended, so that the campaign's exam can start (the practice's id: only it)."""

    campaign: str
    attempt_id: int


@dataclass(frozen=True)
class Reading(Callback, prefix="camp:r"):
    campaign: str
    on: int  # 1 subscribe, 0 unsubscribe


@dataclass(frozen=True)
class CampaignRank(Callback, prefix="camp:k"):
    campaign: str


@dataclass(frozen=True)
class Certificate(Callback, prefix="camp:c"):
    campaign: str


@dataclass(frozen=True)
class CampaignReview(Callback, prefix="camp:v"):
    """答题回顾: the review of the user's attempt that counts, as the campaign's review options allow."""

    campaign: str


@dataclass(frozen=True)
class CheckQuestion(Callback, prefix="camp:q"):
    """The daily reading's check question."""

    question_id: str


# -- broadcasts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Audience(Callback, prefix="bc:a"):
    broadcast_id: int
    audience: str


@dataclass(frozen=True)
class ConfirmBroadcast(Callback, prefix="bc:y"):
    broadcast_id: int


@dataclass(frozen=True)
class CancelBroadcast(Callback, prefix="bc:x"):
    broadcast_id: int


# -- the admin dashboard -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardLink(Callback, prefix="dash:l"):
    """Send me a one-time link to open the dashboard in a browser."""


# -- membership ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JoinConfirm(Callback, prefix="mem:join"):
    """Yes, join the link's place, though it changes my role (a teacher or parent opening a class link)."""

    code: str  # the link's code, checked again as when the link is opened


@dataclass(frozen=True)
class JoinCancel(Callback, prefix="mem:stay"):
    """No, keep my registration as it is."""


@dataclass(frozen=True)
class SkipNumber(Callback, prefix="mem:skip"):
    """A staff member who joined by link gives no 工号 (it is optional for staff)."""
