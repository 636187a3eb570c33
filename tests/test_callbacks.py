"""Callback data is user input: every kind packs and parses back to itself, and anything malformed,
unknown or forged parses to None (nothing a handler would act on)."""

from __future__ import annotations

import dataclasses

import pytest

from bot import callbacks
from bot.callbacks import Answer, Audience, Callback, ClearName, Menu, QuizGo, QuizMenu, ShowArticle, parse


def kinds() -> list[type[Callback]]:
    return [
        k
        for k in vars(callbacks).values()
        if isinstance(k, type) and issubclass(k, Callback) and k is not Callback
    ]


def example(kind: type[Callback]) -> Callback:
    values = [7 if f.type in (int, "int") else "x-1_y" for f in dataclasses.fields(kind)]
    return kind(*values)


@pytest.mark.parametrize("kind", kinds(), ids=lambda k: k.__name__)
def test_every_kind_round_trips(kind: type[Callback]) -> None:
    button = example(kind)
    assert parse(button.pack()) == button


def test_real_buttons_parse_to_their_kinds() -> None:
    assert parse("quiz:go:civil_code:practice:10") == QuizGo("civil_code", "practice", 10)
    assert parse("quiz:menu") == QuizMenu()
    assert parse("menu:quiz") == Menu("quiz")
    assert parse("q:a:12:3:con-001:2031:1") == Answer(12, 3, "con-001", "2031", 1)
    assert parse("bc:a:5:school.cg-p1") == Audience(5, "school.cg-p1")


@pytest.mark.parametrize(
    "forged",
    [
        None,
        42,
        "",
        ":",
        "nope",
        "nope:1",
        "law:art",
        "law:art:constitution",
        "law:art:constitution:",
        "law:art:constitution:1:2",
        "law:art:constitution:²",
        "law:art:constitution:١٢",
        "law:art:constitution:-1",
        "law:art:constitution:1e3",
        "law:art:constitution: 1",
        "law:art:constitution:" + "9" * 14,
        "law:art::1",
        "quiz:menu:extra",
        "q:a:1:2:q:3",
        "bc:y:" + "1" * 70,
        "menu:" + "x" * 80,
        "lang:zh\x00",
        "quiz:go:law:practice:１０",
        f"q:n:{2**31}:1",  # beyond an INTEGER column: PostgreSQL had raised DBAPIError
        f"quiz:resume:{2**31}",
        f"name:clr:{2**53}",
    ],
)
def test_forged_data_is_refused(forged: object) -> None:
    assert parse(forged) is None


def test_packing_refuses_what_telegram_or_the_parser_could_not_carry() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        Menu("x" * 70).pack()
    with pytest.raises(ValueError, match="holds ':'"):
        ShowArticle("a:b", 1).pack()
    with pytest.raises(TypeError, match="prefix of its own"):

        @dataclasses.dataclass(frozen=True)
        class Twin(Callback, prefix="menu"):
            item: str


def test_a_telegram_user_id_may_be_wider_than_32_bits() -> None:
    """Ids are 32-bit, as the database's are; a Telegram user id (name:clr) may need up to 52 bits."""
    assert parse("name:clr:8123456789") == ClearName(8123456789)
