"""Fitting step times to a slot: exact sums, minimums kept, proportional, plain refusals."""

from __future__ import annotations

from fractions import Fraction

import pytest

from tlkit.practice.protocols import Protocol, Role, Step, load_all, load_protocol
from tlkit.practice.rescale import RescaleError, rescale, step_starts

SHIPPED = load_all()


def _made_up(suggested, minimums) -> Protocol:
    steps = tuple(Step(name=f"Step {n}", min_minutes=low, suggested_minutes=high,
                       speakers=("everyone",), listeners=(), prompts=("?",))
                  for n, (high, low) in enumerate(zip(suggested, minimums), start=1))
    return Protocol(id="made-up", name="Made-up protocol", originators="-", source_note="-",
                    purpose="-", group_size=(2, 8),
                    roles=(Role("everyone", "Everyone", "-"),), norms=("-",), steps=steps)


@pytest.mark.parametrize("protocol", SHIPPED, ids=lambda p: p.id)
def test_every_slot_sums_exactly_and_keeps_minimums(protocol):
    for slot in range(protocol.min_minutes, 3 * protocol.total_minutes + 1):
        minutes = rescale(protocol, slot)
        assert sum(minutes) == slot, slot
        assert len(minutes) == len(protocol.steps)
        assert all(isinstance(m, int) for m in minutes)
        assert all(m >= step.min_minutes for m, step in zip(minutes, protocol.steps)), slot


@pytest.mark.parametrize("protocol", SHIPPED, ids=lambda p: p.id)
def test_end_points_give_the_suggested_and_the_minimum_plans(protocol):
    assert rescale(protocol, protocol.total_minutes) == tuple(
        s.suggested_minutes for s in protocol.steps)
    assert rescale(protocol, protocol.min_minutes) == tuple(s.min_minutes for s in protocol.steps)


@pytest.mark.parametrize("protocol", SHIPPED, ids=lambda p: p.id)
def test_shrinking_never_lengthens_a_step_and_growing_never_shortens_one(protocol):
    suggested = [s.suggested_minutes for s in protocol.steps]
    for slot in range(protocol.min_minutes, protocol.total_minutes):
        assert all(m <= s for m, s in zip(rescale(protocol, slot), suggested)), slot
    for slot in range(protocol.total_minutes, 3 * protocol.total_minutes):
        assert all(m >= s for m, s in zip(rescale(protocol, slot), suggested)), slot


@pytest.mark.parametrize("protocol", SHIPPED, ids=lambda p: p.id)
def test_growing_stays_within_a_minute_of_the_exact_share(protocol):
    # No minimum binds when growing, so each step is its exact share rounded up or down.
    for slot in range(protocol.total_minutes, 3 * protocol.total_minutes):
        for m, step in zip(rescale(protocol, slot), protocol.steps):
            exact = Fraction(slot * step.suggested_minutes, protocol.total_minutes)
            assert abs(m - exact) < 1, (slot, step.name)


@pytest.mark.parametrize("protocol", SHIPPED, ids=lambda p: p.id)
def test_a_longer_suggested_step_never_gets_less_time_than_a_shorter_one(protocol):
    for slot in range(protocol.min_minutes, 3 * protocol.total_minutes):
        minutes = rescale(protocol, slot)
        for a, step_a in zip(minutes, protocol.steps):
            for b, step_b in zip(minutes, protocol.steps):
                if step_a.suggested_minutes > step_b.suggested_minutes \
                        and step_a.min_minutes >= step_b.min_minutes:
                    assert a >= b, (slot, step_a.name, step_b.name)


def test_tuning_from_60_to_45_worked_by_hand():
    tuning = load_protocol("tuning")
    assert [s.suggested_minutes for s in tuning.steps] == [5, 15, 5, 3, 12, 10, 10]
    assert [s.min_minutes for s in tuning.steps] == [3, 10, 4, 2, 8, 6, 5]
    # 45/60 of each: 3.75 11.25 3.75 2.25 9 7.5 7.5. Clarifying questions (3.75) is below its
    # minimum of 4, so it is held at 4; the other 41 minutes are shared over 55 suggested:
    # 3.73 11.18 2.24 8.95 7.45 7.45 -> floors 3 11 2 8 7 7 (38) + 4 = 42, 3 minutes left.
    # Largest remainders: .95 (feedback), .73 (introduction), then .45 twice: the earlier
    # step (presenter reflection) wins the tie.
    assert rescale(tuning, 45) == (4, 11, 4, 2, 9, 8, 7)


def test_growing_worked_by_hand():
    # 45 -> 60: shares 13.33, 26.67, 20; floors 13 + 26 + 20 = 59; the .67 gets the last one.
    assert rescale(_made_up([10, 20, 15], [1, 1, 1]), 60) == (13, 27, 20)


def test_ties_go_to_the_earlier_step():
    # Three equal shares of 16 (5.33 each): the one spare minute goes to the first step.
    assert rescale(_made_up([5, 5, 5], [1, 1, 1]), 16) == (6, 5, 5)
    assert rescale(_made_up([5, 5, 5], [1, 1, 1]), 17) == (6, 6, 5)


def test_held_minimums_can_cascade():
    # At 20 minutes, step 3's share (20*2/40 = 1) is below its 5; holding it leaves
    # 15 over 38, and step 2's share (15*8/38 = 3.2) then falls below its 4.
    assert rescale(_made_up([30, 8, 2], [1, 4, 5]), 20) == (11, 4, 5)


def test_too_short_a_slot_is_refused_with_the_shortest_that_works():
    tuning = load_protocol("tuning")
    shortest = sum(s.min_minutes for s in tuning.steps)
    with pytest.raises(RescaleError) as info:
        rescale(tuning, shortest - 1)
    message = str(info.value)
    assert f"needs at least {shortest} minutes" in message
    assert f"Choose a slot of {shortest} minutes or more, or pick a shorter protocol" in message
    assert tuning.name in message and f"{shortest - 1} minutes is not enough" in message


@pytest.mark.parametrize("slot", [0, -5])
def test_zero_or_negative_slot_is_refused(slot):
    with pytest.raises(RescaleError, match="Choose a slot of"):
        rescale(load_protocol("consultancy"), slot)


@pytest.mark.parametrize("slot", [45.5, "45", True, None])
def test_slot_must_be_whole_minutes(slot):
    with pytest.raises(RescaleError, match="whole number of minutes"):
        rescale(load_protocol("tuning"), slot)


def test_rescale_error_is_a_value_error():
    assert issubclass(RescaleError, ValueError)


def test_step_starts():
    assert step_starts((5, 15, 5)) == (0, 5, 20)
    assert step_starts(()) == ()
