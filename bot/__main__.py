"""Command line: `python -m bot run | console | check | db …`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings, load_settings
from bot.content.yamlfile import ContentError
from bot.logs import RedactToken

if TYPE_CHECKING:
    from bot.runtime import Services

NO_TOKEN = """BOT_TOKEN is not set.
Get a token from @BotFather in Telegram (/newbot), then: BOT_TOKEN=123456:ABC... python -m bot run
To try the bot without Telegram or a token: python -m bot console"""


def setup_logging(level: str, settings: Settings | None = None) -> None:
    """Log to stderr at `level`; with `settings`, the bot token is cut out of every line."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    threshold = logging.getLevelNamesMapping()[level]
    # httpx logs every request URL, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Debug lines of these carry statement parameters, API call parameters and whole updates, i.e.
    # what users typed: never below INFO, whatever LOG_LEVEL says.
    for name in ("aiosqlite", "telegram"):
        logging.getLogger(name).setLevel(max(logging.INFO, threshold))
    # SQLAlchemy logs every statement at INFO (its parameters hidden by the engine) and result rows at
    # DEBUG: statements only with LOG_LEVEL=DEBUG, rows never.
    sql = logging.INFO if threshold <= logging.DEBUG else max(logging.WARNING, threshold)
    logging.getLogger("sqlalchemy.engine").setLevel(sql)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per job run otherwise
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    if settings is not None and settings.bot_token is not None:
        redact = RedactToken(settings.bot_token.get_secret_value())
        for handler in logging.getLogger().handlers:
            handler.addFilter(redact)


def cmd_check(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.content.bundle import load_content

    content, report = load_content(settings.content_dir, settings.quizzes_dir, settings.default_language)
    for problem in report.problems:
        print(problem)
    if content is None:
        print(f"check failed: {len(report.errors)} error(s)", file=sys.stderr)
        return 1
    print(f"ok: {content.summary()}" + (f"; {len(report.warnings)} warning(s)" if report.warnings else ""))
    return 0


def cmd_db(settings: Settings, args: argparse.Namespace) -> int:
    from bot.db import migrate

    if unreachable(settings):
        return 1
    if args.db_command == "upgrade":
        migrate.upgrade(settings.database_url, args.revision)
    elif args.db_command == "downgrade":
        migrate.downgrade(settings.database_url, args.revision)
    else:
        print(migrate.current(settings.database_url))
    return 0


def cmd_health(settings: Settings, _args: argparse.Namespace) -> int:
    """Exit 0 when the running bot checked in lately (its Bot API and database answered) and the
    database answers this process too; else 1, saying why. The image's HEALTHCHECK."""
    import time

    from bot import health

    if settings.status_file is None:
        print("STATUS_FILE is empty: the bot writes no status to judge", file=sys.stderr)
        return 2
    found = health.problem(settings.status_file, stale_after=settings.health_stale_seconds, now=time.time())
    if found is None:
        found = database_problem(settings.database_url)
    if found is not None:
        print(f"unhealthy: {found}", file=sys.stderr)
        return 1
    print("healthy")
    return 0


def cmd_run(settings: Settings, _args: argparse.Namespace) -> int:
    from telegram import Update

    from bot.app import build_application
    from bot.db import migrate
    from bot.runtime import SETTLE, Services, new_event_loop

    if settings.bot_token is None or not settings.bot_token.get_secret_value():
        print(NO_TOKEN, file=sys.stderr)
        return 2
    if problem := settings.webhook_problem():
        print(problem, file=sys.stderr)
        return 2
    if unreachable(settings):
        return 1
    services = Services.create(settings)
    warn_at_start(services)
    migrate.upgrade(settings.database_url)
    app = build_application(services)
    asyncio.set_event_loop(new_event_loop())  # the loop run_polling/run_webhook take
    app.bot_data[SETTLE] = True  # on_startup settles the heap once the bot is built and has its FAQ
    if settings.webhook_url:
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            webhook_url=settings.webhook_url,
            url_path=settings.webhook_url.split("/", 3)[-1] if settings.webhook_url.count("/") >= 3 else "",
            secret_token=settings.webhook_secret.get_secret_value() if settings.webhook_secret else None,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 1 if app.bot_data.get("stopped_because") else 0  # e.g. the SQLite file was deleted


def warn_at_start(services: Services) -> None:
    """What `run` and `console` say at start-up while site.yaml holds samples or no Chinese font is found
    (the console had said nothing, and its certificates and charts came out in pinyin unexplained)."""
    from bot.render.typeset import FONT_ENV, find_cjk_font

    warn_loudly(services.content.faq.sample_warning(), "Fill in content/site.yaml (see its comments).")
    if find_cjk_font() is None:
        warn_loudly(
            NO_CJK_FONT, f"Install one (Debian, Ubuntu: apt install fonts-noto-cjk) or set {FONT_ENV}."
        )


def warn_loudly(warning: str | None, fix: str) -> None:
    """At start-up, what users would otherwise meet without anybody running the bot noticing: parents told
    请以区教育局公布的信息为准 in place of every local fact (content/site.yaml), a teacher's certificate in
    pinyin (no Chinese font)."""
    if warning is None:
        return
    logging.getLogger("bot").warning(warning)
    bar = "!" * 78
    print(f"{bar}\nWARNING: {warning}.\n{fix}\n{bar}", file=sys.stderr)


NO_CJK_FONT = "no font that draws Chinese was found: certificates and charts will spell Chinese in pinyin"


def cmd_console(settings: Settings, args: argparse.Namespace) -> int:
    from bot.db import migrate
    from bot.runtime import Services
    from bot.sim.console import run_console

    if unreachable(settings):
        return 1
    # no liveness file: the console is no deployed bot (its updater never polls, so its heartbeat would
    # fail), and one beside a running bot would overwrite that bot's
    settings = settings.model_copy(update={"status_file": None})
    services = Services.create(settings)
    warn_at_start(services)
    migrate.upgrade(settings.database_url)
    asyncio.run(run_console(services, args.user_id, args.language))
    return 0


def cmd_law_diff(settings: Settings, args: argparse.Namespace) -> int:
    """Before a statute's text is replaced: the questions whose cited articles changed or vanished."""
    from bot.content.law_diff import affected_questions

    current = settings.content_dir / "law" / f"{args.slug}.md"
    if not current.exists():
        print(f"no statute {args.slug!r} in {current.parent}", file=sys.stderr)
        return 2
    old, new = current.read_text(encoding="utf-8-sig"), Path(args.new_text).read_text(encoding="utf-8-sig")
    found, changed, vanished = affected_questions(args.slug, old, new, settings.quizzes_dir)
    print(
        f"{args.slug}: {len(changed)} articles changed, {len(vanished)} gone; {len(found)} questions to read again"
    )
    for item in found:
        print(f"{item.where}: {item.question_id}: {'; '.join(item.reasons)}")
    return 0


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    from bot.content.bundle import require_content
    from bot.content.importer import ImportFailed, convert, law_slug, write_template, write_yaml

    if args.template:
        write_template(Path(args.template))
        print(f"wrote an empty question sheet with instructions: {args.template}")
        return 0
    if not args.file or not args.law:
        print("import-questions needs FILE and --law LAW (or --template OUT.xlsx)", file=sys.stderr)
        return 2
    content = require_content(settings.content_dir, settings.quizzes_dir, settings.default_language)
    lang = args.language or import_language(os.environ.get("LANG", ""))
    try:
        questions = convert(Path(args.file), args.law, content.laws, content.questions, content.i18n, lang)
        slug = law_slug(content.laws, args.law) or args.law
        target = write_yaml(questions, settings.quizzes_dir, slug, Path(args.out) if args.out else None)
    except ImportFailed as failed:
        for problem in failed.problems:
            print(problem, file=sys.stderr)
        print(content.i18n.t(lang, "import.nothing_written"), file=sys.stderr)
        return 1
    print(content.i18n.t(lang, "import.wrote", n=len(questions), path=target))
    return 0


def import_language(lang_variable: str) -> str:
    """import-questions speaks English when LANG says so (en_US.UTF-8), else Chinese."""
    return "en" if lang_variable.lower().startswith("en") else "zh"


def cmd_report(settings: Settings, args: argparse.Namespace) -> int:
    from bot.db import migrate
    from bot.domain import Scope
    from bot.render.workbook import workbook
    from bot.runtime import Services
    from bot.services.stats import Export
    from bot.views import Speaker
    from bot.views.export import export_names, export_sheets

    if unreachable(settings):
        return 1
    services = Services.create(settings)
    migrate.upgrade(settings.database_url)
    campaign = services.content.campaigns.get(args.campaign)
    if campaign is None:
        print(
            f"no campaign {args.campaign!r}; campaigns: {', '.join(sorted(services.content.campaigns))}",
            file=sys.stderr,
        )
        return 2

    voice = Speaker(services, settings.default_language)

    async def read() -> Export:
        try:
            return await services.db.read(services.stats.export_data, campaign, Scope(district=True),
                                          export_names(voice), services.clock())  # fmt: skip
        finally:
            await services.close()

    xlsx, _ = workbook(
        export_sheets(voice, asyncio.run(read()))
    )  # built after the transaction, as /export does
    Path(args.out).write_bytes(xlsx)
    print(f"wrote {args.out}")
    return 0


def cmd_faq(settings: Settings, args: argparse.Namespace) -> int:
    """`faq export-learned`: copy the wordings curators added (kept in the database, where the bot
    matches them from) into the FAQ files under CONTENT_DIR, for a curator to check and commit."""
    from datetime import UTC, datetime

    from bot.db import migrate
    from bot.db.session import Database
    from bot.services.curation import Exported, export_learned

    folder = settings.content_dir / "faq"
    if not folder.is_dir():
        print(f"no FAQ folder at {folder}: set CONTENT_DIR to the content folder to write", file=sys.stderr)
        return 2
    if unreachable(settings):
        return 1
    migrate.upgrade(settings.database_url)

    async def export() -> Exported:
        database = Database(settings.database_url)
        try:
            async with database.transaction() as session:
                return await export_learned(session, folder, datetime.now(UTC))
        finally:
            await database.dispose()

    done = asyncio.run(export())
    print(f"{done.written} wording(s) added to {len(done.files)} file(s); {done.already} already there")
    for path in done.files:
        print(f"  {path}")
    if done.orphans:
        print(f"not written, as the content has no such entry: {', '.join(done.orphans)}")
    if done.files:
        print("check them (python -m bot check), then commit the files")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m bot", description="PufaBot (普法助手)")
    sub = top.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "run",
        help="start the bot (long polling, or webhook when WEBHOOK_URL is set)",
        description="Apply pending migrations, then serve Telegram.",
    ).set_defaults(func=cmd_run)
    console = sub.add_parser(
        "console",
        help="chat with the bot in this terminal, no Telegram needed",
        description="The real bot and database, driven through the simulated Telegram.",
    )
    console.add_argument("--user-id", type=int, default=10001, help="your simulated Telegram user id")
    console.add_argument("--language", default="zh-hans", help="your simulated Telegram language code")
    console.set_defaults(func=cmd_console)
    sub.add_parser(
        "health",
        help="exit 0 if the running bot is alive (for a HEALTHCHECK), else 1 saying why",
        description="Judge STATUS_FILE, which the running bot renews every HEALTH_EVERY_SECONDS while the "
        "Bot API and the database answer, and reach the database.",
    ).set_defaults(func=cmd_health)
    sub.add_parser(
        "check",
        help="validate all content; exit 1 with file:line problems",
        description="Load and validate every content file.",
    ).set_defaults(func=cmd_check)
    imp = sub.add_parser(
        "import-questions",
        help="turn a teachers' spreadsheet (XLSX/CSV) into question YAML",
        description="Validate every row like the bank checker; write nothing when any row is wrong.",
    )
    imp.add_argument("file", nargs="?", help="the filled-in .xlsx or .csv")
    imp.add_argument(
        "--law", help="the law: its title, short name or alias (民法典, 未保法) or slug (civil_code)"
    )
    imp.add_argument("--out", help="YAML file to write (default quizzes/<law>/imported-<date>.yaml)")
    imp.add_argument("--template", metavar="OUT.xlsx", help="write an empty sheet with instructions instead")
    imp.add_argument(
        "--language",
        choices=["zh", "en"],
        help="language of the problems reported (default: en when LANG is en_*, else zh)",
    )
    imp.set_defaults(func=cmd_import)
    diff = sub.add_parser(
        "law-diff",
        help="list the questions to read again before a statute's text is replaced by a new version",
    )
    diff.add_argument("slug", help="the law's slug, e.g. teachers_law")
    diff.add_argument("new_text", help="the new version's text, in the format of content/law/<slug>.md")
    diff.set_defaults(func=cmd_law_diff)
    report = sub.add_parser(
        "report",
        help="a campaign's statistics workbook (XLSX), as /export sends it",
        description="Summary, by school, by class, participants (pseudonymous) and questions.",
    )
    report.add_argument("campaign", help="campaign id, e.g. staff-law-exam-2026")
    report.add_argument("--out", required=True, help="the .xlsx file to write")
    report.set_defaults(func=cmd_report)
    faq = sub.add_parser("faq", help="the enrollment FAQ's curated wordings")
    faq_sub = faq.add_subparsers(dest="faq_command", required=True)
    faq_sub.add_parser(
        "export-learned",
        help="write the wordings curators added (kept in the database) into content/faq/*.yaml",
        description="The bot matches them from the database; this copies them into the FAQ files under "
        "CONTENT_DIR, keeping comments and layout, for curators who want to commit them.",
    )
    faq.set_defaults(func=cmd_faq)
    db = sub.add_parser("db", help="database migrations (Alembic)")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="migrate up (default: to the newest revision)")
    up.add_argument("revision", nargs="?", default="head")
    down = db_sub.add_parser("downgrade", help="migrate down to REVISION (e.g. base, or -1)")
    down.add_argument("revision")
    db_sub.add_parser("current", help="show the database's revision")
    db.set_defaults(func=cmd_db)
    return top


def unreachable(settings: Settings) -> bool:
    """Say so in one line (not a migration's traceback) when the database cannot be reached."""
    problem = database_problem(settings.database_url)
    if problem:
        print(problem, file=sys.stderr)
    return problem is not None


def database_problem(url: str) -> str | None:
    """Why the database at `url` cannot be reached, in one line without its password; None if it can."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError

    from bot.db.session import create_engine

    async def connect() -> None:
        engine = create_engine(url)  # makes a SQLite file's folder, which may fail too
        try:
            async with engine.connect():
                pass
        finally:
            await engine.dispose()

    try:
        asyncio.run(connect())
    except DBAPIError as exc:
        reason = str(exc.orig)
    except OSError as exc:
        # errno's own words: asyncpg's ConnectionRefusedError says "Connect call failed ('127.0.0.1', 1)"
        words = os.strerror(exc.errno) if exc.errno and exc.errno > 0 else exc.strerror or str(exc)
        words = (words or type(exc).__name__).lower()
        reason = f"{exc.filename}: {words}" if exc.filename else words
    else:
        return None
    return f"database unreachable: {make_url(url).render_as_string(hide_password=True)} ({reason})"


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    setup_logging(settings.log_level if args.command == "run" else "WARNING", settings)
    try:
        return int(args.func(settings, args))
    except ContentError as exc:
        print(exc, file=sys.stderr)
        print("content is invalid: run `python -m bot check`", file=sys.stderr)
        return 1
    except Exception:
        # Logged rather than left to sys.excepthook, so that the traceback passes the token filter: a
        # rejected token is in InvalidToken's message, and Bot API URLs in httpx errors hold it.
        logging.getLogger("bot").critical("stopped by an error", exc_info=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
