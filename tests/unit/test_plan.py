"""One plan per protocol and slot (tlkit.practice.plan), and the one follower every view uses
(tlkit.practice.follow)."""

from __future__ import annotations

import asyncio

import pytest

from tlkit.course.module import ModuleError, agenda, load_module, section_plan
from tlkit.live.address import host_page_for, page_section
from tlkit.practice.follow import ClockSeen, Follower, clock_to_follow
from tlkit.practice.plan import PlanError, plan_for, saved_plan
from tlkit.practice.protocols import load_protocol
from tlkit.practice.rescale import RescaleError
from tlkit.printables.handouts import protocol_handout

TUNING_SECTION = "Running a tuning protocol"


def test_no_slot_is_the_suggested_plan():
    tuning = load_protocol("tuning")
    plan = plan_for(tuning)
    assert plan.slot_minutes is None
    assert plan.minutes == (5, 15, 5, 3, 12, 10, 10) and plan.total == 60
    assert plan.starts == (0, 5, 20, 25, 28, 40, 50)
    assert plan_for("tuning") == plan     # by id, the same plan


def test_a_slot_fits_the_steps_and_the_suggested_total_is_the_suggested_plan():
    tuning = load_protocol("tuning")
    fitted = plan_for(tuning, 45)
    assert fitted.slot_minutes == 45 and fitted.minutes == (4, 11, 4, 2, 9, 8, 7)
    assert plan_for(tuning, 60) == plan_for(tuning)  # described once, not as a "60-minute slot"
    with pytest.raises(RescaleError, match="Choose a slot of"):
        plan_for(tuning, tuning.min_minutes - 1)


def test_saved_minutes_give_back_their_plan_or_are_refused_in_plain_words():
    tuning = load_protocol("tuning")
    for plan in (plan_for(tuning), plan_for(tuning, 45), plan_for(tuning, 52)):
        assert saved_plan(tuning, list(plan.minutes)) == plan
    odd = list(plan_for(tuning).minutes)
    odd[0], odd[1] = odd[1], odd[0]
    with pytest.raises(PlanError, match="type the minutes available again"):
        saved_plan(tuning, odd)
    with pytest.raises(PlanError):
        saved_plan(tuning, [1] * len(tuning.steps))   # shorter than the protocol can go


def test_the_protocols_module_tuning_section_plans_its_live_minutes(root):
    module = load_module("protocols", root=root)
    plan = section_plan(module, TUNING_SECTION)
    section = next(s for s in module.sections if s.title == TUNING_SECTION)
    assert plan.protocol.id == "tuning"
    assert plan.total == section.live_minutes == 45
    assert [i.minutes for i in agenda(module) if i.title == TUNING_SECTION] == [plan.total]
    assert plan == plan_for("tuning", 45)


def test_a_section_that_runs_no_protocol_has_no_plan(root):
    module = load_module("protocols", root=root)
    other = next(s for s in module.sections if s.activity and not s.activity.protocol)
    with pytest.raises(ModuleError, match="runs no protocol"):
        section_plan(module, other.title)


def test_the_handout_prints_exactly_the_plan_it_is_given():
    plan = plan_for("tuning", 45)
    page = protocol_handout(plan)
    assert protocol_handout(plan) == protocol_handout("tuning", slot_minutes=45)
    assert "Timed for a 45-minute slot (suggested: 60 minutes)" in page
    assert ">45</td>" in page


def test_the_live_page_link_carries_the_section_and_the_page_reads_it_back():
    link = host_page_for("protocols", TUNING_SECTION)
    assert link.startswith("live-session.ipynb?module=protocols&section=Running%20a%20tuning")
    environ = {"VOILA_REQUEST_URL": f"http://127.0.0.1:8866/voila/render/{link}"}
    assert page_section(environ) == ("protocols", TUNING_SECTION)
    assert page_section({"VOILA_REQUEST_URL": "http://h/voila/render/live-session.ipynb"}) is None
    assert page_section({**environ, "VOILA_PREHEAT": "True"}) is None  # not the request's
    assert page_section({}) is None


def test_the_protocols_guide_links_to_the_live_page_for_its_tuning_section(root):
    import json
    import re

    guide = json.loads((root / "facilitator" / "protocols.ipynb").read_text("utf-8"))
    text = "".join("".join(cell["source"]) for cell in guide["cells"])
    links = re.findall(r'class="tlkit-live-link" href="([^"]+)"', text)
    assert links == [host_page_for("protocols", TUNING_SECTION)]


def test_the_clock_to_follow_is_a_running_one_then_the_one_changed_last():
    guide = ClockSeen("runner", "tuning", running=False, changed_at=200.0)
    live = ClockSeen("live", "ABC234", running=True, changed_at=100.0)
    assert clock_to_follow([guide, live]) == live            # the group is working to it
    paused = ClockSeen("live", "ABC234", running=False, changed_at=100.0)
    assert clock_to_follow([guide, paused]) == guide         # neither runs: the latest press
    assert clock_to_follow([]) is None


def test_a_follower_keeps_looking_after_a_failed_look():
    assert Follower(lambda: None).running is False   # no event loop: nothing scheduled
    looks = []

    def look():
        looks.append(len(looks))
        if len(looks) == 1:
            raise OSError("the database did not answer")

    async def main():
        follower = Follower(look, seconds=0.01)
        await asyncio.sleep(0.1)
        assert follower.running
        follower.stop()
        assert not follower.running

    asyncio.run(main())
    assert len(looks) >= 2   # the failed first look did not stop the loop
