"""The presenter view: large, for the room only, and driven from the guide's runner."""

from __future__ import annotations

import os
import re

from tlkit.practice.protocols import load_protocol
from state_files import state_path
from tlkit.widgets.practice.presenter import ProtocolPresenter
from tlkit.widgets.practice.protocol_runner import ProtocolRunner


class FakeTime:
    def __init__(self):
        self.t = 5_000.0

    def __call__(self) -> float:
        return self.t


def _shown(runner: ProtocolRunner) -> str:
    return "".join(w.value for w in (runner.title, runner.step_number, runner.step_name,
                                      runner.roles, runner.guidance, runner.step_clock,
                                      runner.total_clock))


def _visible_widgets(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _visible_widgets(child)


def test_presenter_shows_prompts_but_no_facilitator_moves_or_minutes_box():
    protocol = load_protocol("tuning")
    step = protocol.steps[0]
    guide, room = ProtocolRunner(protocol), ProtocolRunner(protocol, presenter=True)
    assert step.facilitator_moves and step.facilitator_moves[0] in guide.guidance.value
    shown = _shown(room)
    assert step.prompts[0] in shown
    assert not any(move in shown for move in step.facilitator_moves)
    assert "Facilitator moves" not in shown
    tree = list(_visible_widgets(room))
    assert room.slot_box not in tree and room.note not in tree
    assert room.layout.max_width == "none"


def test_presenter_type_is_projector_sized():
    room = ProtocolRunner("tuning", presenter=True)
    # vw units: 4.2vw is 81 px on a 1,920 px wide projector (the browser test measures it).
    sizes = re.findall(r"font-size:clamp\((\d+)px, ([\d.]+)vw", room.step_name.value)
    assert sizes and float(sizes[0][1]) * 19.2 >= 64


def test_a_press_in_the_guide_shows_in_the_presenter_view():
    fake = FakeTime()
    guide = ProtocolRunner("tuning", now=fake)
    room = ProtocolRunner("tuning", presenter=True, now=fake)
    assert room.state_key == guide.state_key
    guide.start_button.click()
    fake.t += 30
    guide.next_button.click()
    assert room.follow_saved()
    assert room.clock.state == guide.clock.state
    assert "Step 2 of" in room.step_number.value
    assert room.follow_saved() is False  # nothing new


def test_a_press_in_the_presenter_view_shows_in_the_guide():
    fake = FakeTime()
    guide = ProtocolRunner("tuning", now=fake)
    room = ProtocolRunner("tuning", presenter=True, now=fake)
    room.start_button.click()
    assert guide.follow_saved()
    assert guide.clock.state.running and guide.pause_button.disabled is False


def test_a_clock_for_another_plan_is_not_followed():
    guide = ProtocolRunner("tuning")
    guide.start_button.click()
    other = ProtocolRunner("consultancy", state_key="runner-tuning", presenter=True)
    assert other.follow_saved() is False
    assert not other.clock.state.running


def test_the_presenter_page_switches_to_the_protocol_pressed_last():
    page = ProtocolPresenter("tuning")
    assert page.showing == "tuning" and page.runner.presenter
    ProtocolRunner("consultancy").start_button.click()
    assert page.follow()
    assert page.showing == "consultancy"
    assert load_protocol("consultancy").name in page.runner.title.value
    ProtocolRunner("tuning").start_button.click()
    tuning = state_path("runner-tuning")
    consultancy = state_path("runner-consultancy").stat().st_mtime_ns
    os.utime(tuning, ns=(consultancy + 10**9, consultancy + 10**9))  # coarse file clocks
    assert page.follow() and page.showing == "tuning"


def test_focus_moves_to_pause_after_start_and_back_after_pause(monkeypatch):
    runner = ProtocolRunner("tuning")
    focused = []
    for button in (runner.start_button, runner.pause_button, runner.next_button):
        monkeypatch.setattr(button, "focus", lambda b=button: focused.append(b.description))
    runner.start_button.click()     # Start disables itself: focus goes to Pause
    runner.pause_button.click()     # and back
    runner.next_button.click()      # Next stays enabled: focus stays on it
    assert focused == ["Pause", "Start"]
