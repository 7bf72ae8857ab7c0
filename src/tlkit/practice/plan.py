"""A protocol's plan: the minutes each step gets, made in one place for every view.

A plan is a protocol plus the slot it is run in (None: the protocol's suggested minutes),
fitted by plan_for. The runner, the guide, the handout, the live session and the presenter
all take a Plan rather than working minutes out themselves, so they cannot disagree. A
module section's plan (tlkit.course.module.section_plan) is its protocol fitted to its live
minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from tlkit.practice.protocols import Protocol, load_protocol
from tlkit.practice.rescale import rescale, step_starts


@dataclass(frozen=True)
class Plan:
    """minutes: whole minutes per step, in step order. slot_minutes: the slot they were fitted
    to, or None when they are the protocol's suggested minutes."""

    protocol: Protocol
    slot_minutes: int | None
    minutes: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.minutes)

    @property
    def starts(self) -> tuple[int, ...]:
        """Minutes from the start at which each step begins."""
        return step_starts(self.minutes)


def plan_for(protocol: Protocol | str, slot_minutes: int | None = None) -> Plan:
    """The one way to plan a protocol: its suggested minutes, or fitted to slot_minutes.

    A slot equal to the suggested total is the suggested plan (the same minutes, described
    the same way everywhere). Raises RescaleError (a ValueError saying the shortest slot that
    works) when the slot is too short for the protocol.
    """
    if isinstance(protocol, str):
        protocol = load_protocol(protocol)
    if slot_minutes is None or slot_minutes == protocol.total_minutes:
        return Plan(protocol, None, tuple(step.suggested_minutes for step in protocol.steps))
    return Plan(protocol, slot_minutes, rescale(protocol, slot_minutes))


class PlanError(ValueError):
    """Saved minutes that no plan gives (saved before the protocol file changed)."""


def saved_plan(protocol: Protocol, minutes: Sequence[int]) -> Plan:
    """The plan whose minutes a saved clock holds: the suggested plan or the one fitted to
    their total. Raises PlanError, in plain words, when neither gives these minutes."""
    minutes = tuple(minutes)
    try:
        plan = plan_for(protocol, sum(minutes))
    except ValueError:
        plan = None
    if plan is None or plan.minutes != minutes:
        raise PlanError(
            f"the clock kept a plan saved earlier ({', '.join(map(str, minutes))} minutes per "
            f"step) that no longer fits the {protocol.name} protocol file; type the minutes "
            f"available again so it is fitted afresh.")
    return plan

