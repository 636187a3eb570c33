"""Group rounds: the table at a round's end."""

from __future__ import annotations

from bot.services.group_quiz import RoundTable
from bot.views import Voice

SHOWN = 30  # rows of a round's table


def table_text(voice: Voice, table: RoundTable) -> str:
    if not table.rows:
        return voice.t("group.table_empty")
    lines = [voice.t("group.table_title", total=table.total)]
    medals = ["🥇", "🥈", "🥉"]
    for rank, row in enumerate(table.rows[:SHOWN], start=1):
        # a medal is for right answers: a pupil with none had been shown 🥉 for getting every one wrong
        badge = medals[rank - 1] if rank <= 3 and row.correct else f"{rank}."
        lines.append(
            voice.t("group.table_row", badge=badge, name=row.name, correct=row.correct, total=table.total)
        )
    if len(table.rows) > SHOWN:  # the rest of a big class had been left off without a word
        lines.append(voice.t("group.table_more", n=len(table.rows) - SHOWN))
    return "\n".join(lines)
