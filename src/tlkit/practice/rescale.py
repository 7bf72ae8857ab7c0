"""Fit a protocol's step times to the slot a group actually has.

Each step gets a share of the slot proportional to its suggested minutes, never less than its
minimum, in whole minutes that add up exactly to the slot.
"""

from __future__ import annotations

from fractions import Fraction

from tlkit.practice.protocols import Protocol


class RescaleError(ValueError):
    """The slot cannot hold the protocol. The message says the shortest slot that works."""


def rescale(protocol: Protocol, slot_minutes: int) -> tuple[int, ...]:
    """Whole minutes per step, summing to slot_minutes, each at least the step's minimum.

    Steps whose proportional share would fall below their minimum are held at the minimum
    and the rest of the slot is shared among the others. Rounding is by largest remainder;
    equal remainders go to the earlier step, so the same input always gives the same plan.
    """
    if isinstance(slot_minutes, bool) or not isinstance(slot_minutes, int):
        raise RescaleError(
            f"The slot length must be a whole number of minutes, not {slot_minutes!r}.")
    shortest = protocol.min_minutes
    if slot_minutes <= 0 or slot_minutes < shortest:
        raise RescaleError(
            f"{protocol.name} needs at least {shortest} minutes, even with every step "
            f"kept as short as it can go; {slot_minutes} minutes is not enough. Choose a "
            f"slot of {shortest} minutes or more, or pick a shorter protocol.")

    steps = protocol.steps
    held: set[int] = set()  # steps fixed at their minimum
    while True:
        free = [i for i in range(len(steps)) if i not in held]
        room = slot_minutes - sum(steps[i].min_minutes for i in held)
        weight = sum(steps[i].suggested_minutes for i in free)
        # Exact fractions: no float error can make two equal remainders compare unequal.
        share = {i: Fraction(room * steps[i].suggested_minutes, weight) for i in free}
        below = {i for i in free if share[i] < steps[i].min_minutes}
        if not below:
            break
        held |= below
        # Ends: each pass holds at least one more step, and since the slot covers every
        # minimum, the free steps' shares cannot all fall below theirs: one stays free.

    minutes = {i: steps[i].min_minutes for i in held}
    minutes.update({i: int(share[i]) for i in free})  # floor; >= min because share >= min
    leftover = slot_minutes - sum(minutes.values())
    by_remainder = sorted(free, key=lambda i: (-(share[i] - int(share[i])), i))
    for i in by_remainder[:leftover]:
        minutes[i] += 1
    return tuple(minutes[i] for i in range(len(steps)))


def step_starts(minutes: tuple[int, ...]) -> tuple[int, ...]:
    """Minutes from the start at which each step begins, e.g. (5, 15, 5) -> (0, 5, 20)."""
    starts, clock = [], 0
    for length in minutes:
        starts.append(clock)
        clock += length
    return tuple(starts)
