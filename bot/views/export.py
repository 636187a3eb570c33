"""The /export workbook's sheets in the admin's language (Chinese headers, English for en): notes (说明),
summary, towns (镇街), schools (every one in scope, those at 0 first), classes, item statistics, the
certificate register (who passed, and when) and those who did not pass. Rates stay numbers (0-1), shown as percentages by the
workbook; each rate's header states its formula."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.domain import Row, Scope, Sheet
from bot.render.workbook import workbook
from bot.services.stats import MIN_TAKERS, Export
from bot.views import Voice
from bot.views.labels import scope_label
from bot.views.stats import took_word

if TYPE_CHECKING:
    from bot.content.campaigns import Campaign
    from bot.runtime import Services

OPTION_LETTERS = "ABCDEFGH"


async def export_files(voice: Voice, campaign: Campaign, scope: Scope) -> tuple[bytes, bytes]:
    """The workbook and its CSV zip for `scope`, in the voice's language, as /export, the dashboard's
    download and the scheduled reports all send it: read in a snapshot (nobody's update waits for it), built
    in a worker process."""
    services = voice.services
    data = await services.db.read(
        services.stats.export_data, campaign, scope, export_names(voice), services.clock()
    )
    return await services.workers.run(workbook, export_sheets(voice, data))


def file_stamp(services: Services, stem: str) -> str:
    """What an exported file's name starts with: `stem` (a campaign's id, unanswered) and the local day, the
    day 导出时间 says (UTC's had named a file exported before 08:00 China time after the day before)."""
    return f"{stem}-{services.clock().astimezone(services.settings.tz):%Y%m%d}"


def export_names(voice: Voice) -> dict[str, str]:
    """Words the export's rows carry, in the admin's language."""
    return {"student": voice.t("role.student"), "staff": voice.t("role.staff"), "parent": voice.t("role.parent"),
            "passed": voice.t("certificate.passed"), "excellent": voice.t("certificate.excellent"),
            "failed": voice.t("export.failed")}  # fmt: skip


def _rate(row: Row) -> float | None:
    return row.participation


def _roster(voice: Voice, row: Row) -> str:
    if row.roster_problem:
        return voice.t("export.roster_problem")
    return "" if row.exact else voice.t("export.estimated")


RATES = frozenset({"rate", "pass_rate", "excellence_rate"})  # the figures that are shares


def export_sheets(voice: Voice, export: Export) -> list[Sheet]:
    report, campaign = export.report, export.report.campaign
    took = took_word(voice, campaign)

    def t(key: str, **values: Any) -> str:
        return voice.t(f"export.{key}", took=took, **values)

    figures = ["took", "enrolled", "rate", "roster", "completed", "passed", "pass_rate", "excellent",
               "excellence_rate", "mean"]  # fmt: skip

    def cells(r: Row) -> list[Any]:
        return [r.participants, r.enrolled or None, _rate(r), _roster(voice, r), r.completed, r.passed, r.pass_rate,
                r.excellent, r.excellence_rate, None if r.average is None else round(r.average, 2)]  # fmt: skip

    rates = frozenset(i + 1 for i, key in enumerate(figures) if key in RATES)  # after the name column
    s = report.summary
    # the district's row: its 名册核对 only when there is something to say (an admins' pass: always empty)
    shown = [(key, value) for key, value in zip(figures, cells(s), strict=True) if key != "roster" or value]
    summary = Sheet("summary", t("sheet_summary"), [t("item"), t("value")],
                    [[t(key), value] for key, value in shown] + [[t("median"), report.median]],
                    percent_rows=frozenset(i for i, (key, _) in enumerate(shown) if key in RATES))  # fmt: skip
    sheets = [
        notes(voice, export, took),
        summary,
    ]
    if report.towns:
        sheets.append(Sheet("towns", t("sheet_towns"), [t("town"), *map(t, figures), t("absent_schools")],
                            [[r.label, *cells(r), report.absent_by_town.get(r.key, 0)] for r in report.towns],
                            rates))  # fmt: skip
    if report.schools:  # each with its 镇街, to sort and subtotal by (an admins' pass)
        town_of = voice.services.content.district.town_of
        sheets.append(Sheet("schools", t("sheet_schools"), [t("school"), t("town"), *map(t, figures)],
                            [[r.label, town.name if (town := town_of.get(r.key)) else "", *cells(r)]
                             for r in report.schools], frozenset(i + 1 for i in rates)))  # fmt: skip
    sheets.append(Sheet("classes", t("sheet_classes"), [t("name"), *map(t, figures)],
                        [[r.label, *cells(r)] for r in export.classes], rates))  # fmt: skip
    person = ["participant", "school", "grade", "class", "score", "seconds", "level"]
    person += ["role"] if len(campaign.audience.roles) > 1 else []
    sheets.append(Sheet("certificates", t("sheet_register"),
                        [t(k) for k in (*person, "passed_at", "certificate", "issued_at")], export.register))  # fmt: skip
    sheets.append(Sheet("not_passed", t("sheet_not_passed"), [t(k) for k in person], export.not_passed))
    options = max((len(i.shares) for i in export.items), default=0)
    laws = voice.services.content.laws

    def law_name(slug: str) -> str:  # 宪法, as a teacher calls it (the export had said constitution)
        law = laws.get(slug)
        return law.short_title(voice.language) if law is not None else slug

    sheets.append(Sheet(
        "items", t("sheet_items"),
        [t(k) for k in ("question", "law", "stem", "options", "answer", "takers", "facility", "discrimination",
                        "point_biserial")]
        + [t("option_share", option=OPTION_LETTERS[i]) for i in range(options)] + [t("note")],
        [[i.question_id, law_name(i.law), i.stem, _options(i.choices), "".join(OPTION_LETTERS[c] for c in i.correct),
          i.takers, i.facility, i.discrimination, i.point_biserial,
          *i.shares, *([None] * (options - len(i.shares))), t("too_few", n=MIN_TAKERS) if i.few else ""]
         for i in export.items],
        frozenset({6, *range(9, 9 + options)}),
    ))  # fmt: skip
    return sheets


def _options(choices: tuple[str, ...]) -> str:
    """A question's options as the bank lists them, lettered as the share columns are (A. 小刚自己；B. …):
    each person saw them in an order of their own, so the letters they saw are not these."""
    return "；".join(f"{OPTION_LETTERS[n]}. {choice}" for n, choice in enumerate(choices))


def notes(voice: Voice, export: Export, took: str) -> Sheet:
    """说明: what the figures are of, and how they are worked out."""
    report, campaign = export.report, export.report.campaign

    def t(key: str, **values: Any) -> str:
        return voice.t(f"export.{key}", took=took, **values)

    audience = []
    for role in campaign.audience.roles:
        if role == "student":
            grades = campaign.audience.grades
            span = t("audience_grades", low=grades[0], high=grades[1]) if grades else t("all_grades")
            audience.append(t("audience_students", grades=span))
        else:
            audience.append(t("audience_staff" if role == "staff" else "audience_parents"))
    scope = report.scope
    where = scope_label(voice, scope)  # the classes had been their ids (cg-p1 5-2)
    if scope.verified_only:
        where += t("verified_only")
    start, end = export.window
    rows = [
        [t("campaign"), f"{campaign.title} ({campaign.id})"],
        [t("window"), f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M} ({start.tzname()})"],
        [t("audience"), "; ".join(audience)],
        [t("scope"), where],
        [t("denominators"), t("denominators_text", exact=export.exact_schools, estimated=export.estimated_schools,
                              classes=export.known_classes)
         if "student" in campaign.audience.roles else t("denominators_staff")],  # a staff exam's had spoken of pupils
        [t("formulas"), t("formulas_text", counts=t(f"counts_{campaign.counts}"))],
        [t("exported"), f"{export.exported_at:%Y-%m-%d %H:%M} ({export.exported_at.tzname()})"],
    ]  # fmt: skip
    return Sheet("notes", t("sheet_notes"), [t("item"), t("value")], rows)
