"""The protocol clock, driven by a fake time source so every second is under the test's control."""

from __future__ import annotations

import json

import pytest

from tlkit.practice.clock import ProtocolClock, RunnerState, format_seconds, paused_if_stale


class FakeTime:
    def __init__(self, start: float = 1_000_000.0):
        self.t = start

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def fake():
    return FakeTime()


@pytest.fixture
def clock(fake):
    # Three steps of 5, 10 and 2 minutes.
    return ProtocolClock.fresh("tuning", [5, 10, 2], now=fake)


def test_a_new_clock_waits_for_start(clock, fake):
    fake.advance(120)
    assert clock.step_remaining() == 300
    assert clock.total_remaining() == 17 * 60
    assert not clock.state.running


def test_start_counts_down_from_the_time_source(clock, fake):
    clock.start()
    fake.advance(61.5)
    assert clock.step_remaining() == pytest.approx(300 - 61.5)
    assert clock.total_remaining() == pytest.approx(17 * 60 - 61.5)


def test_pause_freezes_and_start_resumes(clock, fake):
    clock.start()
    fake.advance(30)
    clock.pause()
    fake.advance(500)  # time passing while paused does not count
    assert clock.step_remaining() == 270
    clock.start()
    fake.advance(20)
    assert clock.step_remaining() == 250


def test_start_twice_does_not_restart_the_step(clock, fake):
    clock.start()
    fake.advance(40)
    clock.start()
    fake.advance(10)
    assert clock.step_elapsed() == 50


def test_next_starts_the_new_step_at_zero_and_keeps_running(clock, fake):
    clock.start()
    fake.advance(100)
    clock.next()
    assert clock.state.step_index == 1
    assert clock.state.running
    fake.advance(60)
    assert clock.step_remaining() == 600 - 60
    # Time spent on step 1 is gone from the plan; step 2 and 3 remain.
    assert clock.total_remaining() == (10 + 2) * 60 - 60


def test_next_while_paused_stays_paused(clock, fake):
    clock.start()
    fake.advance(10)
    clock.pause()
    clock.next()
    fake.advance(90)
    assert not clock.state.running
    assert clock.step_remaining() == 600


def test_back_restarts_the_previous_step_at_zero(clock, fake):
    clock.start()
    fake.advance(200)
    clock.next()
    fake.advance(30)
    clock.back()
    assert clock.state.step_index == 0
    assert clock.state.running
    assert clock.step_remaining() == 300
    fake.advance(5)
    assert clock.step_remaining() == 295


def test_back_on_the_first_step_does_nothing(clock, fake):
    clock.start()
    fake.advance(42)
    clock.back()
    assert clock.state.step_index == 0
    assert clock.step_elapsed() == 42


def test_reset_goes_to_the_first_step_paused(clock, fake):
    clock.start()
    clock.next()
    fake.advance(70)
    clock.reset()
    fake.advance(70)
    assert clock.state.step_index == 0
    assert not clock.state.running
    assert clock.step_remaining() == 300
    assert clock.total_remaining() == 17 * 60


def test_overtime_after_the_step_ends(clock, fake):
    clock.start()
    fake.advance(299)
    assert not clock.is_step_over
    assert clock.step_overtime() == 0
    fake.advance(1)
    assert clock.is_step_over
    fake.advance(45)
    assert clock.step_remaining() == 0
    assert clock.step_overtime() == 45
    # Overtime comes out of the time left for the later steps.
    assert clock.total_remaining() == 17 * 60 - 345


def test_total_remaining_never_goes_below_zero(fake):
    clock = ProtocolClock.fresh("tuning", [1], now=fake)
    clock.start()
    fake.advance(600)
    assert clock.total_remaining() == 0
    assert clock.step_overtime() == 540


def test_next_on_the_last_step_finishes_and_stops(clock, fake):
    clock.start()
    clock.next()
    clock.next()
    clock.next()
    assert clock.finished
    assert not clock.state.running
    assert clock.total_remaining() == 0
    assert not clock.is_step_over
    clock.next()  # nothing beyond the end
    clock.start()  # a finished protocol does not run
    assert clock.state.step_index == 3 and not clock.state.running
    clock.back()
    assert clock.state.step_index == 2 and clock.step_remaining() == 120


def test_replan_keeps_time_spent(clock, fake):
    clock.start()
    fake.advance(60)
    clock.replan([3, 8, 1])
    assert clock.step_remaining() == 120
    assert clock.total_remaining() == 12 * 60 - 60
    with pytest.raises(ValueError, match="2 steps but this protocol has 3"):
        clock.replan([3, 8])


def test_a_clock_going_backwards_never_adds_time(clock, fake):
    clock.start()
    fake.advance(-5)  # another machine's clock a little behind
    assert clock.step_remaining() == 300


def test_round_trip_through_json(clock, fake):
    clock.start()
    fake.advance(12)
    clock.next()
    fake.advance(3)
    clock.pause()
    saved = json.loads(json.dumps(clock.state.to_dict()))
    assert RunnerState.from_dict(saved) == clock.state


def test_a_restarted_clock_resumes_where_the_group_was(clock, fake):
    clock.start()
    fake.advance(100)
    clock.next()
    fake.advance(50)
    saved = json.dumps(clock.state.to_dict())

    # The kernel restarts; two minutes pass before the page is back.
    fake.advance(120)
    again = ProtocolClock(RunnerState.from_dict(json.loads(saved)), now=fake)
    assert again.state.step_index == 1
    assert again.state.running
    assert again.step_remaining() == 600 - 170
    assert again.total_remaining() == 12 * 60 - 170


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"step_minutes": "5,10"}, "step_minutes"),
        ({"step_minutes": [5, -1]}, "step_minutes"),
        ({"step_minutes": [5, True]}, "step_minutes"),
        ({"step_index": 9}, "step_index"),
        ({"running": "yes"}, "running"),
        ({"running": True, "started_at": None}, "started_at"),
        ({"step_elapsed_before": -3}, "step_elapsed_before"),
        ({"protocol_id": ""}, "protocol_id"),
        ({"running": True, "started_at": float("nan")}, "started_at"),
        ({"running": True, "started_at": float("-inf")}, "started_at"),
        ({"step_elapsed_before": float("inf")}, "step_elapsed_before"),
        ({"step_elapsed_before": float("nan")}, "step_elapsed_before"),
    ],
)
def test_a_corrupt_dict_names_the_bad_field(clock, change, expected):
    data = clock.state.to_dict() | change
    with pytest.raises(ValueError, match=f"bad '{expected}'.*Start the clock fresh"):
        RunnerState.from_dict(data)


def test_a_dict_of_another_shape_says_what_is_missing(clock):
    data = clock.state.to_dict()
    del data["step_index"]
    data["notes"] = "hello"
    with pytest.raises(ValueError, match="missing step_index; unexpected notes"):
        RunnerState.from_dict(data)
    with pytest.raises(ValueError, match="JSON object, not list"):
        RunnerState.from_dict([1, 2])


def test_json_nan_and_infinity_are_refused():
    # Python's json reads these words, so a hand-edited or damaged file can contain them.
    text = ('{"protocol_id": "tuning", "step_minutes": [5], "step_index": 0, "running": true, '
            '"started_at": NaN, "step_elapsed_before": Infinity}')
    with pytest.raises(ValueError, match="bad 'started_at'"):
        RunnerState.from_dict(json.loads(text))


@pytest.mark.parametrize(("seconds", "round_up", "shown"), [
    (300, True, "05:00"), (299.2, True, "05:00"), (0.4, True, "00:01"), (0, True, "00:00"),
    (59.9, False, "00:59"), (61, False, "01:01"), (-3, True, "00:00"),
    (100 * 60 + 5, True, "100:05"),
])
def test_format_seconds(seconds, round_up, shown):
    assert format_seconds(seconds, round_up=round_up) == shown


HOUR = 3600.0


def _running(fake, hours_ago: float, elapsed_before: float = 30.0) -> RunnerState:
    # Step 2 of three (10 minutes planned), started `hours_ago`.
    return RunnerState("tuning", [5, 10, 2], step_index=1, running=True,
                       started_at=fake() - hours_ago * HOUR, step_elapsed_before=elapsed_before)


def test_a_clock_left_running_overnight_is_paused_at_the_end_of_its_step(fake):
    stale = paused_if_stale(_running(fake, hours_ago=13), fake())
    assert stale == RunnerState("tuning", [5, 10, 2], step_index=1, running=False,
                                started_at=None, step_elapsed_before=600.0)
    clock = ProtocolClock(stale, now=fake)
    assert clock.step_remaining() == 0 and clock.step_overtime() == 0
    assert clock.total_remaining() == 2 * 60


def test_a_stale_clock_already_over_keeps_its_time_spent(fake):
    stale = paused_if_stale(_running(fake, hours_ago=48, elapsed_before=700.0), fake())
    assert stale.step_elapsed_before == 700.0 and not stale.running


def test_the_saved_state_itself_is_left_alone(fake):
    state = _running(fake, hours_ago=13)
    paused_if_stale(state, fake())
    assert state.running and state.step_elapsed_before == 30.0


@pytest.mark.parametrize("hours_ago", [0.5, 11.9, 12.0])
def test_a_clock_running_within_12_hours_resumes_as_saved(fake, hours_ago):
    assert paused_if_stale(_running(fake, hours_ago), fake()) is None


def test_a_paused_clock_is_never_stale(fake):
    state = RunnerState("tuning", [5, 10, 2], step_index=1, step_elapsed_before=90.0)
    assert paused_if_stale(state, fake() + 100 * HOUR) is None
