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


def unfit_for_a_name(text: str) -> bool:
    return looks_personal(text) or LONG_NUMBER.search(text) is not None
