"""Background work has one owner: bot/jobs.py declares every periodic job, and the application that
`python -m bot run` builds schedules exactly those, at the intervals in settings."""

from __future__ import annotations

import asyncio
import inspect
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot import jobs
from bot.app import build_application
from bot.config import ROOT
from bot.runtime import Services
from bot.sim import World
from bot.sim.simulator import SIM_TOKEN, SimRequest
from tests.conftest import make_settings


async def test_the_application_schedules_every_declared_job(services: Services) -> None:
    services.settings = make_settings(database_url=services.settings.database_url, group_every_seconds=1.5)
    app = build_application(services, request=SimRequest(World()), token=SIM_TOKEN)  # as `run` builds it
    async with app:
        assert app.post_init is not None
        await app.post_init(app)  # what run_polling and run_webhook call once initialized
        assert app.job_queue is not None
        scheduled = {job.name: job for job in app.job_queue.jobs()}
    assert set(scheduled) == {job.name for job in jobs.JOBS}
    for declared in jobs.JOBS:
        job = scheduled[declared.name]
        assert job.callback.__wrapped__ is declared.run  # type: ignore[attr-defined]
        assert job.job.trigger.interval.total_seconds() == declared.every(services.settings)
    assert scheduled["group-rounds"].job.trigger.interval.total_seconds() == 1.5


def test_every_job_function_is_declared_and_nothing_else_schedules_work() -> None:
    functions = {
        f for _, f in inspect.getmembers(jobs, inspect.iscoroutinefunction) if f.__module__ == jobs.__name__
    }
    assert functions == {job.run for job in jobs.JOBS}, "a job in bot/jobs.py that is not in JOBS"
    scheduling = re.compile(r"\.run_(repeating|once|daily|monthly|custom)\(|job_queue")
    elsewhere = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "bot").rglob("*.py")
        if path.name != "jobs.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if scheduling.search(line)
    ]
    assert not elsewhere, f"work scheduled outside bot/jobs.py: {elsewhere}"


async def test_a_bot_that_is_stopping_is_not_reported_unhealthy(
    services: Services, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """On SIGTERM the updater stops first, then the update in hand is finished, then the jobs: a heartbeat
    in between must not log a failed check (the black-box suite fails on it) nor record one."""
    status = tmp_path / "status.json"
    services.settings = services.settings.model_copy(update={"status_file": status})

    class Bot:
        async def get_me(self) -> None:
            return None

    for running, warned in ((True, True), (False, False)):  # still serving, its updater gone: a problem
        caplog.clear()
        app = SimpleNamespace(running=running, updater=SimpleNamespace(running=False))
        await jobs.heartbeat(SimpleNamespace(services=services, application=app, bot=Bot()))  # type: ignore[arg-type]
        assert ("health check failed: updates are no longer fetched" in caplog.text) is warned
    assert "no longer fetched" in status.read_text(encoding="utf-8")  # from the first, not overwritten


async def test_stopping_lets_every_started_job_end_on_its_own(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    """SIGTERM while a job runs: PTB waits for it, but a job falling due meanwhile was started and then
    cancelled midway by APScheduler's shutdown (logged as 'Error running job'; seen in the black-box
    SIGTERM test). Now no job starts once stopping began, and each that started ends."""
    app = build_application(services, request=SimRequest(World()), token=SIM_TOKEN)
    assert isinstance(app.job_queue, jobs.DrainingJobQueue)  # as `run` builds it
    started: list[str] = []
    ended: list[str] = []

    async def work(context: object, name: str, seconds: float) -> None:
        started.append(name)
        await asyncio.sleep(seconds)
        ended.append(name)

    app.job_queue.run_once(lambda c: work(c, "long", 0.4), when=0)
    app.job_queue.run_once(lambda c: work(c, "due meanwhile", 0.4), when=0.25)
    await app.job_queue.start()
    await asyncio.sleep(0.1)  # "long" runs
    await app.job_queue.stop()
    await asyncio.sleep(0.3)
    assert started == ended == ["long"]
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
