"""The admin dashboard over HTTP: an aiohttp app the bot process serves beside PTB (polling or webhook)
when DASHBOARD_URL is set. Thin like a handler: it authenticates, calls bot/services/dashboard.py in one
database session per request, and returns JSON or the page. No SQL here.

Authentication: the page posts Telegram's signed initData (inside Telegram) or a one-time login token
(a browser) to /api/session, which answers with a signed session token, also set as an HttpOnly cookie.
The page sends the token in an Authorization header (Telegram Web shows the page in a third-party iframe,
where cookies may be blocked); a plain browser tab also has the cookie. Downloads carry a short-lived
signed ticket in their URL, so that a plain link works. The token only says who the user is: what they
may see is read from their grant on every request."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.runtime import Services
from bot.services.dashboard import Forbidden, NotFound
from bot.services.errors import Refused
from bot.services.webapp_auth import BadProof, Signer, validate_init_data
from bot.views import Speaker
from bot.views.export import export_files, file_stamp
from bot.views.followup import missing_text, reminded_text, reminder_texts

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "pufabot_dashboard"
SESSION_HOURS = 8
TICKET_MINUTES = 10
TELEGRAM_FRAMES = "https://web.telegram.org https://*.telegram.org"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    f"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {TELEGRAM_FRAMES}"
)
SERVICES = web.AppKey("services", Services)
SIGNER = web.AppKey("signer", Signer)
TEMPLATES = web.AppKey("templates", Environment)
BOT_TOKEN = web.AppKey("bot_token", str)
SECURE = web.AppKey("secure", bool)  # served over https: the cookie is Secure
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every answer: a CSP without inline scripts, framed only by Telegram's web clients; personal
    pages and the API never cached; errors as JSON 401/403/404 with nothing else in them."""
    try:
        response = await handler(request)
    except BadProof as exc:
        log.info("dashboard: refused a proof: %s", exc)
        response = web.json_response({"error": "unauthorized"}, status=401)
    except Forbidden:
        response = web.json_response({"error": "forbidden"}, status=403)
    except NotFound:
        response = web.json_response({"error": "not_found"}, status=404)
    except Refused as exc:  # allowed, but not now (a reminder outside the campaign's window): said in words
        services = request.app[SERVICES]
        text = services.content.i18n.t(_language(request), exc.key, **exc.values)
        response = web.json_response({"error": "refused", "text": text}, status=409)
    except web.HTTPException as exc:  # aiohttp's own (no such page, wrong method)
        _secure(request, exc.headers)
        raise
    _secure(request, response.headers)
    return response


def _secure(request: web.Request, headers: MutableMapping[str, str]) -> None:
    headers["Content-Security-Policy"] = CSP
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    static = request.path.startswith("/static/")
    headers["Cache-Control"] = "public, max-age=3600" if static else "no-store"


def _now(request: web.Request) -> datetime:
    return request.app[SERVICES].clock()


def _user(request: web.Request) -> int:
    """Whose session this is (not yet what they may see)."""
    header = request.headers.get("Authorization", "")
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else None
    token = token or request.cookies.get(SESSION_COOKIE)
    if not token:
        raise BadProof("no session")
    payload = request.app[SIGNER].verify("session", token, _now(request))
    if not payload.isdigit():
        raise BadProof("session payload")
    return int(payload)


def _place(request: web.Request) -> tuple[str | None, str, str]:
    q = request.query
    return q.get("campaign") or None, q.get("level", "district"), q.get("key", "")


def _language(request: web.Request) -> str:
    services = request.app[SERVICES]
    wanted = request.query.get("lang", "")
    return wanted if wanted in services.content.i18n.catalogs else services.settings.default_language


async def page(request: web.Request) -> web.StreamResponse:
    """The page: labels in the admin's language, no figures (the script asks the API for those)."""
    services, language = request.app[SERVICES], _language(request)
    catalog = services.content.i18n.catalogs[language]
    labels = {k.removeprefix("dashboard."): v for k, v in catalog.items() if k.startswith("dashboard.")}
    labels["estimated_note"] = catalog["stats.estimated_note"]  # what ≈ means, as /stats says it
    html = (
        request.app[TEMPLATES]
        .get_template("dashboard.html")
        .render(lang=language, labels=labels, title=labels["title"])
    )
    return web.Response(text=html, content_type="text/html")


async def create_session(request: web.Request) -> web.StreamResponse:
    """POST {"init_data": …} (inside Telegram) or {"login": …} (a one-time link): a session for an admin."""
    services = request.app[SERVICES]
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadProof("body is not JSON") from exc
    if not isinstance(body, dict):
        raise BadProof("body is not an object")
    now = _now(request)
    async with services.db.transaction() as session:
        if isinstance(body.get("init_data"), str):
            user_id: int | None = validate_init_data(body["init_data"], request.app[BOT_TOKEN], now).id
        elif isinstance(body.get("login"), str):
            user_id = await services.dashboard.redeem_login(session, body["login"])
        else:
            user_id = None
        if user_id is None:
            raise BadProof("no valid initData or login token")
        await services.dashboard.grant(session, user_id)
        language = await services.dashboard.language(session, user_id, services.settings.default_language)
    token = request.app[SIGNER].sign("session", str(user_id), now + timedelta(hours=SESSION_HOURS))
    response = web.json_response({"token": token, "language": language})
    response.set_cookie(SESSION_COOKIE, token, max_age=SESSION_HOURS * 3600, httponly=True, path="/",
                        secure=request.app[SECURE], samesite="Lax")  # fmt: skip
    return response


async def campaigns(request: web.Request) -> web.StreamResponse:
    services, user_id = request.app[SERVICES], _user(request)
    async with services.db.snapshot() as session:
        await services.dashboard.grant(session, user_id)
        language = await services.dashboard.language(session, user_id, _language(request))
    return web.json_response({"campaigns": services.dashboard.campaign_list(language)})


async def view(request: web.Request) -> web.StreamResponse:
    services, user_id = request.app[SERVICES], _user(request)
    campaign, level, key = _place(request)
    async with services.db.snapshot() as session:
        language = await services.dashboard.language(session, user_id, _language(request))
        data = await services.dashboard.view(session, user_id, campaign, level, key, language)
    ticket = request.app[SIGNER].sign(
        "download", str(user_id), _now(request) + timedelta(minutes=TICKET_MINUTES)
    )
    place = {"campaign": data["campaign"]["id"], "level": level, "key": key, "ticket": ticket}
    data["downloads"] = {fmt: "api/export?" + urlencode({**place, "format": fmt}) for fmt in ("xlsx", "csv")}
    return web.json_response(data)


async def charts(request: web.Request) -> web.StreamResponse:
    services, user_id = request.app[SERVICES], _user(request)
    async with services.db.snapshot() as session:
        data = await services.dashboard.charts(session, user_id, *_place(request))
    return web.json_response(data)


async def missing(request: web.Request) -> web.StreamResponse:
    """Who in the place has not taken part, as the lines /missing sends."""
    services, user_id = request.app[SERVICES], _user(request)
    async with services.db.snapshot() as session:
        language = await services.dashboard.language(session, user_id, _language(request))
        try:
            found = await services.dashboard.missing(session, user_id, *_place(request))
        except (Forbidden, NotFound):
            raise
        except Refused as exc:  # nobody to list here (a staff exam in a class): said, not a failed page
            text = services.content.i18n.t(language, exc.key, **exc.values)
            return web.json_response({"lines": [text], "refused": True})
    return web.json_response({"lines": missing_text(Speaker(services, language), found).splitlines()[1:]})


async def remind(request: web.Request) -> web.StreamResponse:
    """POST: /remind for the place, which the admin confirmed on the page."""
    services, user_id = request.app[SERVICES], _user(request)
    async with services.db.transaction() as session:
        language = await services.dashboard.language(session, user_id, _language(request))
        reminded = await services.dashboard.remind(session, user_id, *_place(request),
                                                   texts=lambda c: reminder_texts(services, c))  # fmt: skip
    return web.json_response({"text": reminded_text(Speaker(services, language), reminded)})


async def export(request: web.Request) -> web.StreamResponse:
    """The /export workbook (xlsx) or its CSV zip, for the place: checked and audited in a transaction,
    read in a snapshot (as /export does, so that nobody's update waits for it), built in a worker."""
    services, fmt = request.app[SERVICES], request.query.get("format", "xlsx")
    ticket = request.query.get("ticket")
    user_id = int(request.app[SIGNER].verify("download", ticket, _now(request))) if ticket else _user(request)
    if fmt not in ("xlsx", "csv"):
        raise NotFound("format")
    async with services.db.transaction() as session:
        campaign, scope = await services.dashboard.export_scope(session, user_id, *_place(request))
        language = await services.dashboard.language(session, user_id, _language(request))
    xlsx, archive = await export_files(Speaker(services, language), campaign, scope)
    stamp = file_stamp(services, campaign.id)
    body, name, kind = (
        (xlsx, f"{stamp}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        if fmt == "xlsx"
        else (archive, f"{stamp}-csv.zip", "application/zip")
    )
    return web.Response(body=body, content_type=kind,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


def build_web_app(services: Services, bot_token: str) -> web.Application:
    app = web.Application(middlewares=[security_headers], client_max_size=64 * 1024)
    app[SERVICES] = services
    app[SIGNER] = Signer(bot_token)
    app[TEMPLATES] = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape())
    app[BOT_TOKEN] = bot_token
    app[SECURE] = (services.settings.dashboard_url or "").startswith("https://")
    app.add_routes([
        web.get("/", page),
        web.post("/api/session", create_session),
        web.get("/api/campaigns", campaigns),
        web.get("/api/view", view),
        web.get("/api/charts", charts),
        web.get("/api/export", export),
        web.get("/api/missing", missing),
        web.post("/api/remind", remind),
        web.static("/static", HERE / "static"),
    ])  # fmt: skip
    return app


async def start(services: Services, bot_token: str) -> web.AppRunner:
    """Serve the dashboard on DASHBOARD_LISTEN:DASHBOARD_PORT until `runner.cleanup()`."""
    settings = services.settings
    runner = web.AppRunner(build_web_app(services, bot_token), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.dashboard_listen, settings.dashboard_port).start()
    log.info("dashboard served on %s:%s for %s", settings.dashboard_listen, settings.dashboard_port,
             settings.dashboard_url)  # fmt: skip
    return runner
