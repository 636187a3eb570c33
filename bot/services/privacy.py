"""Personal details in what users typed. A question a curator turns into a wording of the FAQ becomes
content that anyone may be shown, so one that holds a phone number, an ID card number or a name is not
taken ("我叫李小明电话13800001111…")."""

from __future__ import annotations

import re

NUMBERS = (
    r"1[3-9]\d{9}"  # a mobile number
    r"|0\d{2,3}-?\d{7,8}"  # a landline with its area code
    r"|\d{17}[\dXx]|\d{15}"  # an ID card number
)
PERSONAL = re.compile(
    NUMBERS
    + r"|(?:我|孩子|小孩|儿子|女儿|孙子|孙女)(?:叫|名叫|名字叫|的名字是|姓名是)"  # 我叫…, 孩子叫…
    + r"|姓名[:：]?\s*\S"
)
NUMBER = re.compile(NUMBERS)
HIDDEN = "＊＊＊"


def looks_personal(text: str) -> bool:
    return PERSONAL.search(text) is not None


def holds_a_number(text: str) -> bool:
    """Whether `text` holds a phone or ID card number."""
    return NUMBER.search(text) is not None


def masked(text: str) -> str:
    """`text` with its phone and ID card numbers hidden: what is kept of a question nothing answered
    (/unanswered, the curators' group) needs none, and a child's (我的电话是138…，帮我记住) had been kept
    whole."""
    return NUMBER.sub(HIDDEN, text)


# A name shown in rank tables (/name) is seen by the whole class and school: no number long enough to be
# a phone, QQ, student or ID number.
LONG_NUMBER = re.compile(r"\d{5,}")
# … made of letters (any script), digits, spaces, · and - only: no link, @handle or symbols
NAME_CHARACTERS = re.compile(r"[^\W_]+(?:[ ·・\-][^\W_]+)*")
LINKS = ("http", "www", "tme", ".com", ".cn")
# … and no insult or swear word: a pupils' exploratory pass put 李华是笨蛋 at the top of a class's table. Words
# children use, looked for in the name without spaces and in lower case; a teacher who finds another can
# have it added here.
INSULTS = ("笨蛋", "傻", "蠢", "白痴", "弱智", "智障", "脑残", "废物", "垃圾", "贱", "滚", "去死", "死全家", "王八",
           "混蛋", "畜生", "狗东西", "猪头", "丑八怪", "神经病", "他妈", "你妈", "尼玛", "妈的", "操", "草泥马", "卧槽",
           "屎", "屁", "fuck", "shit", "bitch",
           # a last pass as pupils: 王小明是猪, 死胖子, 肥猪 and 李老师是狗 were taken
           "是猪", "是狗", "是头猪", "是条狗", "死胖", "肥猪", "胖猪", "死猪", "蠢猪", "癞蛤蟆", "矮冬瓜", "死鬼",
           # … and (another) the same in pinyin or a sound-alike, to get past the list: caonima, shabi, 煞笔, 我是你爹
           "煞笔", "沙比", "你爹", "你爷爷", "caonima", "shabi", "wocao", "nimabi")  # fmt: skip
# … Latin ones as whole words only (Fatima and Gatsby are names)
INSULT_WORDS = frozenset(
    {
        "sb",
        "nmsl",
        "tmd",
        "cnm",
        "rnm",
        "nmb",
        "mlgb",
        "stupid",
        "idiot",
        "dumb",
        "loser",
        "ugly",
        "fat",
        "pig",
    }
)


# digits as they may be spelt to get a phone or QQ number past the check (一三八…, 1234 5678 9): a pupils' pass
SPELT_DIGITS = str.maketrans("〇零一二三四五六七八九幺", "001234567891")


def unfit_for_a_name(text: str) -> bool:
    """Whether `text` may not be a rank table's name: a number (in digits, spelt in Chinese numerals or
    spaced out), a link or symbols, or an insult."""
    bare = text.replace(" ", "").lower()
    squashed = re.sub(r"[\s\-·・.]", "", text).translate(SPELT_DIGITS)
    return (
        looks_personal(text)
        or LONG_NUMBER.search(squashed) is not None
        or NAME_CHARACTERS.fullmatch(text.strip()) is None
        or any(word in bare for word in LINKS + INSULTS)
        or not INSULT_WORDS.isdisjoint(re.findall(r"[a-z]+", text.lower()))
    )
