"""Curating content while the bot runs: the wordings curators approved are written into the FAQ files,
and all content is loaded and checked again (/reload)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.content.bundle import Content, load_content
from bot.content.faq_writer import add_alternates
from bot.services.faq import FaqService


@dataclass(frozen=True)
class Reloaded:
    content: Content | None  # None: a problem was found, and the content in use stays
    problems: list[str]  # file:line: problem
    alternates: int  # curators' wordings written into the FAQ files


async def reload_content(session: AsyncSession, settings: Settings, faq: FaqService) -> Reloaded:
    written = [
        alternate.id
        for alternate in await faq.pending_alternates(session)
        if add_alternates(settings.content_dir / "faq", alternate.entry_id, [alternate.text]) is not None
    ]
    await faq.mark_written(session, written)
    content, report = load_content(
        settings.content_dir, settings.quizzes_dir, settings.default_language, faq.today()
    )
    return Reloaded(content, [str(p) for p in report.errors], len(written))
