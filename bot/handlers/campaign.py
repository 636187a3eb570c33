"""/campaign and /unsubscribe: the campaigns open to a user, joining one, its quiz, the daily reading."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler

from bot import callbacks
from bot.callbacks import CampaignReview, CheckQuestion, LeavePractice, OpenCampaign, Reading, StartCampaign
from bot.content.campaigns import Campaign
from bot.domain import AttemptMode
from bot.handlers.attempts import offer_open_attempt
from bot.handlers.base import Turn, handles
from bot.handlers.onboarding import Feature, require_registration
from bot.services.errors import Refused
from bot.views import campaign as views
from bot.views import quiz as quiz_views


@handles
async def campaign_command(turn: Turn) -> None:
    if await require_registration(turn, then="campaign"):
        await show_campaigns(turn)


async def show_campaigns(turn: Turn) -> None:
    listings = turn.services.campaigns.for_user(turn.me)
    if not listings:
        await turn.reply(turn.t("campaign.none"))
        return
    await turn.reply(*views.listing(turn, listings, turn.language))


async def _in_the_way(turn: Turn, campaign: Campaign) -> bool:
    """Whether an attempt under way stands before the campaign's exam; it is then offered, never dropped
    without a word: a practice quiz to carry on or to end for the exam (a last pass: its card had not said
    it was practice, and 重新开始 there led to the practice's law picker), another campaign's exam to carry
    on or give up. A reading's one question gives way; this campaign's own exam is resumed."""
    found = await turn.services.quiz.open_attempt(turn.session, turn.me)
    if found is None or found[0].mode == AttemptMode.reading.value or found[0].campaign_id == campaign.id:
        return False
    attempt, position = found
    if attempt.campaign_id is None:
        await turn.reply(*views.practice_in_the_way(turn, campaign, attempt, position))
    else:
        await turn.reply(*quiz_views.open_attempt_message(turn, attempt, position))
    return True


async def _start(turn: Turn, campaign: Campaign, *, resume: bool) -> None:
    """The campaign's exam started (or resumed), its first question sent."""
    assert campaign.blueprint is not None
    await turn.services.campaigns.join(turn.session, turn.me, campaign)
    view, fresh = await turn.services.quiz.start_campaign(turn.session, turn.me, campaign, resume=resume)
    if fresh:  # a second tap resumes the same exam, without a second announcement
        title, minutes = campaign.title_in(turn.language), campaign.blueprint.minutes
        await turn.reply(turn.t("campaign.started", title=title, minutes=minutes))
    await turn.reply(*quiz_views.question_message(turn, view))


async def _show(turn: Turn, campaign: Campaign) -> None:
    service, user = turn.services.campaigns, turn.me
    quiz = campaign.blueprint is not None
    left = await service.attempts_left(turn.session, user, campaign) if quiz else 0
    under_way = quiz and await turn.services.quiz.under_way(turn.session, user, campaign)
    # an attempt given up leaves nothing to review (its 📋 答题回顾 had said 还没有您的成绩)
    reviewable = quiz and await turn.services.quiz.has_result(turn.session, user, campaign)
    member = await service.member(turn.session, user, campaign) if campaign.reading is not None else None
    await turn.show(*views.details(turn, campaign, turn.language, state=service.state(campaign), attempts_left=left,
                                   under_way=under_way, reviewable=reviewable,
                                   subscribed=bool(member and member.reading)))  # fmt: skip


@handles
async def campaign_button(turn: Turn) -> None:
    data = callbacks.parse(turn.data)
    then = "quiz" if isinstance(data, CheckQuestion) else "campaign"
    if not await require_registration(turn, then=then):
        return
    service, user = turn.services.campaigns, turn.me
    match data:
        case CheckQuestion(question_id):
            # a quiz under way is offered to carry on, never dropped for the reading's one question
            if await offer_open_attempt(turn, below=True, unless=AttemptMode.reading):
                return
            view = await turn.services.quiz.start_single(turn.session, user, question_id)
            await turn.reply(*quiz_views.question_message(turn, view))
        case OpenCampaign(campaign_id):
            await _show(turn, service.get(user, campaign_id))
        case StartCampaign(campaign_id, resume) if (
            campaign := service.get(user, campaign_id)
        ).blueprint is not None:
            if not await _in_the_way(turn, campaign):
                await _start(turn, campaign, resume=bool(resume))
        case LeavePractice(campaign_id, attempt_id) if (
            campaign := service.get(user, campaign_id)
        ).blueprint is not None:
            await turn.services.quiz.end_practice(turn.session, user, attempt_id)
            if not await _in_the_way(turn, campaign):
                await _start(turn, campaign, resume=False)
        case CampaignReview(campaign_id):
            campaign = service.get(user, campaign_id)
            summary = await turn.services.quiz.campaign_review(turn.session, user, campaign)
            await turn.reply(views.review_message(turn, campaign, turn.language, summary))
        case Reading(campaign_id, on) if on in (0, 1):
            campaign = service.get(user, campaign_id)
            await service.set_reading(turn.session, user, campaign, on == 1)
            await turn.alert(turn.t("campaign.subscribed" if on else "campaign.unsubscribed"), popup=False)
            await _show(turn, campaign)
        case _:
            raise Refused()


@handles
async def unsubscribe_command(turn: Turn) -> None:
    count = await turn.services.campaigns.unsubscribe_all(turn.session, turn.me)
    await turn.reply(turn.t("campaign.unsubscribed_all" if count else "campaign.no_subscription"))


HANDLERS = [
    CallbackQueryHandler(
        campaign_button,
        pattern=callbacks.kinds(
            OpenCampaign, StartCampaign, LeavePractice, Reading, CheckQuestion, CampaignReview
        ),
    )
]
FEATURES = {"campaign": Feature(show_campaigns)}
