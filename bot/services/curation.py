"""Curating content while the bot runs: all content is loaded and checked again, with the wordings
curators approved, which are kept in the database (/reload); and, on a curator's explicit request, those
wordings copied into the FAQ files to be committed (`python -m bot faq export-learned`). The bot itself
never writes its content: in the image it is read-only."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.content.bundle import Content, load_content
from bot.content.faq_writer import add_alternates
from bot.db import faq as db
from bot.services.faq import FaqService


@dataclass(frozen=True)
class Reloaded:
    content: Content | None  # None: a problem was found, and the content in use stays
    problems: list[str]  # file:line: problem
    learned: dict[str, list[str]]  # the curators' wordings (from the database), by entry
    faq: FaqService | None  # the new content's FAQ, its matcher built, with the curators' wordings

    @property
    def wordings(self) -> int:
        """Curators' wordings matched from now on (of entries the new content has)."""
        entries = self.content.faq.entries if self.content is not None else {}
        return sum(len(texts) for entry_id, texts in self.learned.items() if entry_id in entries)


async def reload_content(settings: Settings, faq: FaqService, learned: dict[str, list[str]]) -> Reloaded:
    """Load and check all content, and build its FAQ matcher with the curators' `learned` wordings (read
    by the caller), in a thread: at 10,000 FAQ entries that takes seconds, which the event loop spends
    serving everyone else meanwhile. No database session is held meanwhile either."""

    def load() -> Reloaded:
        content, report = load_content(
            settings.content_dir, settings.quizzes_dir, settings.default_language, faq.today()
        )
        fresh = faq.serving(content.faq, learned) if content is not None else None
        return Reloaded(content, [str(p) for p in report.errors], learned, fresh)

    return await asyncio.to_thread(load)


@dataclass(frozen=True)
class Exported:
    written: int  # wordings added to the files
    files: list[Path]  # the files changed
    already: int  # wordings the files held already
    orphans: list[str]  # entry ids the content no longer has (their wordings were not written)


async def export_learned(session: AsyncSession, faq_folder: Path, now: datetime) -> Exported:
    """Write every curator-added wording into its entry's `alternates:` in the FAQ files (comments and
    layout kept), skipping those already there; each is marked with when it was exported."""
    written, already, exported = 0, 0, []
    files: set[Path] = set()
    orphans: set[str] = set()
    for alternate in await db.alternates(session):
        done = add_alternates(faq_folder, alternate.entry_id, [alternate.text])
        if done is None:
            orphans.add(alternate.entry_id)
            continue
        path, added = done
        written, already = written + added, already + (1 - added)
        if added:
            files.add(path)
        exported.append(alternate.id)
    await db.mark_written(session, ids=exported, now=now)
    return Exported(written, sorted(files), already, sorted(orphans))
