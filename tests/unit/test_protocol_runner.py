"""ProtocolRunner without a browser: press buttons, move a fake clock, read what is shown."""

from __future__ import annotations

import asyncio

import pytest

from tlkit.practice.protocols import Protocol, Role, Step
from state_files import load_state, save_state
from tlkit.widgets.practice.protocol_runner import ProtocolRunner


class FakeTime:
    def __init__(self):
        self.t = 5_000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def _protocol(steps: int = 3) -> Protocol:
    all_steps = (
        Step("Opening", 2, 5, ("host",), ("guest",), ("Why are we here?",), ("Name the norms.",)),
        Step("Questions", 5, 10, ("guest",), ("host",), ("Ask what you need to know.",)),
        Step("Wrap-up", 1, 2, ("host", "guest"), (), ("One word to close.",)),
    )
    return Protocol(
        id="demo", name="Demo protocol", originators="Test", source_note="Test",
        purpose="Testing", group_size=(3, 8),
        roles=(Role("host", "Host", "Runs it"), Role("guest", "Guest", "Joins in")),
        norms=("Be kind.",), steps=all_steps[:steps],
    )


@pytest.fixture
def fake():
    return FakeTime()


@pytest.fixture
def runner(fake):
    return ProtocolRunner(_protocol(), now=fake)


def test_shows_the_first_step_before_anything_is_pressed(runner):
    assert "Demo protocol" in runner.title.value
    assert "Step 1 of 3" in runner.step_number.value
    assert "Opening" in runner.step_name.value
    assert "Speaking:</b> Host" in runner.roles.value
    assert "silence:</b> Guest" in runner.roles.value
    assert "Why are we here?" in runner.guidance.value
    assert "Name the norms." in runner.guidance.value
    assert "05:00" in runner.step_clock.value
    assert "17:00" in runner.total_clock.value
    assert not runner.start_button.disabled
    assert runner.pause_button.disabled
    assert runner.back_button.disabled


def test_buttons_and_css_classes_browser_tests_rely_on(runner):
    assert [runner.start_button.description, runner.pause_button.description,
            runner.next_button.description, runner.back_button.description] == [
        "Start", "Pause", "Next", "Back"]
    assert "tlkit-runner" in runner._dom_classes
    for part, name in [(runner.step_clock, "step-clock"), (runner.total_clock, "total-clock"),
                       (runner.step_name, "step-name")]:
        assert f"tlkit-runner-{name}" in part._dom_classes


def test_start_counts_down_and_pause_holds(runner, fake):
    runner.start_button.click()
    fake.advance(61)
    runner.refresh()
    assert "03:59" in runner.step_clock.value
    assert "15:59" in runner.total_clock.value
    assert runner.start_button.disabled and not runner.pause_button.disabled

    runner.pause_button.click()
    fake.advance(300)
    runner.refresh()
    assert "03:59" in runner.step_clock.value
    assert "Paused" in runner.step_clock.value
    assert not runner.start_button.disabled and runner.pause_button.disabled


def test_overtime_shows_the_cue(runner, fake):
    runner.start_button.click()
    fake.advance(5 * 60 + 10)
    runner.refresh()
    assert "Time — move to the next step" in runner.step_clock.value
    assert "+00:10" in runner.step_clock.value
    assert "tlkit-runner-overtime" in runner.step_clock._dom_classes
    runner.next_button.click()
    assert "Time —" not in runner.step_clock.value
    assert "tlkit-runner-overtime" not in runner.step_clock._dom_classes


def test_next_and_back_move_between_steps(runner, fake):
    runner.start_button.click()
    runner.next_button.click()
    assert "Step 2 of 3" in runner.step_number.value
    assert "Questions" in runner.step_name.value
    assert "Speaking:</b> Guest" in runner.roles.value
    assert "10:00" in runner.step_clock.value
    assert not runner.back_button.disabled
    fake.advance(30)
    runner.back_button.click()
    assert "Step 1 of 3" in runner.step_number.value
    assert "05:00" in runner.step_clock.value


def test_the_end_of_the_protocol(runner):
    for _ in range(3):
        runner.next_button.click()
    assert "Protocol complete" in runner.step_name.value
    assert runner.next_button.disabled and runner.start_button.disabled
    assert not runner.back_button.disabled


def test_a_second_view_with_the_same_key_resumes_running(fake):
    first = ProtocolRunner(_protocol(), now=fake, state_key="room-12")
    first.start_button.click()
    fake.advance(100)
    first.next_button.click()
    fake.advance(45)  # the page reloads while the clock runs

    second = ProtocolRunner(_protocol(), now=fake, state_key="room-12")
    assert "Step 2 of 3" in second.step_number.value
    assert "09:15" in second.step_clock.value
    assert second.pause_button.disabled is False
    assert "Picked up where the group was" in second.note.value


def test_default_key_is_per_protocol(runner):
    runner.next_button.click()
    assert load_state("runner-demo")["step_index"] == 1


def test_autosave_off_saves_nothing(fake):
    runner = ProtocolRunner(_protocol(), now=fake, autosave=False)
    runner.start_button.click()
    assert load_state("runner-demo") is None


def test_a_saved_clock_for_another_shape_starts_fresh_with_a_note(fake):
    save_state("runner-demo", {"protocol_id": "demo", "step_minutes": [5, 10],
                               "step_index": 1, "running": False, "started_at": None,
                               "step_elapsed_before": 0.0})
    runner = ProtocolRunner(_protocol(), now=fake)
    assert "Step 1 of 3" in runner.step_number.value
    assert "2 steps" in runner.note.value and "starts fresh" in runner.note.value


def test_a_corrupt_saved_clock_starts_fresh_with_a_note(fake):
    save_state("runner-demo", {"protocol_id": "demo", "step_minutes": [5, 10, 2],
                               "step_index": 7, "running": False, "started_at": None,
                               "step_elapsed_before": 0.0})
    runner = ProtocolRunner(_protocol(), now=fake)
    assert "Step 1 of 3" in runner.step_number.value
    assert "step_index" in runner.note.value


# The demo steps' minimums add up to 2 + 5 + 1 = 8 minutes; their suggestions to 17.

def test_slot_box_refuses_a_slot_below_the_minimum_plainly(runner):
    runner.slot_box.value = 7
    assert "Demo protocol needs at least 8 minutes" in runner.slot_message.value
    assert "7 minutes is not enough" in runner.slot_message.value
    assert runner.clock.state.step_minutes == [5, 10, 2]  # the plan in use is kept


def test_slot_box_rescales_and_saves(runner):
    # 13 minutes shared 5:10:2 is 3.82, 7.65, 1.53: floors 3, 7, 1, and the two spare
    # minutes go to the largest remainders (steps 1 and 2).
    runner.slot_box.value = 13
    assert runner.clock.state.step_minutes == [4, 8, 1]
    assert "04:00" in runner.step_clock.value
    assert "13:00" in runner.total_clock.value
    assert load_state("runner-demo")["step_minutes"] == [4, 8, 1]


def test_an_impossible_slot_at_construction_falls_back_to_suggested(fake):
    runner = ProtocolRunner(_protocol(), slot_minutes=3, now=fake)
    assert "needs at least 8 minutes" in runner.slot_message.value
    assert runner.clock.state.step_minutes == [5, 10, 2]


def test_loads_a_shipped_protocol_by_id(fake):
    from tlkit.practice.protocols import list_protocols

    protocol_id = list_protocols()[0]
    runner = ProtocolRunner(protocol_id, now=fake)
    assert runner.protocol.id == protocol_id
    assert runner.protocol.name in runner.title.value


def test_no_ticking_without_an_event_loop(runner):
    runner.start_button.click()  # plain Python: nothing to schedule on, nothing left behind
    assert runner._ticker is None


def test_ticking_starts_on_start_and_stops_on_pause(fake):
    async def scenario():
        runner = ProtocolRunner(_protocol(), now=fake)
        assert runner._ticker is None  # never before Start
        runner.start_button.click()
        ticker = runner._ticker
        assert ticker is not None and not ticker.done()
        fake.advance(30)
        await asyncio.sleep(0)  # let the ticker run once: it redraws from the clock
        assert "04:30" in runner.step_clock.value
        runner.pause_button.click()
        await asyncio.sleep(0)
        assert ticker.cancelled() and runner._ticker is None

    asyncio.run(scenario())


def test_a_resumed_running_clock_keeps_ticking(fake):
    async def scenario():
        ProtocolRunner(_protocol(), now=fake, state_key="hall").start_button.click()
        again = ProtocolRunner(_protocol(), now=fake, state_key="hall")
        assert again._ticker is not None
        again.close()
        await asyncio.sleep(0)

    asyncio.run(scenario())


def _saved_running(started_at: float, step_index: int = 1, elapsed_before: float = 30.0):
    save_state("runner-demo", {"protocol_id": "demo", "step_minutes": [5, 10, 2],
                               "step_index": step_index, "running": True,
                               "started_at": started_at, "step_elapsed_before": elapsed_before})


def test_a_clock_left_running_days_ago_comes_back_paused_at_the_end_of_its_step(fake):
    _saved_running(started_at=fake.t - 7 * 24 * 3600)  # a week ago, in step 2
    runner = ProtocolRunner(_protocol(), now=fake)
    assert "Step 2 of 3" in runner.step_number.value
    assert not runner.clock.state.running and runner._ticker is None
    assert "+00:00" in runner.step_clock.value  # at the end of the step, not days over
    assert "left running more than 12 hours ago" in runner.note.value
    assert "paused at the end of step 2 of 3" in runner.note.value
    fake.advance(60)
    runner.refresh()
    assert "+00:00" in runner.step_clock.value  # and it stays paused


def test_a_clock_running_for_an_hour_resumes_as_saved(fake):
    _saved_running(started_at=fake.t - 3600)
    runner = ProtocolRunner(_protocol(), now=fake)
    assert runner.clock.state.running
    assert "Picked up where the group was" in runner.note.value
