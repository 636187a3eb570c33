"""Enrollment questions: typed text or /faq, category browsing, votes, and the curators' group."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot import callbacks
from bot.callbacks import AddWording, AskPerson, FaqCategory, FaqEntry, FaqMenu, FaqVote
from bot.handlers.attempts import during_quiz
from bot.handlers.awaiting import MAX_QUESTION, awaited, done, expect
from bot.handlers.base import Turn, handles
from bot.handlers.onboarding import Feature, open_feature
from bot.handlers.sender import send_copy, send_text
from bot.keyboards import faq as keyboards
from bot.runtime import Services
from bot.services.enquiry import Kind, small_talk, understand
from bot.services.errors import Refused
from bot.services.outbound import Outcome
from bot.views import Speaker
from bot.views import faq as views


async def answer_question(turn: Turn, text: str) -> None:
    """Answer, offer what it might be, greet, point to the law, or say so; log what the FAQ could not
    answer and pass a question that looks like the bureau's to the curators. With no question, show the
    categories."""
    if await _too_long(turn, text) or await during_quiz(turn, text):  # B typed during a quiz answers it
        return
    if not text.strip():
        await turn.reply(turn.t("faq.menu"), views.categories(turn, turn.language))
        return
    faq = turn.services.faq
    content = turn.services.content
    reply = understand(
        faq, content.laws, text, faq.answered(turn.me), content.harm, turn.me.role, turn.language
    )
    if reply.kind is Kind.help:
        await open_feature(turn, "help")
        return
    if reply.kind is Kind.answer and reply.result.best is not None:
        faq.remember(turn.me, reply.result.best.entry_id)
    elif reply.moved_on:  # 那小学呢 after a menu had been asked of the answer before it
        faq.remember(turn.me, None)
    curators = turn.services.settings.curator_chat_id
    forward = reply.for_curators and curators is not None
    language = reply.language or turn.language
    voice = Speaker(turn.services, language) if language != turn.language else turn
    # 转人工 beside 都不是 where a person can be asked (a private chat, curators configured)
    person = turn.private and curators is not None
    if reply.kind is Kind.person and person:  # 转人工 typed: as the button, the question is asked for
        expect(turn.me, HUMAN)
    privately = _privately(turn)
    await turn.reply(
        *views.reply_message(
            voice, language, reply, forwarded=forward, ask_a_person=person, privately=privately
        )
    )
    if (
        reply.kind is Kind.activities and turn.private and turn.me.registered
    ):  # which are on, which have ended
        await open_feature(
            turn, "campaign"
        )  # (a pupils' pass asked for 晨读 after it ended: sent to /campaign)
    if reply.unanswered:
        await _log(turn, text, reply.result.normalized, forward=forward)


async def _too_long(turn: Turn, text: str) -> bool:
    """Refuse a question longer than MAX_QUESTION, saying so; whether it was refused."""
    if len(text) <= MAX_QUESTION:
        return False
    await turn.reply(turn.t("error.too_long", limit=MAX_QUESTION))
    return True


async def _log(turn: Turn, text: str, normalized: str, *, forward: bool) -> None:
    """Keep the question for /unanswered; `forward`: post it to the curators' group, whose reply to it
    goes back to the asker."""
    query = await turn.services.faq.log_unanswered(turn.session, user_id=turn.user_id, chat_id=turn.chat_id,
                                                   text=text, normalized=normalized)  # fmt: skip
    curators = turn.services.settings.curator_chat_id
    if forward and curators is not None:
        bot, services, query_id = turn.context.bot, turn.services, query.id
        # the whole question, as it was kept, under a heading in the curators' language (the bureau's
        # default), whatever the asker's
        staff = Speaker(services, services.settings.default_language)
        note = staff.t("faq.curator_post", text=query.text)
        turn.later(lambda: _post_to_curators(bot, services, curators, query_id, note))


async def ask_a_person(turn: Turn, text: str) -> None:
    """The question typed after 转人工: passed to the curators as it is (or answered, if there are none
    any more)."""
    if await _too_long(turn, text):  # still awaited
        return
    if small_talk(text) is Kind.person:  # 人工 again: no question yet, still awaited
        await turn.reply(turn.t("faq.human_prompt"))
        return
    done(turn.me)
    if turn.services.settings.curator_chat_id is None:
        await answer_question(turn, text)
        return
    await _log(turn, text, turn.services.faq.ask(text).normalized, forward=True)
    await turn.reply(turn.t("faq.human_sent"))


async def _post_to_curators(bot, services: Services, chat_id: int, query_id: int, text: str) -> None:  # type: ignore[no-untyped-def]
    message = await bot.send_message(chat_id, text)
    async with services.db.transaction() as session:
        await services.faq.mark_posted(
            session, query_id=query_id, chat_id=chat_id, message_id=message.message_id
        )


async def show_categories(turn: Turn) -> None:
    await turn.reply(turn.t("menu.faq_intro"), views.categories(turn, turn.language))


@handles
async def faq_command(turn: Turn) -> None:
    await answer_question(turn, " ".join(turn.args()))


@handles
async def group_message(turn: Turn) -> None:
    """In the curators' group, a reply to a posted question answers its asker. In any other group the
    bot answers only when mentioned: `@bot 几岁上小学`."""
    message = turn.update.effective_message
    if message is None:
        return
    if _in_curator_chat(turn) and isinstance(message.reply_to_message, Message):
        await curator_reply(turn, message)
        return
    if not message.text:
        return
    username = f"@{turn.context.bot.username}"
    if username not in message.text:
        return
    await answer_question(turn, message.text.replace(username, " ").strip())


@handles
async def faq_button(turn: Turn) -> None:
    faq = turn.services.faq
    match callbacks.parse(turn.data):
        case FaqMenu():
            await turn.reply(turn.t("faq.menu"), views.categories(turn, turn.language))
        case FaqCategory(category, page) if entries := faq.faq.in_category(category, faq.today()):
            choices = [(e.id, e.title(turn.language)) for e in entries]
            await turn.show(
                turn.t("faq.category", n=len(entries)),
                keyboards.category_page(turn.t, category, choices, page),
            )
        case FaqEntry(entry_id) if (entry := faq.entry(entry_id)) is not None:
            faq.remember(turn.me, entry_id)
            await turn.reply(*views.entry_message(turn, entry, turn.language))
        case FaqVote(entry_id, helpful) if faq.entry(entry_id) is not None and helpful in (0, 1):
            repeated = await faq.vote(
                turn.session, user_id=turn.me.id, entry_id=entry_id, helpful=helpful == 1
            )
            await turn.alert(turn.t("faq.thanks"), popup=False)
            if helpful == 0 and not repeated:  # a double tap gets the next steps once
                others = faq.next_steps(entry_id, _offered_entries(turn))
                # 转人工 where it works: here in a private chat, else the way to the private chat (a group's
                # 👎 had offered the button, whose press was then refused as a private feature's)
                person = turn.private and turn.services.settings.curator_chat_id is not None
                await turn.reply(*views.not_helpful(turn, others, person, _privately(turn)))
        case AskPerson() if turn.private and turn.services.settings.curator_chat_id is not None:
            if awaited(turn.me)[0] == HUMAN:  # asked already (a double tap): said, not sent again
                await turn.alert(turn.t("faq.human_prompt"), popup=False)
                return
            expect(turn.me, HUMAN)
            await turn.reply(turn.t("faq.human_prompt"))
        case AddWording(query_id, entry_id) if _in_curator_chat(turn):
            if (
                await faq.add_alternate(
                    turn.session, query_id=query_id, entry_id=entry_id, curator=turn.user_id
                )
                is None
            ):
                raise Refused()
            await turn.alert(turn.t("faq.alternate_added", seconds=_within(turn.services)), popup=False)
        case _:
            raise Refused()


def _privately(turn: Turn) -> str | None:
    """In a group, where there are curators: the bot's username, for a link to the private chat, where a
    person can be asked (转人工 is a private feature: its question and the reply are the asker's own)."""
    if turn.private or turn.services.settings.curator_chat_id is None:
        return None
    return turn.context.bot.username


def _offered_entries(turn: Turn) -> list[str]:
    """The entries the pressed message offered as buttons (its other candidates or related questions)."""
    message = turn.query.message if turn.query is not None else None
    markup = message.reply_markup if isinstance(message, Message) else None
    rows = markup.inline_keyboard if markup is not None else ()
    return [
        found.entry
        for row in rows
        for b in row
        if isinstance(found := callbacks.parse(b.callback_data), FaqEntry)
    ]


# -- curators ---------------------------------------------------------------------------------------------


def _in_curator_chat(turn: Turn) -> bool:
    chat = turn.update.effective_chat
    return chat is not None and chat.id == turn.services.settings.curator_chat_id


async def curator_reply(turn: Turn, message: Message) -> None:
    """A reply to a posted question goes to its asker: text under the heading, anything else (a photo or
    a file, with its caption) copied below it. The curator is told whether it arrived, with buttons to add
    the asker's wording to the closest entries; a reply to another message of the bot's (a question
    whose asker has since erased their data, say) is told it went nowhere."""
    replied, faq = message.reply_to_message, turn.services.faq
    if replied is None or replied.from_user is None or replied.from_user.id != turn.context.bot.id:
        return  # curators talking among themselves
    query = await faq.query_for_curator_message(turn.session, turn.chat_id, replied.message_id)
    if query is None:
        await turn.reply(turn.t("faq.reply_nowhere"))
        return
    chosen = await turn.services.registration.languages(turn.session, {query.user_id})
    asker = Speaker(turn.services, chosen.get(query.user_id) or turn.services.settings.default_language)
    heading = asker.t("faq.curator_answer")
    answer = f"{heading}\n{message.text[:3500]}" if message.text else heading
    choices = [(m.entry_id, faq.faq.entries[m.entry_id].question) for m in faq.suggestions(query.text)]
    copy = None if message.text else message.message_id
    offer = keyboards.add_wording(turn.t, query.id, choices)
    reply = _Reply(query.id, query.chat_id, answer, copy, turn.chat_id, offer)
    bot, curator = turn.context.bot, Speaker(turn.services, turn.language)
    turn.later(lambda: _deliver(bot, curator, reply))


@dataclass(frozen=True)
class _Reply:
    """A curator's reply on its way to the asker of question `query_id`."""

    query_id: int
    asker_chat: int
    text: str  # the heading, and the reply itself when it is text
    copy: int | None  # else the curator's message (a photo, a file), copied below the heading
    curators: int  # the curators' group
    offer: InlineKeyboardMarkup | None  # buttons to add the asker's wording to the closest entries


async def _deliver(bot: Bot, curator: Speaker, reply: _Reply) -> None:
    """Send the asker the reply (copying the curator's message from the curators' group where it is not
    text), mark the question replied when it arrived, and tell the curators what became of it."""
    outcome = await send_text(bot, reply.asker_chat, reply.text)
    if outcome is Outcome.sent and reply.copy is not None:
        outcome = await send_copy(bot, reply.asker_chat, reply.curators, reply.copy)
    services = curator.services
    if outcome is Outcome.sent:
        async with services.db.transaction() as session:
            await services.faq.mark_replied(session, reply.query_id)
    lines = [curator.t(DELIVERED[outcome])]
    if reply.offer is not None:
        lines.append(curator.t("faq.add_wording", seconds=_within(services)))
    await bot.send_message(reply.curators, "\n".join(lines), reply_markup=reply.offer)


def _within(services: Services) -> str:
    """Seconds within which a wording a curator adds is matched: every copy of the bot reads them again
    that often (FAQ_WORDINGS_EVERY_SECONDS, bot/jobs.py), and at once on /reload."""
    return f"{services.settings.faq_wordings_every_seconds:g}"


HANDLERS = [
    CallbackQueryHandler(
        faq_button, pattern=callbacks.kinds(FaqMenu, FaqCategory, FaqEntry, FaqVote, AskPerson, AddWording)
    ),
    MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.GROUPS, group_message),
    # a reply that is not text (a photo, a file …): a curator's answer, if in the curators' group
    MessageHandler(
        filters.REPLY & ~filters.TEXT & ~filters.StatusUpdate.ALL & filters.ChatType.GROUPS, group_message
    ),
]


# what the curator is told of their reply, by what became of it
DELIVERED = {Outcome.sent: "faq.forwarded", Outcome.blocked: "faq.undelivered_blocked",
             Outcome.failed: "faq.undelivered_failed"}  # fmt: skip
HUMAN = "faq_human"  # awaiting: the question to pass to the curators after 转人工
# Text with no other reply awaited is an enrollment question.
AWAITING = {"": answer_question, HUMAN: ask_a_person}
FEATURES = {"faq": Feature(show_categories, needs_registration=False)}
