"""A live session runs the same plan as the guide, and the presenter view follows it."""

from __future__ import annotations

import pytest

from tlkit.live import LiveStore
from tlkit.live.address import host_page_for
from tlkit.course.module import section_plan
from tlkit.practice.plan import plan_for
from tlkit.store import JsonFileStore
from tlkit.widgets import LiveSessionHost, LiveSessionJoin
from tlkit.widgets.practice.presenter import ProtocolPresenter
from tlkit.widgets.practice.protocol_runner import ProtocolRunner

TUNING_SECTION = "Running a tuning protocol"


class FakeTime:
    def __init__(self):
        self.t = 5_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def live(tmp_path):
    return LiveStore(f"sqlite:///{tmp_path / 'live.sqlite3'}")


def test_a_live_session_opened_from_the_tuning_section_runs_its_45_minutes(live, tmp_path):
    host = LiveSessionHost.for_section("protocols", TUNING_SECTION, live=live,
                                       store=JsonFileStore(tmp_path / "state"))
    assert host.protocol_box.value == "tuning"
    assert "planned for 45 minutes" in host.plan_line.value
    assert host.open_session()
    clock = live.state(host.session.code).clock
    assert sum(clock.step_minutes) == 45
    assert tuple(clock.step_minutes) == section_plan("protocols", TUNING_SECTION).minutes
    # Participants count down the same plan: the first step's 4 minutes, not the suggested 5.
    view = LiveSessionJoin(live=live)
    view.code_box.value = host.session.code
    assert view.join()
    assert "Not started (4 min planned)" in view.step.value
    # Ended from the page, its attendance is kept under the module, for the hours ledger.
    assert host.end()
    [record] = live.session_records()
    assert record.module == "protocols" and record.code == host.session.code


def test_the_live_page_opened_plainly_or_for_a_section(live, tmp_path):
    store = JsonFileStore(tmp_path / "state")
    plain = LiveSessionHost.for_page(live=live, store=store, environ={})
    assert plain.plan == plan_for("tuning") and "planned for 60 minutes" in plain.plan_line.value
    address = f"http://127.0.0.1:8866/voila/render/{host_page_for('protocols', TUNING_SECTION)}"
    asked = LiveSessionHost.for_page(live=live, store=store,
                                     environ={"VOILA_REQUEST_URL": address})
    assert asked.plan.total == 45
    # Another protocol chosen on the page is planned at its suggested minutes.
    asked.protocol_box.value = "consultancy"
    assert asked.plan == plan_for("consultancy")
    assert f"planned for {plan_for('consultancy').total} minutes" in asked.plan_line.value


def test_a_section_that_cannot_time_the_session_says_so_and_opens_suggested(live, tmp_path):
    host = LiveSessionHost.for_section("protocols", "No such section", live=live,
                                       store=JsonFileStore(tmp_path / "state"))
    assert "has no section called" in host.message.value
    assert host.plan == plan_for("tuning")


def test_the_presenter_follows_the_live_session_s_step(live):
    fake = FakeTime()
    live.now = fake
    # The facilitator's live page and the projector share the facilitator's state folder.
    host = LiveSessionHost.for_section("protocols", TUNING_SECTION, live=live, now=fake)
    assert host.open_session()
    room = ProtocolPresenter("consultancy", live=live, now=fake)
    assert room.live_code == host.session.code and room.showing == "tuning"
    assert sum(room.runner.clock.state.step_minutes) == 45
    assert "Step 1 of 7" in room.runner.step_number.value
    host.press("next")
    host.press("start")
    assert room.follow()
    assert "Step 2 of 7" in room.runner.step_number.value
    assert room.runner.clock.state.running
    assert room.follow() is False          # nothing new
    # A press on the projector moves the live session, which every participant follows.
    room.runner.next_button.click()
    assert live.state(host.session.code).clock.step_index == 2
    assert "Step 3 of 7" in room.runner.step_number.value


def test_the_projector_shows_the_live_session_s_step_not_an_earlier_runner(live):
    guide = ProtocolRunner("tuning")       # pressed in the guide earlier in the day
    guide.start_button.click()
    guide.pause_button.click()
    host = LiveSessionHost("consultancy", live=live)
    assert host.open_session()
    host.press("next")
    room = ProtocolPresenter("tuning", live=live)
    assert room.live_code == host.session.code and room.showing == "consultancy"
    assert "Step 2 of" in room.runner.step_number.value
    host.press("next")
    assert room.follow() and "Step 3 of" in room.runner.step_number.value


def test_the_presenter_switches_between_the_guide_s_runner_and_the_live_session(live):
    fake = FakeTime()
    live.now = fake
    host = LiveSessionHost("tuning", live=live, now=fake)
    assert host.open_session()
    room = ProtocolPresenter("tuning", live=live, now=fake)
    assert room.live_code == host.session.code   # open, and no runner pressed yet
    guide = ProtocolRunner("consultancy", now=fake)
    guide.start_button.click()                     # the guide's clock runs; the session's not
    assert room.follow() and room.live_code is None and room.showing == "consultancy"
    guide.pause_button.click()
    host.press("start")                            # now the session's clock runs
    assert room.follow() and room.live_code == host.session.code


def test_the_presenter_keeps_to_the_guide_s_runner_when_the_live_database_is_down(
        live, monkeypatch):
    from tlkit.store import StoreUnavailable, default_store
    from tlkit.store.records import LiveHostRecord

    def down(code):
        raise StoreUnavailable("the live-session database did not answer", "Try again.")

    default_store().put("live-host", LiveHostRecord("ABC234", "secret"))
    monkeypatch.setattr(live, "revision", down)
    room = ProtocolPresenter("tuning", live=live)
    assert room.showing == "tuning" and room.live_code is None and room.runner is not None
    assert room.follow() is False
