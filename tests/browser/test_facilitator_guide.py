"""The facilitator guide in headless Chromium: it runs, reads cleanly and stays on 127.0.0.1."""

from __future__ import annotations

import base64
import re
import time

import pytest
from axe_check import describe, findings, not_allowed, run_axe
from voila_pages import ROOT, RecordedPage, running_voila

import pandas as pd

from tlkit.practice.calibration import compare, percent
from tlkit.practice.observation import load_episode, load_rubric
from tlkit.practice.protocols import load_protocol

GUIDE = "protocols.ipynb"
GUIDE_RUBRIC, GUIDE_EPISODE = "student-led-discussion", "voting-age-discussion"  # as in the guide


STEP_CLOCK = ".tlkit-runner-step-clock"
# The big countdown: "04:59", or "+00:12" once a step runs over.
CLOCK_DIGITS = re.compile(r"\+?\d{2,}:\d{2}")


def _clock_digits(page) -> str:
    """Only the mm:ss of the step clock: its caption changes on a press, the digits on a tick."""
    text = page.locator(STEP_CLOCK).first.inner_text()
    match = CLOCK_DIGITS.search(text)
    assert match, f"no mm:ss in the step clock: {text!r}"
    return match.group()


def _seconds(digits: str) -> int:
    minutes, seconds = digits.lstrip("+").split(":")
    return int(minutes) * 60 + int(seconds)


def _assert_counts_down(page) -> None:
    """After Start: once the caption says the clock runs, the digits must drop within 1.5 s,
    which only the once-a-second tick can do."""
    page.locator(STEP_CLOCK, has_text="left in this step").wait_for(timeout=15_000)
    before = _clock_digits(page)
    time.sleep(1.5)
    after = _clock_digits(page)
    assert _seconds(after) < _seconds(before), f"clock stuck: {before} then {after}"


def _changes_within(read, seconds: float) -> bool:
    before = read()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.25)
        if read() != before:
            return True
    return False


def _open_guide(recorded, voila):
    page = recorded.page
    page.goto(voila.url(GUIDE))
    page.wait_for_selector(".tlkit-runner", state="visible")
    return page


def _runner_button(page, name: str):
    return page.locator(".tlkit-runner").get_by_role("button", name=name, exact=True)


@pytest.fixture(scope="module")
def guide(voila, browser):
    """One rendered guide shared by the checks below: a render costs seconds."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)
    recorded = RecordedPage(page)
    _open_guide(recorded, voila)
    yield recorded
    context.close()


def test_runner_clock_runs_after_start_and_holds_on_pause(guide):
    page = guide.page
    assert not _changes_within(lambda: _clock_digits(page), 1.5), "clock moved before Start"
    _runner_button(page, "Start").click()
    _assert_counts_down(page)

    _runner_button(page, "Pause").click()
    # The kernel redraws the paused clock after stopping its ticker, so once the page shows
    # it paused no later tick can arrive.
    page.locator(STEP_CLOCK, has_text="Paused").wait_for(timeout=15_000)
    assert _runner_button(page, "Pause").is_disabled()
    paused = _clock_digits(page)
    assert not _changes_within(lambda: _clock_digits(page), 2.0), f"clock moved after {paused}"
    assert "Paused" in page.locator(STEP_CLOCK).first.inner_text()


def test_agenda_follows_the_start_time_box(guide):
    page = guide.page
    box = page.locator(".tlkit-agenda-start input")
    box.fill("13:30")
    box.press("Enter")
    first_row = page.locator(".tlkit-agenda-table tbody tr").first
    page.wait_for_function(
        "() => document.querySelector('.tlkit-agenda-table tbody tr').innerText.includes('13:30')")
    assert first_row.inner_text().startswith("13:30")
    box.fill("half past one")
    box.press("Enter")
    page.locator(".tlkit-agenda-message", has_text="09:00").wait_for()
    assert first_row.inner_text().startswith("13:30")  # the last good agenda stays


def test_handout_link_carries_the_chosen_protocol(guide):
    page = guide.page
    name = load_protocol("consultancy").name
    page.locator(".tlkit-protocol-chooser select").select_option(label=name)
    link = page.locator(".tlkit-handout-link")
    page.wait_for_function(
        "() => document.querySelector('.tlkit-handout-link').getAttribute('download')"
        " === 'consultancy-handout.html'")
    href = link.get_attribute("href")
    assert href.startswith("data:text/html")
    handout = base64.b64decode(href.split(",", 1)[1]).decode("utf-8")
    assert name in handout
    assert page.locator(".tlkit-runner .tlkit-runner-title").inner_text().strip() == name


def test_calibration_compares_the_scores_entered_in_the_grid(guide):
    page = guide.page
    view = page.locator(".tlkit-calibration")
    rubric, episode = load_rubric(GUIDE_RUBRIC), load_episode(GUIDE_EPISODE)
    names = [box.input_value() for box in view.locator(".tlkit-calibration-name input").all()]
    boxes = view.locator(".tlkit-calibration-score select")
    look_fors = list(rubric.look_for_ids)
    assert boxes.count() == len(names) * len(look_fors)
    low, high = min(rubric.levels), max(rubric.levels)
    scores = {}
    for row, name in enumerate(names):
        # First observer matches the reference, the others drift by `row` levels.
        scores[name] = {lf: min(high, max(low, episode.reference[lf] + (-1) ** col * row))
                        for col, lf in enumerate(look_fors)}
        for col, lf in enumerate(look_fors):
            boxes.nth(row * len(look_fors) + col).select_option(label=str(scores[name][lf]))
    view.get_by_role("button", name="Compare scores").click()
    results = view.locator(".tlkit-calibration-results")
    results.locator("table").first.wait_for()

    expected = compare(pd.DataFrame.from_dict(scores, orient="index"), episode.reference, rubric)
    for agreement in expected.vs_reference:
        row = results.locator("tr", has=page.locator(f"td:text-is('{agreement.first}')")).first
        cells = row.locator("td").all_inner_texts()
        assert cells[2:4] == [percent(agreement.exact), percent(agreement.within_one)], cells
    assert percent(expected.vs_reference[0].exact) == "100%"


def test_page_shows_no_code_no_errors_and_stays_local(guide):
    page = guide.page
    page.wait_for_timeout(500)
    # Markdown cells render inside .jp-InputArea too; code would sit in a code cell's one.
    code = ".jp-CodeCell .jp-InputArea, .jp-InputArea-editor, .cm-editor, .CodeMirror"
    assert page.locator(code).count() == 0
    stderr = page.locator('.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]')
    assert stderr.count() == 0, stderr.first.inner_text()
    body = page.locator("body").inner_text()
    assert not re.search(r"Traceback|Error:|There was an error", body), body[:2000]
    assert guide.urls, "no requests recorded"
    assert guide.outside_requests() == []


def test_an_open_view_survives_kernel_culling(new_page, tmp_path):
    # Not shorter: between a page's kernel running the guide and the page connecting to it,
    # a few seconds pass on a busy machine, and a cull pass then would take the open page's.
    cull_after = 10
    with running_voila(ROOT / "facilitator", tmp_path, cull_idle_seconds=cull_after,
                       cull_interval_seconds=1, preheat=False) as voila:
        kept, closed = new_page(), new_page()
        page = _open_guide(kept, voila)
        closed_page = _open_guide(closed, voila)
        closed_kernel = closed_page.evaluate(
            "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
        closed_page.close()

        # Culling is on: the kernel of the closed page goes once it has been idle long enough.
        deadline = time.monotonic() + 60
        while closed_kernel not in _culled(voila.output()) and time.monotonic() < deadline:
            time.sleep(1)
        assert closed_kernel in _culled(voila.output()), voila.output()[-3000:]

        # The open page sat idle well past the timeout and still works.
        _runner_button(page, "Start").click()
        _assert_counts_down(page)
        assert page.locator(".tlkit-runner").count() == 1


def _culled(log: str) -> str:
    return "\n".join(line for line in log.splitlines() if "Culling" in line and "kernel" in line)


def test_the_folder_listing_shows_the_guide_and_stays_local(voila, new_page):
    # The listing is drawn by the server: it is there as soon as the page is, in a tab that
    # was in the background too, and each name opens its page.
    listing = new_page()
    listing.page.goto(voila.url(None))
    page = listing.page
    assert page.evaluate("document.documentElement.lang") == "en"
    page.get_by_role("heading", name="Facilitator views", level=1).wait_for(timeout=10_000)
    names = page.locator(".tlkit-tree-list a").all_inner_texts()
    assert GUIDE in names and "index.ipynb" in names, names
    assert names == sorted(names), names
    left = not_allowed(findings(run_axe(page)), {})
    assert not left, f"axe on the folder listing:\n{describe(left)}"
    page.get_by_role("link", name=GUIDE, exact=True).click()
    page.locator(".tlkit-runner").first.wait_for(timeout=120_000)
    assert "Traceback" not in page.locator("body").inner_text()
    assert listing.outside_requests() == []
