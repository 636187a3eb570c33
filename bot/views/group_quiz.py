"""Group rounds: the table at a round's end."""

from __future__ import annotations

from bot.services.group_quiz import RoundTable
from bot.views import Voice


def table_text(voice: Voice, table: RoundTable) -> str:
    if not table.rows:
        return voice.t("group.table_empty")
    lines = [voice.t("group.table_title", total=table.total)]
    medals = ["🥇", "🥈", "🥉"]
    for rank, row in enumerate(table.rows[:30], start=1):
        # a medal is for right answers: a pupil with none had been shown 🥉 for getting every one wrong
        badge = medals[rank - 1] if rank <= 3 and row.correct else f"{rank}."
        lines.append(
            voice.t("group.table_row", badge=badge, name=row.name, correct=row.correct, total=table.total)
        )
    return "\n".join(lines)
