"""Chinese text as people type it, read the same way by the FAQ matcher, the law topics and the enquiry
around them: its traditional characters simplified, where its clauses end, which characters are Chinese."""

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
