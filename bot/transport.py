"""How the running bot reaches the Bot API: aiohttp instead of PTB's default httpx.

Profiled under benchmarks/load.py (200 people, 100 ms round trip), about 40 % of the bot's CPU went to
httpx's connection pool bookkeeping (httpcore re-scans every connection and waiting request on each
call) and to an import it retries on every call; the bot's event loop, not Telegram, was what taps
waited for. aiohttp's connector does the same work for a fraction of that. The simulated Telegram of the
console and the tests brings its own request (bot/sim) and does not use this."""

from __future__ import annotations

from collections.abc import Callable

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# PTB's HTTPXRequest defaults, in seconds
READ = WRITE = CONNECT = 5.0
POOL = 1.0
MEDIA_WRITE = 20.0


def _or(value: object, default: float) -> float | None:
    if value is BaseRequest.DEFAULT_NONE:
        return default
    return None if value is None else float(value)  # type: ignore[arg-type]


class AiohttpRequest(BaseRequest):
    """At most `connections` requests to the Bot API at once over kept-alive connections; `on_the_wire`,
    if given, is called as each request's body is written (the headers go with its first bytes), in the
    context of the task that made the request (bulk sending counts its sends from then)."""

    def __init__(self, connections: int, on_the_wire: Callable[[], None] | None = None) -> None:
        self.connections = connections
        self.on_the_wire = on_the_wire
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return READ

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            traces = []
            if self.on_the_wire is not None:
                trace = aiohttp.TraceConfig()
                trace.on_request_chunk_sent.append(self._written)
                traces.append(trace)
            connector = aiohttp.TCPConnector(limit=self.connections)
            self._session = aiohttp.ClientSession(connector=connector, trace_configs=traces)

    async def _written(self, _session: object, _context: object, _params: object) -> None:
        assert self.on_the_wire is not None
        self.on_the_wire()

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("this AiohttpRequest is not initialized")
        fields = request_data.json_parameters if request_data else {}
        files = request_data.multipart_data if request_data else {}
        body: aiohttp.FormData | dict[str, str] = fields
        if files:
            form = aiohttp.FormData()
            for name, value in fields.items():
                form.add_field(name, value)
            for name, (filename, content, mimetype) in files.items():
                form.add_field(name, content, filename=filename, content_type=mimetype)
            body = form
        read, connect, pool = _or(read_timeout, READ), _or(connect_timeout, CONNECT), _or(pool_timeout, POOL)
        write = _or(write_timeout, MEDIA_WRITE if files else WRITE)
        parts = (read, write, connect, pool)
        timeout = aiohttp.ClientTimeout(
            total=None if None in parts else sum(p for p in parts if p is not None),
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect,
            sock_read=read,
        )
        try:
            async with self._session.request(
                method, url, data=body, timeout=timeout, headers={"User-Agent": self.USER_AGENT}
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc
