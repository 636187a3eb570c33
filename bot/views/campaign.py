"""Campaigns: the list, one campaign's details, and the daily reading (宪法晨读) as a subscriber gets it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup as Markup

from bot.content.campaigns import Campaign, Shows
from bot.keyboards import campaign as keyboards
from bot.services.campaigns import Listing, ReadingSend
from bot.services.quiz.types import Summary
from bot.views import Voice
from bot.views import quiz as quiz_views

if TYPE_CHECKING:
    from bot.db.models import Attempt


def when(voice: Voice, campaign: Campaign) -> str:
    """The campaign's dates; with the year when it is not this year's (a pupils' pass read next spring's
    contest as 03-01 — 06-30, no year)."""
    start, end = campaign.window(voice.services.settings.tz)
    this_year = voice.services.campaigns.now().astimezone(voice.services.settings.tz).year
    form = "%m-%d %H:%M" if start.year == end.year == this_year else "%Y-%m-%d %H:%M"
    return f"{start:{form}} — {end:{form}}"


def listing(voice: Voice, listings: list[Listing], language: str) -> tuple[str, Markup]:
    items = [
        (x.campaign.id, f"{voice.t('campaign.state_' + x.state)} {x.campaign.title_in(language)}")
        for x in listings
    ]
    return voice.t("campaign.list"), keyboards.listing(items)


def details(
    voice: Voice,
    campaign: Campaign,
    language: str,
    *,
    state: str,
    attempts_left: int,
    subscribed: bool,
    under_way: bool = False,
    reviewable: bool = False,
) -> tuple[str, Markup | None]:
    """What a campaign is, when, what is left to do, and its buttons. `under_way`: the user's exam of it is
    open (it is among the attempts used, and has no result yet): the card offers to carry on with it;
    `reviewable`: the user has an ended attempt of it to review."""
    lines = [f"🏆 {campaign.title_in(language)}", voice.t("campaign.when", when=when(voice, campaign))]
    if campaign.blueprint is not None:  # attempts left only while it is open (an ended one had 还可参加 3 次)
        if state == "closed":
            key = "campaign.quiz_closed"
        elif under_way:  # with none left after it, say so (it had read 交卷后还可参加 0 次)
            key = "campaign.quiz_under_way" if attempts_left else "campaign.quiz_last"
        else:
            key = "campaign.quiz" if attempts_left else "campaign.quiz_used_up"
        lines.append(voice.t(key, n=campaign.blueprint.total, minutes=campaign.blueprint.minutes, left=attempts_left,
                             passmark=campaign.pass_mark, excellent=campaign.excellent))  # fmt: skip
    reading = campaign.reading is not None and state != "closed"
    if reading:
        lines.append(voice.t("campaign.reading", time=campaign.reading.time.strftime("%H:%M")))  # type: ignore[union-attr]
    if state == "upcoming":
        lines.append(voice.t("campaign.opens", when=when(voice, campaign).split(" — ")[0]))
    elif state == "closed":  # the reading stops with it (a pupils' pass asked for 晨读 and was not told)
        lines.append(
            voice.t("campaign.closed_reading" if campaign.reading is not None else "campaign.closed")
        )
    markup = keyboards.actions(voice.t, campaign.id, can_start=campaign.blueprint is not None and state == "open" and (attempts_left > 0 or under_way),
                               reading=subscribed if reading else None, has_quiz=campaign.blueprint is not None,
                               reviewable=reviewable, under_way=under_way)  # fmt: skip
    return "\n".join(lines), markup


def review_message(voice: Voice, campaign: Campaign, language: str, summary: Summary) -> str:
    """答题回顾: the attempt that counts, as the campaign's review options allow now."""
    lines = [f"📋 {campaign.title_in(language)}"]
    if summary.shows is Shows.none:
        return "\n".join([*lines, voice.t("quiz.review_none")])
    return "\n".join([*lines, *quiz_views.result_lines(voice, summary)])


def reading_message(voice: Voice, reading: ReadingSend) -> tuple[str, Markup | None]:
    """The day's article (宪法晨读), with a button for its check question."""
    laws = voice.services.content.laws
    article = laws.article(reading.day.law, reading.day.article)
    name = quiz_views.law_name(laws, reading.day.law, voice)  # 《宪法》, or Constitution in English
    body = article.body[:3500] if article else ""
    text = voice.t("reading.article", law=name, label=article.label if article else "", body=body)
    if reading.question_id is None:
        return text, None
    return text, keyboards.check_question(voice.t, reading.question_id)


def practice_in_the_way(
    voice: Voice, campaign: Campaign, attempt: Attempt, position: int
) -> tuple[str, Markup]:
    """A practice quiz under way when the campaign's exam is started: carry on with it, or end it and start."""
    text = voice.t("campaign.practice_in_the_way", n=position + 1, total=attempt.total,
                   campaign=campaign.title_in(voice.language))  # fmt: skip
    return text, keyboards.practice_in_the_way(voice.t, campaign.id, attempt.id)
