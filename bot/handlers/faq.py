"""Enrollment questions: typed text or /faq, category browsing, votes, and the curators' group."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup
from telegram import Message
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import keyboards
from bot.content.faq import FaqEntry
from bot.handlers.base import Turn, handles
from bot.handlers.onboarding import Feature
from bot.keyboards import parse_data, parse_int, rows
from bot.runtime import Services
from bot.services.errors import Refused
from bot.services.faq_matcher import Outcome

log = logging.getLogger(__name__)


async def answer_question(turn: Turn, text: str) -> None:
    """Answer, offer what it might be, or say so, log it and pass it to the curators; with no question,
    show the categories."""
    if not text.strip():
        await turn.reply(turn.t("faq.menu"), categories_menu(turn))
        return
    faq = turn.services.faq
    result = faq.ask(text)
    if result.outcome is Outcome.confident and result.best is not None:
        entry = faq.entry(result.best.entry_id)
        if entry is not None:
            await turn.reply(*entry_message(turn, entry))
            return
    if result.outcome is Outcome.unsure:
        buttons = [[Button(faq.faq.entries[m.entry_id].question, callback_data=f"faq:e:{m.entry_id}")]
                   for m in result.matches]  # fmt: skip
        buttons.append([Button(turn.t("faq.none_of_these"), callback_data="faq:menu")])
        await turn.reply(turn.t("faq.did_you_mean"), Markup(buttons))
        return
    await turn.reply(turn.t("faq.no_match", hotline=faq.hotline()),
                     Markup([[Button(turn.t("faq.browse"), callback_data="faq:menu")]]))  # fmt: skip
    chat, user = turn.update.effective_chat, turn.user
    if chat is None or user is None:
        return
    query = await faq.log_unanswered(turn.session, user_id=user.id, chat_id=chat.id, text=text,
                                     normalized=result.normalized)  # fmt: skip
    curators = turn.services.settings.curator_chat_id
    if curators is not None:
        bot, services, query_id = turn.context.bot, turn.services, query.id
        note = turn.t("faq.curator_post", text=text[:200])
        turn.later(lambda: _post_to_curators(bot, services, curators, query_id, note))


async def _post_to_curators(bot, services: Services, chat_id: int, query_id: int, text: str) -> None:  # type: ignore[no-untyped-def]
    message = await bot.send_message(chat_id, text)
    async with services.db.transaction() as session:
        await services.faq.mark_posted(session, query_id=query_id, message_id=message.message_id)


def entry_message(turn: Turn, entry: FaqEntry) -> tuple[str, Markup]:
    faq = turn.services.faq
    lines = [f"❓ {entry.question}", "", faq.answer_text(entry, turn.language)]
    keyboard: list[list[Button]] = []
    if entry.basis is not None:
        article = turn.services.content.laws.article(entry.basis.law, entry.basis.article)
        law = turn.services.content.laws.get(entry.basis.law)
        if article is not None and law is not None:
            title = law.title.removeprefix("中华人民共和国")
            lines += ["", turn.t("faq.basis", law=title, article=article.label)]
            keyboard.append([Button(turn.t("quiz.original", label=article.label),
                                    callback_data=f"law:art:{entry.basis.law}:{entry.basis.article}")])  # fmt: skip
    related = [r for r in (faq.entry(i) for i in entry.related) if r is not None][:3]
    if related:
        lines += ["", turn.t("faq.related")]
        keyboard += [[Button(r.question, callback_data=f"faq:e:{r.id}")] for r in related]
    keyboard.append([Button(turn.t("faq.helpful"), callback_data=f"faq:v:{entry.id}:1"),
                     Button(turn.t("faq.not_helpful"), callback_data=f"faq:v:{entry.id}:0")])  # fmt: skip
    return "\n".join(lines), Markup(keyboard)


def categories_menu(turn: Turn) -> Markup:
    faq = turn.services.faq.faq
    title = (lambda c: c.title_en) if turn.language == "en" else (lambda c: c.title)
    buttons = [Button(title(c), callback_data=f"faq:c:{c.id}:0") for c in faq.categories]
    return Markup(rows(buttons, 2))


async def show_categories(turn: Turn) -> None:
    await turn.reply(turn.t("menu.faq_intro"), categories_menu(turn))


@handles
async def faq_command(turn: Turn) -> None:
    await answer_question(turn, " ".join(turn.args()))


@handles
async def group_message(turn: Turn) -> None:
    """In the curators' group, a reply to a posted question answers its asker. In any other group the
    bot answers only when mentioned: `@bot 几岁上小学`."""
    message = turn.update.effective_message
    if message is None or not message.text:
        return
    if _in_curator_chat(turn) and isinstance(message.reply_to_message, Message):
        await curator_reply(turn, message)
        return
    username = f"@{turn.context.bot.username}"
    if username not in message.text:
        return
    await answer_question(turn, message.text.replace(username, " ").strip())


@handles
async def faq_button(turn: Turn) -> None:
    """faq:menu | faq:c:CAT:PAGE | faq:e:ID | faq:v:ID:1|0 | faq:alt:QUERY:ID (curators)"""
    data = (turn.query.data if turn.query else "") or ""
    faq = turn.services.faq
    if data == "faq:menu":
        await turn.reply(turn.t("faq.menu"), categories_menu(turn))
    elif (f := parse_data(data, "faq:c", 2)) is not None:
        page = parse_int(f[1], 0, 99)
        entries = faq.faq.in_category(f[0], faq.today())
        if page is None or not entries:
            raise Refused()
        await turn.show(turn.t("faq.category", n=len(entries)), category_page(turn, f[0], entries, page))
    elif (f := parse_data(data, "faq:e", 1)) is not None:
        entry = faq.entry(f[0])
        if entry is None:
            raise Refused()
        await turn.reply(*entry_message(turn, entry))
    elif (f := parse_data(data, "faq:v", 2)) is not None:
        if faq.entry(f[0]) is None or f[1] not in ("0", "1") or turn.user is None:
            raise Refused()
        await faq.vote(turn.session, user_id=turn.user.id, entry_id=f[0], helpful=f[1] == "1")
        await turn.alert(turn.t("faq.thanks"), popup=False)
    elif (f := parse_data(data, "faq:alt", 2)) is not None:
        await _add_alternate(turn, f[0], f[1])
    else:
        raise Refused()


def category_page(turn: Turn, category: str, entries: list[FaqEntry], page: int) -> Markup:
    buttons = [Button(e.question, callback_data=f"faq:e:{e.id}") for e in entries]
    back = Button(turn.t("nav.back"), callback_data="faq:menu")
    return keyboards.paged(turn.t, buttons, page, lambda n: f"faq:c:{category}:{n}", back)


# -- curators ---------------------------------------------------------------------------------------------


def _in_curator_chat(turn: Turn) -> bool:
    chat = turn.update.effective_chat
    return chat is not None and chat.id == turn.services.settings.curator_chat_id


async def curator_reply(turn: Turn, message: Message) -> None:
    """The asker gets the curator's reply; the curator gets buttons to add the asker's wording to the
    closest entries."""
    assert message.reply_to_message is not None
    faq = turn.services.faq
    query = await faq.query_for_curator_message(turn.session, message.reply_to_message.message_id)
    if query is None or not message.text:
        return
    await faq.mark_replied(turn.session, query)
    bot, chat_id, text = (
        turn.context.bot,
        query.chat_id,
        turn.t("faq.curator_answer", text=message.text[:3500]),
    )
    turn.later(lambda: bot.send_message(chat_id, text))
    options = [[Button(turn.t("faq.add_to", question=faq.faq.entries[m.entry_id].question[:40]),
                       callback_data=f"faq:alt:{query.id}:{m.entry_id}")] for m in faq.suggestions(query.text)]  # fmt: skip
    await turn.reply(turn.t("faq.forwarded"), Markup(options) if options else None)


async def _add_alternate(turn: Turn, query_id: str, entry_id: str) -> None:
    number = parse_int(query_id, 1, 2**62)
    if not _in_curator_chat(turn) or number is None or turn.update.effective_user is None:
        raise Refused()
    added = await turn.services.faq.add_alternate(turn.session, query_id=number, entry_id=entry_id,
                                                  curator=turn.update.effective_user.id)  # fmt: skip
    if added is None:
        raise Refused()
    await turn.alert(turn.t("faq.alternate_added"), popup=False)


HANDLERS = [
    CommandHandler("faq", faq_command),
    CallbackQueryHandler(faq_button, pattern=r"^faq:"),
    MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.GROUPS, group_message),
]
AWAITING = {"": answer_question}  # text with no other reply awaited is an enrollment question
FEATURES = {"faq": Feature(show_categories, needs_registration=False)}
