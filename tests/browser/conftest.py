"""Headless Chromium (Debian's, driven by Playwright) and Voila serving facilitator/.

Voila is started with the same command line `tlkit facilitate` uses (tlkit.serve.servers), in its own
process group, with its state kept in a temporary folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect
from voila_pages import CHROMIUM, CHROMIUM_ARGS, ROOT, RecordedPage, running_voila

# What one page does reaches another through a kernel's or the room's once-a-second follower;
# on a busy machine that takes longer than Playwright's 5 s default. A check that holds still
# passes the moment it holds: the longer bound only delays a real failure.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        hint = "install Debian's chromium: sudo apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing on CI; {hint}")
        pytest.skip(hint)
    return CHROMIUM


class _SharedChromium:
    """One Playwright and one Chromium per test process while its browser tests run: a
    launch costs a second of CPU, and every file would otherwise pay it."""

    def __init__(self):
        self._playwright = None
        self._browser = None

    def get(self, executable: Path):
        if self._browser is None or not self._browser.is_connected():
            self.close()
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=str(executable), args=CHROMIUM_ARGS, headless=True)
        return self._browser

    def close(self) -> None:
        if self._playwright is not None:
            try:
                if self._browser is not None and self._browser.is_connected():
                    self._browser.close()
            finally:
                self._playwright.stop()
        self._playwright = self._browser = None


_CHROMIUM = _SharedChromium()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Closed once the next test is not a browser test (or there is none): while Playwright's
    sync API is open, an asyncio loop counts as running in this thread, which would upset
    later tests that use asyncio themselves. After the test's own fixtures are torn down."""
    yield
    if nextitem is None or Path(str(nextitem.fspath)).parent != Path(__file__).parent:
        _CHROMIUM.close()


def pytest_sessionfinish(session, exitstatus):
    _CHROMIUM.close()   # a run stopped early (Ctrl-C, -x) leaves no Chromium behind


@pytest.fixture(scope="module")
def browser(chromium_path):
    """The process's shared headless Chromium; each test opens contexts of its own in it. A
    file's contexts still open when it ends are closed, as a browser of its own would be:
    pages left polling would go on taking CPU and keep their kernels from being culled."""
    browser = _CHROMIUM.get(chromium_path)
    yield browser
    if browser.is_connected():
        for context in list(browser.contexts):
            context.close()


@pytest.fixture(scope="session")
def _shared_voila(tmp_path_factory, chromium_path):  # no Voila to start without a browser
    """One Voila on facilitator/ per test process, with tracebacks on, so a failing cell
    shows in the page. Without preheating: each page starts its own kernel (tests/servers
    covers the preheated default). A test closes its browser without the page's own "shut my
    kernel down" on unload, so idle kernels of closed pages are culled after half a minute
    (open pages stay connected and are never culled): dozens of them would otherwise idle on
    for the whole run, each taking a little of the machine's two cores."""
    with running_voila(ROOT / "facilitator", tmp_path_factory.mktemp("voila"),
                       show_tracebacks=True, preheat=False,
                       cull_idle_seconds=30, cull_interval_seconds=5) as server:
        yield server


@pytest.fixture(scope="module")
def voila(_shared_voila):
    """The shared Voila, its state folder emptied for each test file: every file's pages
    start from no saved clocks, notes or live sessions, as with a Voila of their own."""
    if _shared_voila.state.exists():
        shutil.rmtree(_shared_voila.state)
    _shared_voila.state.mkdir()
    return _shared_voila


@pytest.fixture
def new_page(browser):
    contexts = []

    def make() -> RecordedPage:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(120_000)  # the first render starts a kernel
        return RecordedPage(page)

    yield make
    for context in contexts:
        context.close()
