"""The facilitator guide's views: agenda re-timing, notes by section, the protocol panel."""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

from tlkit.course.module import Module, Section
from tlkit.content import ContentError
from tlkit.practice.protocols import list_protocols, load_protocol
from tlkit.widgets.course import guide as facilitator_guide
from tlkit.widgets.course.agenda import AgendaView, facilitator_notes_html, objectives_html
from tlkit.widgets.course.guide import ProtocolPanel


def _module() -> Module:
    return Module(
        name="demo", title="Demo & friends", session_minutes=50,
        objectives=["Tell <clarifying> from probing questions"],
        sections=[Section("Warm-up", 5, 20, ["Pair people who **rarely** work together."]),
                  Section("Reading", 15, 0, ["Check the reading was done."]),
                  Section("Protocol", 0, 30, [])],
        path=Path("modules/demo/demo.ipynb"))


def _rows(view: AgendaView) -> list[tuple[str, str, str]]:
    return re.findall(r"<tr><td[^>]*>(\d\d:\d\d)&ndash;(\d\d:\d\d)</td><td>([^<]*)</td>",
                      view.table.value)


def test_agenda_retimes_from_the_start_box_and_skips_self_study():
    view = AgendaView(_module(), start="09:00")
    assert _rows(view) == [("09:00", "09:20", "Warm-up"), ("09:20", "09:50", "Protocol")]
    view.start_box.value = "13:45"
    assert _rows(view) == [("13:45", "14:05", "Warm-up"), ("14:05", "14:35", "Protocol")]
    assert "<th style='text-align:right'>50</th>" in view.table.value  # the total


def test_a_bad_start_time_keeps_the_last_agenda_and_says_what_to_type():
    view = AgendaView(_module(), start="08:30")
    before = view.table.value
    view.start_box.value = "half past eight"
    assert view.table.value == before
    assert "half past eight" in view.message.value and "09:00" in view.message.value
    view.start_box.value = "10:00"
    assert view.message.value == "" and _rows(view)[0][0] == "10:00"


def test_notes_are_grouped_by_section_rendered_and_text_is_escaped():
    notes = facilitator_notes_html(_module())
    assert notes.index("Warm-up") < notes.index("rarely") < notes.index("Reading")
    assert "<strong>rarely</strong>" in notes
    assert "self-study only" in notes and "Protocol" not in notes  # no notes, no heading
    objectives = objectives_html(_module())
    assert "&lt;clarifying&gt;" in objectives and "Demo &amp; friends" in objectives


def test_html_in_a_facilitator_note_is_shown_as_text_never_run():
    module = _module()
    hostile = ["Look <img src=x onerror=alert(1)> here.", "<script>alert(2)</script>",
               "A [link](javascript:alert(3)) and **bold** text."]
    notes = facilitator_notes_html(
        Module(**{**module.__dict__, "sections": [Section("Warm-up", 5, 20, hostile)]}))
    assert "<img" not in notes and "<script" not in notes
    assert 'href="javascript:' not in notes
    assert "&lt;img src=x onerror=alert(1)&gt;" in notes      # the words stay readable
    assert "<strong>bold</strong>" in notes                      # Markdown still renders


def test_a_module_without_notes_says_where_notes_come_from():
    module = _module()
    bare = Module(**{**module.__dict__, "sections": [Section("Only", 0, 50, [])]})
    assert "facilitator" in facilitator_notes_html(bare)


def _handout(panel: ProtocolPanel) -> str:
    href = re.search(r"href='data:text/html;charset=utf-8;base64,([^']+)'", panel.handout.value)
    return base64.b64decode(href.group(1)).decode("utf-8")


def test_choosing_a_protocol_swaps_the_runner_moves_and_handout():
    first, second = list_protocols()[:2]
    panel = ProtocolPanel(first)
    old_runner = panel.runner
    panel.chooser.value = second
    chosen = load_protocol(second)
    assert panel.runner is not old_runner and panel.runner.protocol.id == second
    assert panel.runner_box.children == (panel.runner,)
    assert chosen.name in _handout(panel)
    assert f"download='{second}-handout.html'" in panel.handout.value
    step = next(s for s in chosen.steps if s.facilitator_moves)
    assert step.name.replace("'", "&#x27;") in panel.moves.value


def _handout_minutes(panel: ProtocolPanel) -> list[int]:
    return [int(m) for m in re.findall(r'class="num tlkit-handout-minutes">(\d+)<',
                                       _handout(panel))]


def _runner_minutes(panel: ProtocolPanel) -> list[int]:
    return list(panel.runner.clock.state.step_minutes)


def test_the_handout_prints_the_runner_s_plan_as_the_minutes_change():
    protocol = load_protocol("tuning")
    panel = ProtocolPanel("tuning")
    assert _handout_minutes(panel) == _runner_minutes(panel) == [
        s.suggested_minutes for s in protocol.steps]
    assert f"({protocol.total_minutes} min)</a>" in panel.handout.value
    fits = (protocol.min_minutes + protocol.total_minutes) // 2
    panel.runner.slot_box.value = fits
    assert sum(_runner_minutes(panel)) == fits
    assert _handout_minutes(panel) == _runner_minutes(panel)
    assert f"({fits} min)</a>" in panel.handout.value
    assert "tlkit-plan-note" not in panel.handout.value


def test_a_slot_too_short_keeps_the_last_workable_plan_in_both_and_says_so_once():
    protocol = load_protocol("tuning")
    panel = ProtocolPanel("tuning", slot_minutes=45)
    workable = _runner_minutes(panel)
    assert sum(workable) == 45
    panel.runner.slot_box.value = protocol.min_minutes - 5
    # Before the fix the runner stayed at 45 while the handout jumped to the suggested 60.
    assert _runner_minutes(panel) == workable == _handout_minutes(panel)
    assert "(45 min)</a>" in panel.handout.value
    sentence = (f"{protocol.name} needs at least {protocol.min_minutes} minutes, so "
                f"{protocol.min_minutes - 5} cannot work: the runner and the handout keep the "
                f"45-minute plan.")
    assert html.escape(sentence) in panel.handout.value
    assert html.escape(sentence) in panel.runner.slot_message.value
    assert panel.runner.slot_message.value.count(". ") == 0  # one sentence, not the long reason
    # Back to a workable slot: both follow again and the sentence goes.
    panel.runner.slot_box.value = 50
    assert sum(_runner_minutes(panel)) == 50 and _handout_minutes(panel) == _runner_minutes(panel)
    assert "tlkit-plan-note" not in panel.handout.value


def test_a_section_slot_the_protocol_cannot_fit_opens_both_at_the_suggested_plan():
    protocol = load_protocol("tuning")
    panel = ProtocolPanel("tuning", slot_minutes=protocol.min_minutes - 1)
    assert _runner_minutes(panel) == _handout_minutes(panel) == [
        s.suggested_minutes for s in protocol.steps]
    assert f"keep the {protocol.total_minutes}-minute plan" in panel.handout.value


def test_a_restored_runner_plan_is_what_the_handout_prints():
    first = ProtocolPanel("tuning", slot_minutes=50)
    saved = _runner_minutes(first)
    first.runner._press("start")  # saves the clock, as a button press does
    reopened = ProtocolPanel("tuning", slot_minutes=45)  # the guide reloads; the group's plan wins
    assert _runner_minutes(reopened) == saved == _handout_minutes(reopened)
    assert "picked up the 50-minute plan" in reopened.handout.value
    assert "(4 min)" in reopened.moves.value  # the moves show the same plan's minutes


def test_a_clock_saved_to_a_plan_no_longer_possible_starts_fresh_in_both():
    from tlkit.practice.clock import RunnerState
    from tlkit.store import RunnerRecord, default_store

    protocol = load_protocol("tuning")
    odd = [s.suggested_minutes for s in protocol.steps]
    odd[0], odd[1] = odd[1], odd[0]     # what an older protocol file might have planned
    default_store().put("runner-tuning", RunnerRecord(RunnerState("tuning", odd, 2)))
    panel = ProtocolPanel("tuning", slot_minutes=45)
    assert sum(_runner_minutes(panel)) == 45 == sum(_handout_minutes(panel))
    assert panel.runner.clock.state.step_index == 0
    assert "no longer fits" in panel.runner.note.value


def test_for_section_reports_a_section_without_a_protocol():
    module = _module()
    panel = ProtocolPanel.for_section(module, "Warm-up")
    assert "names no activity" in panel.handout.value
    assert panel.runner is None


def test_a_broken_protocol_file_is_reported_and_the_rest_stay_usable(monkeypatch):
    real = list_protocols()
    monkeypatch.setattr(facilitator_guide, "list_protocols", lambda: ["no-such-protocol", *real])
    panel = ProtocolPanel("tuning")
    assert "no-such-protocol" in panel.problems.value
    assert [value for _, value in panel.chooser.options] == real


def test_when_no_protocol_loads_moves_and_handout_still_say_why(monkeypatch):
    def broken(protocol_id):
        raise ContentError(f"Protocol file {protocol_id}.yaml has a layout (YAML) error.")

    monkeypatch.setattr(facilitator_guide, "load_protocol", broken)
    panel = ProtocolPanel("tuning")  # no exception: the guide's later cells still run
    for shown in (panel.moves.value, panel.handout.value, panel.problems.value):
        assert "tuning.yaml has a layout (YAML) error" in shown
    assert "nothing to run" in panel.moves.value
    assert "Traceback" not in panel.moves.value
    assert panel.protocol is None and panel.runner is None


def test_a_protocol_that_cannot_be_run_is_explained_in_place(monkeypatch):
    import tlkit.widgets.practice.protocol_runner as runner_module

    def refuse(protocol, *args, **kwargs):
        raise ValueError(f"Protocol '{protocol.id}' has no steps to run; add steps to its file.")

    monkeypatch.setattr(runner_module, "ProtocolRunner", refuse)
    panel = ProtocolPanel("tuning")
    assert "has no steps to run" in panel.moves.value
    assert "has no steps to run" in panel.handout.value
    assert "has no steps to run" in panel.runner_box.children[0].value
