"""The dashboard in a real browser: Debian's headless chromium driven by selenium (chromium-driver).
Opened as Telegram opens a Mini App (signed initData in the URL fragment), it shows the seeded
campaign's figures, goes district → town → school → class and back, and downloads the workbook.
Screenshots at 360 px and 1280 px are written to the test's folder, or to docs/ with
PUFABOT_SCREENSHOTS=docs (how the README's pictures are made)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp.test_utils import TestClient

from bot.config import ROOT
from tests.conftest import ADMIN_ID
from tests.web.conftest import CLASS_ADMIN, init_data

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
THEME = {"bg_color": "#ffffff", "text_color": "#222222", "hint_color": "#8a8a8a", "link_color": "#2678b6",
         "button_color": "#50a8eb", "button_text_color": "#ffffff", "secondary_bg_color": "#eff2f5"}  # fmt: skip

MISSING = (
    "browser tests need Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver"
)
if not (CHROMIUM and DRIVER) and os.environ.get(
    "PUFABOT_REQUIRE_BROWSER"
):  # CI (.ci/run): run them, never skip
    raise RuntimeError(MISSING)
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason=MISSING)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # type: ignore[assignment]
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--lang=zh-CN",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # the console, for get_log
    options.add_experimental_option("prefs", {"download.default_directory": str(tmp_path / "downloads"),
                                              "download.prompt_for_download": False})  # fmt: skip
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_window_size(1280, 1000)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(check: Callable[[], Any], timeout: float = 15) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = check()
            if found:
                return found
        except Exception:
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting in the browser")
        time.sleep(0.1)


def screenshot(driver: Any, folder: Path, name: str, width: int) -> None:
    driver.set_window_size(width, 900)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(int(height) + 140, 4000))
    time.sleep(0.3)  # the charts resize
    driver.save_screenshot(str(folder / f"{name}-{width}.png"))


def walk_through(driver: Any, url: str, tmp_path: Path) -> None:
    """What an admin does, in the browser (runs in a thread: the server answers on the test's loop)."""
    from selenium.webdriver.common.by import By

    def figure(name: str) -> str:
        return str(driver.find_element(By.CSS_SELECTOR, f'[data-figure="{name}"] .value').text)

    def row(key: str) -> Any:
        return driver.find_element(By.CSS_SELECTOR, f'#rows tbody tr[data-key="{key}"]')

    driver.get(url)
    try:
        wait_for(lambda: figure("participants") == "4")
    except AssertionError:
        logs = driver.get_log("browser") if hasattr(driver, "get_log") else []
        raise AssertionError(f"{driver.find_element(By.ID, 'status').text} {logs}") from None
    assert figure("pass_rate") == "75.0%" and figure("completed") == "4"
    ticks = driver.execute_script(
        "return Chart.getChart(document.getElementById('per-day')).scales.y.ticks.map(t => t.label)"
    )
    assert ticks and all(tick.isdigit() for tick in ticks), ticks  # completions are people: had 0.5, 1.5 …
    assert "参与率 = 参与人数 ÷ 应参与人数" in driver.page_source
    # 清河镇's schools gave only their totals: an estimate, marked ≈ as /stats marks it (参与率 ≈0.1%)
    cells = [td.text for td in row("qinghe").find_elements(By.TAG_NAME, "td")]
    assert (
        cells[2:4] == ["≈1860", "≈0.1%"]
        and row("chengguan").find_elements(By.TAG_NAME, "td")[2].text == "8512"
    )
    assert driver.find_element(By.ID, "estimated-note").text.startswith("≈：应参与人数是估算的")
    first = driver.find_elements(By.CSS_SELECTOR, "#rows tbody tr")[0]
    assert "zero" in first.get_attribute("class")  # towns where nobody took part come first
    assert (
        driver.execute_script("return getComputedStyle(document.body).backgroundColor")
        == "rgb(255, 255, 255)"
    )
    folder = Path(os.environ["PUFABOT_SCREENSHOTS"]) if os.environ.get("PUFABOT_SCREENSHOTS") else tmp_path
    folder = folder if folder.is_absolute() else ROOT / folder
    folder.mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        screenshot(driver, folder, "dashboard-district", width)
    driver.set_window_size(1280, 1000)

    row("chengguan").click()
    wait_for(lambda: figure("participants") == "3" and row("cg-p1"))
    row("cg-p1").click()
    wait_for(lambda: row("cg-p1:5:1"))
    assert "zero" in row("cg-p1:3:1").get_attribute("class")
    screenshot(driver, folder, "dashboard-school", 360)
    driver.set_window_size(1280, 1000)
    row("cg-p1:5:1").click()
    wait_for(lambda: figure("participants") == "2" and "5年级1班" in driver.find_element(By.ID, "trail").text)
    assert driver.find_element(By.ID, "missing").is_displayed()

    driver.find_element(By.CSS_SELECTOR, "#trail button").click()  # back to the top
    wait_for(lambda: figure("participants") == "4")
    driver.find_element(By.ID, "download-xlsx").click()
    downloads = tmp_path / "downloads"
    wait_for(lambda: [p for p in downloads.glob("*.xlsx")] if downloads.exists() else None)


async def test_an_admin_walks_the_dashboard_in_chromium(
    client: TestClient, browser: Any, tmp_path: Path
) -> None:  # type: ignore[type-arg]
    fragment = f"tgWebAppData={quote(init_data(ADMIN_ID))}&tgWebAppVersion=8.0&tgWebAppPlatform=weba" \
               f"&tgWebAppThemeParams={quote(json.dumps(THEME))}"  # fmt: skip
    url = str(client.make_url("/?lang=zh")) + "#" + fragment
    await asyncio.to_thread(walk_through, browser, url, tmp_path)
    [xlsx] = (tmp_path / "downloads").glob("*.xlsx")
    assert xlsx.name.startswith("constitution-day-2026-") and xlsx.stat().st_size > 1000


async def test_a_stale_or_missing_signature_shows_how_to_sign_in(client: TestClient, browser: Any) -> None:  # type: ignore[type-arg]
    from selenium.webdriver.common.by import By

    def check() -> str:
        browser.get(
            str(client.make_url("/?lang=en")) + "#tgWebAppData=" + quote(init_data(ADMIN_ID, auth_date=1))
        )
        return str(wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "#status.error").text))

    assert "/dashboard" in await asyncio.to_thread(check)


async def test_a_class_teacher_picking_the_staff_exam_still_sees_the_page(
    client: TestClient, browser: Any
) -> None:  # type: ignore[type-arg]
    """The picker lists every campaign; the staff exam is for nobody in a class. The page had failed whole
    (加载失败) on /api/missing's refusal; now it shows the figures, says why nobody is listed, and offers
    no reminder."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    def pick() -> tuple[str, str, bool, bool]:
        browser.get(str(client.make_url("/?lang=zh")) + "#tgWebAppData=" + quote(init_data(CLASS_ADMIN)))
        wait_for(lambda: browser.find_element(By.ID, "content").is_displayed())
        assert browser.find_element(By.ID, "remind").is_displayed()
        Select(browser.find_element(By.ID, "campaign")).select_by_value("staff-law-exam-2026")
        wait_for(lambda: "教职工" in browser.find_element(By.ID, "meta").text)
        time.sleep(0.5)
        return (browser.find_element(By.ID, "status").text, browser.find_element(By.ID, "missing-lines").text,
                browser.find_element(By.ID, "content").is_displayed(),
                browser.find_element(By.ID, "remind").is_displayed())  # fmt: skip

    status, missing, shown, remind = await asyncio.to_thread(pick)
    assert (status, shown, remind) == ("", True, False)
    assert "这个活动不面向学生" in missing


async def test_the_page_leaves_no_error_in_the_console(client: TestClient, browser: Any) -> None:  # type: ignore[type-arg]
    """An admin opening the page had one console error: the browser asked for /favicon.ico, a 404."""
    from selenium.webdriver.common.by import By

    def open_page() -> list[dict[str, Any]]:
        browser.get(str(client.make_url("/?lang=zh")) + "#tgWebAppData=" + quote(init_data(ADMIN_ID)))
        wait_for(lambda: browser.find_element(By.ID, "content").is_displayed())
        time.sleep(0.5)
        return list(browser.get_log("browser"))

    logs = await asyncio.to_thread(open_page)
    assert [entry for entry in logs if entry["level"] == "SEVERE"] == []
