"""Enrollment FAQ: an entry as a parent reads it, with its basis and related questions."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup as Markup

from bot.content.faq import FaqEntry
from bot.domain import Role
from bot.keyboards import faq as keyboards
from bot.services.enquiry import Kind, Reply
from bot.services.faq_matcher import Outcome
from bot.views import Voice
from bot.views.labels import article_label
from bot.views.law import candidate_label, match_label, short_title


def entry_message(
    voice: Voice,
    entry: FaqEntry,
    language: str,
    others: Sequence[FaqEntry] | None = None,
    also: Sequence[FaqEntry] = (),
) -> tuple[str, Markup]:
    """The entry; with `others` (a `likely` answer), the other candidates are offered below it
    (其他相关问题) instead of its related entries; with `also`, the answers to the other questions the
    message asked (您还问了) instead of either."""
    faq, laws = voice.services.faq, voice.services.content.laws
    # while site.yaml holds samples: the bureau's and its offices' and platforms' names described as any
    # district's (区教育局), other facts (dates, numbers, documents) 〔待公布〕
    # in the answer's own language: a Chinese answer shown to an English reader says 区教育局, not "the bureau"
    i18n, written = voice.services.content.i18n, faq.answered_in(entry, language)
    generic, marker = i18n.section(written, "site_generic"), i18n.t(written, "faq.pending_value")
    answer = faq.answer_text(entry, language, marker, generic)
    lines = [f"❓ {entry.title(language)}", "", answer]
    if marker in answer:  # a sample fact left in it (not only the bureau's name, said as any district's)
        lines += ["", voice.t("faq.pending_note", marker=marker)]
    basis, said = [], []  # the articles' buttons, and their lines below the answer
    for cited in entry.basis:
        article, law = laws.article(cited.law, cited.article), laws.get(cited.law)
        if article is not None and law is not None:
            label = article_label(voice, article)
            said.append(voice.t("faq.basis", law=law.short_title(voice.language), article=label))
            basis.append((cited.law, cited.article, label))
    lines += ["", *said] if said else []
    if also:
        related, heading = list(also), "faq.also"
    elif others is not None:
        related, heading = list(others)[:3], "faq.others"
    else:
        related = [r for r in (faq.entry(i) for i in entry.related) if r is not None][:3]
        heading = "faq.related"
    if related:
        lines += ["", voice.t(heading)]
    markup = keyboards.entry(voice.t, entry.id, basis, [(r.id, r.title(language)) for r in related])
    return "\n".join(lines), markup


def categories(voice: Voice, language: str) -> Markup:
    items = voice.services.faq.faq.categories
    return keyboards.categories([(c.id, c.title_en if language == "en" else c.title) for c in items])


def reply_message(
    voice: Voice,
    language: str,
    reply: Reply,
    *,
    forwarded: bool,
    ask_a_person: bool = False,
    privately: str | None = None,
) -> tuple[str, Markup | None]:
    """What a typed message gets (bot/services/enquiry.py), in the voice's `language`; `forwarded`: it
    was passed to the staff; `ask_a_person`: a person can be asked (a menu of candidates offers 转人工 for
    when none is it; 转人工 typed is asked for the question); `privately`: a person can be asked only in
    the private chat with the bot of that username (in a group, with curators: 转人工 typed there is shown
    the way to it, where it had been told there was nobody to ask). Where to get help comes first when harm may
    be told in it, and alone when nothing answers it (not 这个问题不在我能回答的范围 to a child who told
    of harm); a message typed as pinyin is shown in the characters it was read as."""
    if reply.harm and reply.found_nothing:
        return voice.t("faq.maybe_harm"), None
    text, markup = _reply(
        voice, language, reply, forwarded=forwarded, ask_a_person=ask_a_person, privately=privately
    )
    if reply.read_as is not None:  # typed as pinyin: what it was read as, so a misreading shows
        text = voice.t("faq.read_as", text=reply.read_as) + "\n" + text
    if reply.number_given:  # 我的电话是138…，帮我记住 (a pupil) had got the usual reply alone
        text = voice.t("faq.no_numbers") + "\n\n" + text
    return (voice.t("faq.maybe_harm") + "\n\n" + text if reply.harm else text), markup


def _reply(
    voice: Voice, language: str, reply: Reply, *, forwarded: bool, ask_a_person: bool, privately: str | None
) -> tuple[str, Markup | None]:
    faq, t = voice.services.faq, voice.t
    choices = [
        (e.id, e.title(language)) for m in reply.result.matches if (e := faq.entry(m.entry_id)) is not None
    ]
    match reply.kind:
        case Kind.answer if choices:
            others = [e for m in reply.result.matches[1:] if (e := faq.entry(m.entry_id)) is not None]
            likely = reply.result.outcome is Outcome.likely
            entry = faq.entry(choices[0][0])
            assert entry is not None
            also = [e for i in reply.also if (e := faq.entry(i)) is not None]
            return entry_message(voice, entry, language, others if likely else None, also)
        case Kind.unsure:
            return t("faq.did_you_mean"), keyboards.did_you_mean(t, choices, ask_a_person)
        case Kind.law if reply.law is not None:
            return _law(voice, reply, _beside_the_articles(reply, choices))
        case Kind.distress:
            return t("faq.distress"), None
        case Kind.searched if reply.law is not None:
            return _law(voice, reply, [], heading=t("faq.searched"))
        case Kind.worried if reply.law is not None:
            return _law(voice, reply, [], lead=t("faq.worried"))
        case Kind.worried:
            return t("faq.worried"), None
        case Kind.greeting:
            return t(_for(reply, "faq.greeting")), keyboards.browse(t)
        case Kind.thanks:
            return t(_for(reply, "faq.welcome")), None
        case Kind.ack:
            return t(_for(reply, "faq.ack")), None
        case Kind.feelings:
            return t("faq.feelings"), None
        case Kind.farewell:
            return t(_for(reply, "faq.farewell")), None
        case Kind.cancel:
            return t("faq.nothing_to_cancel"), None
        case Kind.unhelpful:
            return t("faq.unhelpful"), keyboards.browse(t)
        case Kind.plainer:
            return t(_for(reply, "faq.plainer"), contact=contact(voice)), keyboards.browse(t)
        case Kind.person if ask_a_person:  # the handler awaits the question, as after the 🙋 button
            return t("faq.human_prompt"), None
        case Kind.person if privately is not None:  # in a group: the private chat, where it works
            return t("faq.person_private", contact=contact(voice)), keyboards.ask_privately(t, privately)
        case Kind.person:
            return t("faq.no_person", contact=contact(voice)), keyboards.browse(t)
        case Kind.noise:
            return t(_for(reply, "faq.noise")), keyboards.browse(t)
        case Kind.activities if reply.at_school and reply.asker is Role.student:  # no staff exam, no /stats
            return t("faq.activities_pupil"), None
        case Kind.activities:
            return t(_for(reply, "faq.activities")), None
        case Kind.english if choices:
            return t("faq.english"), keyboards.did_you_mean(t, choices, ask_a_person)
        case Kind.english:
            return t("faq.english_nothing"), keyboards.browse(t)
        case Kind.out_of_scope if reply.at_school and reply.asker is Role.student:  # not the parents' FAQ
            return t("faq.out_of_scope_pupil"), None  # (a pupils' pass: a child's chat had been offered it)
        case Kind.out_of_scope:
            return t(_for(reply, "faq.out_of_scope")), keyboards.browse(t)
        case Kind.broad:
            return t("faq.broad", topic=reply.topic), categories(voice, language)
        case _:
            key = "faq.no_match_forwarded" if forwarded else "faq.no_match"
            return t(key, contact=contact(voice)), keyboards.browse(t)


def _for(reply: Reply, key: str) -> str:
    """`key`, or its text for a pupil or teacher (`key`_school: what the bot does for them)."""
    return f"{key}_school" if reply.at_school else key


def _beside_the_articles(reply: Reply, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The FAQ's entries offered below a law question's articles: the answer the articles came before
    (幼儿园老师打孩子怎么办 had found 幼儿园什么时候报名), or, when the FAQ was unsure, its suggestions
    (孩子被欺负了想转学怎么办: the transfer entries)."""
    if reply.result.outcome in (Outcome.confident, Outcome.likely):
        return choices[:1]
    return choices if reply.result.outcome is Outcome.unsure else []


def contact(voice: Voice) -> str:
    """The hotline, or where to look while site.yaml holds only its sample."""
    hotline = voice.services.faq.hotline()
    return voice.t("faq.contact", hotline=hotline) if hotline else voice.t("faq.contact_pending")


def not_helpful(
    voice: Voice, others: Sequence[FaqEntry], ask_a_person: bool, privately: str | None = None
) -> tuple[str, Markup]:
    """After 👎: the other entries, the hotline, and a person when there are curators: 转人工 in a private
    chat (`ask_a_person`); in a group, where it is a private feature (its question and the staff's reply
    are the asker's own, not the group's), the way to ask for it in the private chat with the bot
    (`privately`, its username)."""
    text = voice.t("faq.next_step", contact=contact(voice))
    if ask_a_person:
        text += "\n" + voice.t("faq.next_step_human")
    elif privately is not None:
        text += "\n" + voice.t("faq.next_step_private")
    titles = [(e.id, e.title(voice.language)) for e in others]
    return text, keyboards.next_steps(voice.t, titles, ask_a_person, privately)


def _law(
    voice: Voice,
    reply: Reply,
    choices: list[tuple[str, str]],
    lead: str | None = None,
    heading: str | None = None,
) -> tuple[str, Markup]:
    """The articles a question named, with `choices` (FAQ entries) below them; `lead` above them;
    `heading` instead of saying that it looks like a law question."""
    found = reply.law
    assert found is not None
    if found.article is not None:
        articles = [(found.article.law, found.article.number, candidate_label(voice, found.article))]
    else:
        articles = [(a.law, a.number, match_label(voice, a)) for a in found.matches]
    if not articles and found.law is not None:
        name, alias = short_title(voice, found.law.slug), (found.law.aliases or (found.law.title,))[0]
        if voice.language == "en" and found.law.title_en:  # /law reads English names: /law constitution 1
            alias = found.law.short_title("en").lower()
        text = voice.t("faq.law_named", law=name, alias=alias)
    else:
        # below a lead (how to help someone in distress) the articles are no answer to "a legal question"
        text = heading or voice.t("faq.law_and_faq" if choices else "faq.law_below" if lead else "faq.law")
        # a parent's 孩子被打了 had been told 如果你正在受到伤害 first, words for the child; a teacher is told the
        # duty to report at once (a teachers' pass: 学生告诉我她被继父性侵了 had got the articles alone); a topic's
        # advice likewise (a parents' pass: 陌生人要孩子照片怎么办 had been told to tell their parents)
        # A registered pupil is told the child's words alone (a pupil's 爸爸打我 had been told the duty to
        # report too, which is the adults'); someone not registered who names no child of theirs may be a
        # child or an adult, and is told both, the child's first
        adult = reply.of_a_child or reply.asker in (Role.staff, Role.parent, Role.admin)
        if found.urgent:
            duty = voice.t("law.report_duty")
            if adult:
                warning = voice.t("law.urgent_adult", duty=duty)
            else:
                warning = voice.t("law.urgent") + ("" if reply.asker is Role.student else "\n" + duty)
            text = warning + "\n\n" + text
        if found.advice is not None:  # what to do about it (网上有人要我照片: send nothing, tell an adult)
            text = voice.t(f"law.advice.{found.advice}" + ("_adult" if adult else "")) + "\n\n" + text
    if lead is not None:
        text = lead + "\n\n" + text
    return text, keyboards.law_articles(voice.t, articles, choices)
