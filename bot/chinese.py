"""Chinese text as people type it, read the same way by the FAQ matcher, the law topics and the enquiry
around them: its traditional characters simplified, where its clauses end, which characters are Chinese,
and what of a long message is read."""

from __future__ import annotations

import re
from collections.abc import Callable

import opencc

CHINESE = re.compile(r"[\u3400-\u9fff]+")
# where a sentence or a clause ends (。！？；，、： and their half-width forms, a line break, an ellipsis)
CLAUSE_END = re.compile(r"[。！？!?；;，,、：:.\n…~]")

# Traditional → simplified characters. OpenCC's phrases apply to simplified text too (打坏 becomes 打坯,
# a traditional word): whatever a text is compared with goes through the same conversion.
simplified: Callable[[str], str] = opencc.OpenCC("t2s").convert


def window(text: str, size: int) -> str:
    """What the FAQ matcher and the law lookup read of a question longer than `size` characters: its end
    (parents tell the story first and ask last: 我们是外地户口……孩子能不能在这边上公办小学？需要准备什么材料？),
    from the first sentence or clause that starts within its last `size` characters; those characters as
    they are when no punctuation is there to cut at."""
    text = text.strip()
    if len(text) <= size:
        return text
    tail = text[-size:]
    if CLAUSE_END.match(text, len(text) - size - 1):  # the tail starts a sentence or clause already
        return tail
    cut = CLAUSE_END.search(tail)
    return tail[cut.end() :].strip() if cut is not None and tail[cut.end() :].strip() else tail
