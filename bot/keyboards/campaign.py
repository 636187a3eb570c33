"""Campaigns: the list, one campaign's actions, and the daily reading's check question."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup as Markup

from bot.callbacks import (
    CampaignRank,
    CampaignReview,
    Certificate,
    CheckQuestion,
    LeavePractice,
    OpenCampaign,
    QuizResume,
    Reading,
    StartCampaign,
)
from bot.keyboards import T, button, single


def listing(items: Sequence[tuple[str, str]]) -> Markup:
    """(campaign id, label) per campaign."""
    return Markup([[button(label, OpenCampaign(cid))] for cid, label in items])


def actions(
    t: T,
    campaign: str,
    *,
    can_start: bool,
    reading: bool | None,
    has_quiz: bool,
    reviewable: bool = False,
    under_way: bool = False,
) -> Markup | None:
    """Start (or carry on, `under_way`: the same button resumes the exam), (un)subscribe the reading
    (`reading` is whether subscribed; None: no reading offered), rank and certificate, and the review of an
    attempt once there is one."""
    keyboard = []
    if can_start:
        keyboard.append(
            [
                button(
                    t("campaign.resume" if under_way else "campaign.start"),
                    StartCampaign(campaign, int(under_way)),
                )
            ]
        )
    if reading is not None:
        label = "campaign.unsubscribe" if reading else "campaign.subscribe"
        keyboard.append([button(t(label), Reading(campaign, 0 if reading else 1))])
    if has_quiz:
        keyboard.append(
            [
                button(t("campaign.rank"), CampaignRank(campaign)),
                button(t("campaign.certificate"), Certificate(campaign)),
            ]
        )
    if reviewable:
        keyboard.append([button(t("campaign.review"), CampaignReview(campaign))])
    return Markup(keyboard) if keyboard else None


def check_question(t: T, question_id: str) -> Markup:
    return single(t("reading.check"), CheckQuestion(question_id))


def practice_in_the_way(t: T, campaign: str, attempt_id: int) -> Markup:
    """Carry on with the practice, or end it and start the campaign's exam."""
    return Markup([[button(t("campaign.practice_resume"), QuizResume(attempt_id)),
                    button(t("campaign.practice_leave"), LeavePractice(campaign, attempt_id))]])  # fmt: skip
