"""`python -m bot check` on a copy of the shipped content with mistakes in it: every mistake of every file
is reported in one run, each at the line where it is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import ROOT

BROKEN_QUESTION = """\
- id: zzz-001
  law: constitution
  articles: [1]
  type: single
  stem: 宪法规定，我国的根本制度是什么制度？
  options: [资本主义制度, 社会主义制度]
  answer: E
  explanation: 宪法写明社会主义制度是我国的根本制度。
  evidence: 社会主义制度是中华人民共和国的根本制度。
  audience: primary
  difficulty: 1
"""


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped content and question banks, copied where a test may break them."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "quizzes", tmp_path / "quizzes")
    monkeypatch.setenv("CONTENT_DIR", str(tmp_path / "content"))
    monkeypatch.setenv("QUIZZES_DIR", str(tmp_path / "quizzes"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in the file; returns the line it was on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def check(capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["check"]) == 1
    return capsys.readouterr().out.splitlines()


def test_a_locale_a_question_and_a_campaign_are_all_reported_in_one_run(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    en = copy / "content" / "locales" / "en.yaml"
    en.write_text(en.read_text(encoding="utf-8") + "only_in_english: hello\n", encoding="utf-8")
    locale_line = en.read_text(encoding="utf-8").count("\n")
    (copy / "quizzes" / "constitution" / "zz-broken.yaml").write_text(BROKEN_QUESTION, encoding="utf-8")
    campaign = copy / "content" / "campaigns" / "constitution-day-2026.yaml"
    campaign_line = edit(campaign, "article: 141}", "article: 9999}")

    lines = check(capsys)

    assert f"content/locales/en.yaml:{locale_line}: key 'only_in_english' is not in zh.yaml" in lines
    assert any(
        line.startswith("quizzes/constitution/zz-broken.yaml:1: zzz-001: answer 'E' not among options")
        for line in lines
    ), lines
    assert (
        f"content/campaigns/constitution-day-2026.yaml:{campaign_line}: constitution-day-2026: "
        "reading plan 2026-12-07: no article 9999 in 'constitution'"
    ) in lines


def test_campaign_references_are_reported_at_their_own_lines(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy / "content" / "campaigns"
    reading_line = edit(folder / "constitution-day-2026.yaml", "article: 141}", "article: 9999}")
    blueprint_line = edit(folder / "staff-law-exam-2026.yaml", "civil_code: 3", "tax_code: 3")

    errors = [line for line in check(capsys) if ": warning: " not in line]

    assert errors == [
        f"content/campaigns/constitution-day-2026.yaml:{reading_line}: constitution-day-2026: "
        "reading plan 2026-12-07: no article 9999 in 'constitution'",
        f"content/campaigns/staff-law-exam-2026.yaml:{blueprint_line}: staff-law-exam-2026: "
        "unknown law 'tax_code' in the blueprint",
    ]
    assert reading_line > 1 and blueprint_line > 1


def test_a_broken_statute_is_reported_once_not_at_every_question_that_cites_it(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(copy / "content" / "law" / "civil_code.md", "第十七条", "第十八条")  # a number twice
    edit(copy / "quizzes" / "constitution" / "basics.yaml", "articles: [1]", "articles: [9999]")

    lines = check(capsys)

    errors = [line for line in lines if ": warning: " not in line]
    assert errors == [
        "content/law/civil_code.md:1: cannot parse statute: article 18 appears twice",
        "quizzes/constitution/basics.yaml:1: con-001: article 9999 not in 中华人民共和国宪法",
    ]
    skipped = [line for line in lines if "not checked against the statute" in line]
    assert skipped == [
        "quizzes/civil_code/capacity.yaml:1: warning: questions not checked against the statute text: "
        "law 'civil_code' failed to load"
    ]


def test_a_campaign_review_option_that_does_not_exist_is_reported(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy / "content" / "campaigns"
    line = edit(folder / "constitution-day-2026.yaml", "answers: after_close", "answers: after_lunch")
    edit(folder / "staff-law-exam-2026.yaml", "shows: wrong_only", "shows: everything")

    errors = [line for line in check(capsys) if ": warning: " not in line]

    assert any(e.startswith(f"content/campaigns/constitution-day-2026.yaml:{line}:") and "review.answers" in e
               and "after_last_attempt" in e for e in errors), errors  # fmt: skip
    assert any("staff-law-exam-2026.yaml" in e and "review.shows" in e and "wrong_only" in e for e in errors)


def test_a_law_without_its_english_title_is_reported_at_its_manifest_line(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = edit(
        copy / "content" / "law" / "MANIFEST.tsv",
        "\tTeachers Law of the People's Republic of China\t",
        "\t\t",
    )

    errors = [line for line in check(capsys) if ": warning: " not in line]

    assert errors == [
        f"content/law/MANIFEST.tsv:{line}: teachers_law: english_title must be the law's English title"
    ]


def test_site_values_are_real_or_marked_as_samples(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A value moved from `samples:` to `values:` without being filled in, and a key under both."""
    site = copy / "content" / "site.yaml"
    text = site.read_text(encoding="utf-8")
    line = edit(site, "  hotline: 000-00000000（示例号码）\n", "")
    text = site.read_text(encoding="utf-8").replace(
        "values: {}\n", "values:\n  hotline: 000-00000000（示例号码）\n  district: 东城区\n"
    )
    site.write_text(text, encoding="utf-8")
    values_line = text[: text.index("  hotline:")].count("\n") + 1

    lines = check(capsys)

    assert (
        f"content/site.yaml:{values_line}: hotline: still the sample value; fill in the real fact or move it "
        "to samples"
    ) in lines, (line, lines)
    assert any(line.startswith("content/site.yaml:") and "district: under both values and samples" in line
               for line in lines), lines  # fmt: skip


def test_a_topic_with_an_unknown_word_class_is_reported_at_its_line(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A typo in a class ({老帅}) would make the name match nothing, silently."""
    topics = copy / "content" / "law" / "topics.yaml"
    line = edit(topics, '"{老师} {打人}": *punishment', '"{老帅} {打人}": *punishment')
    edit(topics, "打疫苗, 打点滴", '"打{疫苗}", 打点滴')
    lines = check(capsys)
    assert f"content/law/topics.yaml:{line}: {{老帅}} {{打人}}: no word class {{老帅}} in `words`" in lines
    everyday = (
        topics.read_text(encoding="utf-8").split("\neveryday:")[0].count("\n") + 2
    )  # the list's key line
    assert f"content/law/topics.yaml:{everyday}: 打{{疫苗}}: no word class {{疫苗}} in `words`" in lines


def test_ids_too_long_for_the_buttons_that_carry_them_are_reported(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A robustness pass: a 61-character FAQ id and a 57-character law slug passed the check, then every
    answer offering the entry (and /law for the law) failed: their buttons passed Telegram's 64 bytes."""
    long_id = "contact-hotline-" + "x" * 25  # 41 characters
    faq_line = edit(
        copy / "content" / "faq" / "contact.yaml", "- id: contact-hotline\n", f"- id: {long_id}\n"
    )
    slug = "teachers_law_" + "x" * 20
    law_line = edit(copy / "content" / "law" / "MANIFEST.tsv", "teachers_law\t", f"{slug}\t")

    errors = check(capsys)

    assert any(e.startswith(f"content/faq/contact.yaml:{faq_line}:") for e in errors), errors
    assert f"content/law/MANIFEST.tsv:{law_line}: {slug!r}: a law's slug is 2-32 of a-z and _" in errors


def test_an_emptied_campaign_file_is_an_error_not_a_withdrawal(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A robustness pass: a campaign file truncated to nothing was skipped, so /reload withdrew a running
    campaign with nothing said (its open exams then read as practice). It is an error: the content before
    is kept."""
    (copy / "content" / "campaigns" / "staff-law-exam-2026.yaml").write_text("", encoding="utf-8")

    errors = check(capsys)

    assert (
        "content/campaigns/staff-law-exam-2026.yaml:1: the campaign file is empty (delete the file to withdraw it)"
        in errors
    )


def test_a_topics_advice_nobody_wrote_is_reported(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A review: a typo in a topic's advice key passed the check and /reload, then failed the urgent reply it
    was meant for with a KeyError. Each advice is said to a child and to an adult, in every language."""
    edit(copy / "content" / "law" / "topics.yaml", "advice: online_photos}", "advice: online_photo}")

    errors = check(capsys)

    assert (
        "content/law/topics.yaml: {网上的人} {要照片}: advice 'law.advice.online_photo' is not in zh.yaml"
        in errors
    ), errors
