"""tlkit.course.module: module records read from the manifest and the notebook, the agenda,
section activities, and the prose checks (tlkit.course.consistency)."""

from __future__ import annotations

import ast

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tlkit.course.consistency import durations, module_problems, time_line
from tlkit.practice.plan import plan_for
from tlkit.course.module import (Activity, AgendaItem, Module, ModuleError, Section, agenda,
                                 list_modules, load_module, section_activity)


def heading(title, self_study, live, text=None, activity=None):
    info = {"section": title, "self_study_minutes": self_study, "live_minutes": live}
    if activity is not None:
        info["activity"] = activity
    if text is None:  # the time line the checks expect (bad minutes get none)
        valid = all(type(m) is int and m >= 0 for m in (self_study, live))
        text = time_line(Section(title, self_study, live)) if valid else ""
    return new_markdown_cell(f"## {title}\n\n{text}", metadata={"tlkit": info})


def write_manifest(root, *entries):
    """entries: (id, title, session_minutes)."""
    lines = ["modules:"] + [f"  - id: {slug}\n    title: {title}\n    session_minutes: {minutes}"
                            for slug, title, minutes in entries]
    (root / "modules").mkdir(parents=True, exist_ok=True)
    (root / "modules" / "course.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def facilitator(text):
    return new_markdown_cell(text, metadata={"tags": ["facilitator"]})


def write_module(root, name, cells, meta=None, session_minutes=30):
    nb = new_notebook(cells=cells)
    if meta is not False:
        nb.metadata["tlkit"] = meta or {"module": name, "objectives": ["Do a thing"]}
    folder = root / "modules" / name
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")
    write_manifest(root, (name, "A small module", session_minutes))
    return folder / f"{name}.ipynb"


def two_sections():
    return [new_markdown_cell("# Intro"),
            heading("First", 5, 10), new_code_cell("x = 1"),
            facilitator("Ask who has used a protocol before."),
            heading("Second", 15, 20),
            facilitator("Watch the clock."), new_markdown_cell("plain text"),
            facilitator("Debrief: what felt awkward?")]


def test_reads_sections_minutes_and_metadata(tmp_path):
    path = write_module(tmp_path, "tiny", two_sections())
    module = load_module("tiny", root=tmp_path)
    assert module.title == "A small module"
    assert module.path == path
    assert [(s.title, s.self_study_minutes, s.live_minutes) for s in module.sections] == [
        ("First", 5, 10), ("Second", 15, 20)]
    assert module.self_study_minutes == 20


def test_facilitator_cells_attach_to_the_section_above(tmp_path):
    write_module(tmp_path, "tiny", two_sections())
    first, second = load_module("tiny", root=tmp_path).sections
    assert first.facilitator_notes == ["Ask who has used a protocol before."]
    assert second.facilitator_notes == ["Watch the clock.", "Debrief: what felt awkward?"]


def test_facilitator_note_before_any_section_is_refused(tmp_path):
    write_module(tmp_path, "tiny", [facilitator("Stray note"), *two_sections()])
    with pytest.raises(ModuleError, match=r"tiny\.ipynb.*, cell 1: .*Move it below a section"):
        load_module("tiny", root=tmp_path)


def test_missing_notebook_metadata_names_notebook_and_fix(tmp_path):
    write_module(tmp_path, "tiny", two_sections(), meta=False)
    with pytest.raises(ModuleError) as err:
        load_module("tiny", root=tmp_path)
    message = str(err.value)
    assert "tiny.ipynb" in message
    assert "Notebook metadata" in message and '"objectives"' in message
    assert "course.yaml" in message  # where the title and length live instead


def test_missing_metadata_key_is_named(tmp_path):
    write_module(tmp_path, "tiny", two_sections(), meta={"module": "tiny"})
    with pytest.raises(ModuleError, match=r"tiny\.ipynb.*no 'objectives'"):
        load_module("tiny", root=tmp_path)


def test_title_and_session_length_come_from_the_manifest(tmp_path):
    write_module(tmp_path, "tiny", two_sections())
    write_manifest(tmp_path, ("tiny", "Named in the manifest", 30))
    module = load_module("tiny", root=tmp_path)
    assert (module.title, module.session_minutes) == ("Named in the manifest", 30)


@pytest.mark.parametrize("key, value, shown", [("title", "Old title", "'Old title'"),
                                               ("session_minutes", 90, "90")])
def test_a_notebook_copy_of_title_or_length_must_agree_with_the_manifest(tmp_path, key, value,
                                                                          shown):
    write_module(tmp_path, "tiny", two_sections(),
                 meta={"module": "tiny", "objectives": ["o"], key: value})
    with pytest.raises(ModuleError) as err:
        load_module("tiny", root=tmp_path)
    message = str(err.value)
    assert f"says {key} {shown}" in message and "course.yaml" in message
    assert f"remove '{key}'" in message
    # The same value as the manifest is accepted (an older notebook keeps working).
    same = {"title": "A small module", "session_minutes": 30}[key]
    write_module(tmp_path, "tiny", two_sections(),
                 meta={"module": "tiny", "objectives": ["o"], key: same})
    assert load_module("tiny", root=tmp_path).title == "A small module"


def test_missing_section_minutes_names_section_and_field(tmp_path):
    cell = new_markdown_cell("## Broken", metadata={"tlkit": {"section": "Broken",
                                                              "live_minutes": 30}})
    write_module(tmp_path, "tiny", [cell])
    with pytest.raises(ModuleError, match=r"cell 1, section 'Broken'.*'self_study_minutes'"):
        load_module("tiny", root=tmp_path)


@pytest.mark.parametrize("bad", [-5, "ten", 7.5, True])
def test_bad_minutes_are_refused(tmp_path, bad):
    write_module(tmp_path, "tiny", [heading("Only", bad, 30)])
    with pytest.raises(ModuleError, match=r"section 'Only': self_study_minutes is"):
        load_module("tiny", root=tmp_path)


def test_live_minutes_not_summing_names_both_numbers(tmp_path):
    write_module(tmp_path, "tiny", [heading("First", 5, 10), heading("Second", 5, 15)])
    with pytest.raises(ModuleError) as err:
        load_module("tiny", root=tmp_path)
    message = str(err.value)
    assert "add up to 25" in message and "session_minutes is 30 in modules/course.yaml" in message
    assert "tiny.ipynb" in message


def test_module_name_must_match_metadata(tmp_path):
    write_module(tmp_path, "tiny", two_sections(), meta={"module": "other", "objectives": ["o"]})
    with pytest.raises(ModuleError, match="'other'.*modules/tiny/tiny.ipynb"):
        load_module("tiny", root=tmp_path)


def test_missing_or_corrupt_notebook(tmp_path):
    write_module(tmp_path, "tiny", two_sections())
    with pytest.raises(ModuleError, match="no module called 'nosuch'; modules/course.yaml lists: tiny"):
        load_module("nosuch", root=tmp_path)
    (tmp_path / "modules" / "tiny" / "tiny.ipynb").write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(ModuleError, match=r"tiny\.ipynb.*not a readable notebook"):
        load_module("tiny", root=tmp_path)
    # Saved by an editor in a Windows encoding: an accent that is not UTF-8.
    notebook = tmp_path / "modules" / "tiny" / "tiny.ipynb"
    notebook.write_bytes(b'{"cells": [], "r\xe9vis\xe9": 1}')
    with pytest.raises(ModuleError, match=r"tiny\.ipynb.*not saved as UTF-8"):
        load_module("tiny", root=tmp_path)


def _module(*live, self_study=0):
    sections = [Section(f"S{i}", self_study, m) for i, m in enumerate(live, start=1)]
    return Module("m", "M", sum(live), ["o"], sections, path=None)


def test_agenda_rolls_minutes_into_hours_and_skips_self_study_sections():
    items = agenda(_module(45, 0, 20, 55), start="9:30")
    assert items == [AgendaItem("09:30", "10:15", "S1", 45),
                     AgendaItem("10:15", "10:35", "S3", 20),
                     AgendaItem("10:35", "11:30", "S4", 55)]


def test_agenda_wraps_past_midnight():
    assert [(i.start, i.end) for i in agenda(_module(30, 40), start="23:15")] == [
        ("23:15", "23:45"), ("23:45", "00:25")]


@pytest.mark.parametrize("bad", ["9", "25:00", "09:60", "nine"])
def test_agenda_refuses_a_bad_start_time(bad):
    with pytest.raises(ValueError, match="not a time like 09:00"):
        agenda(_module(10), start=bad)


def test_the_protocols_module_is_consistent(root):
    module = load_module("protocols", root=root)
    assert module.session_minutes == 120
    assert len(module.sections) >= 6
    assert sum(s.live_minutes for s in module.sections) == module.session_minutes
    assert any(s.facilitator_notes for s in module.sections)
    items = agenda(module, start="15:30")
    assert items[0].start == "15:30" and items[-1].end == "17:30"


def test_the_protocols_notebook_is_ready_for_release(root):
    module = load_module("protocols", root=root)
    nb = nbformat.read(module.path, as_version=4)
    nbformat.validate(nb)
    assert not any(c.get("outputs") or c.get("execution_count")
                   for c in nb.cells if c.cell_type == "code"), "commit the notebook without outputs"
    graded = [c for c in nb.cells if "nbgrader" in c.metadata
              and (c.metadata.nbgrader.get("grade") or c.metadata.nbgrader.get("solution"))]
    tasks = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("task")]
    ids = [c.metadata.nbgrader["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids))
    # nbgrader autograde stalls on widget comms, so a graded cell builds a widget only
    # through activity_form, which builds none while nbgrader runs (tlkit.widgets.course.form_cell).
    for cell in graded:
        calls = {node.func.id for node in ast.walk(ast.parse(cell.source))
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
        assert calls <= {"activity_form", "score_form"}, calls
    forms = {c.metadata.nbgrader["grade_id"] for c in graded if "activity_form(" in c.source}
    assert len(forms) >= 2
    # the reflection: a task a facilitator grades, written in a box
    assert any(c.cell_type == "markdown" and c.metadata.nbgrader.get("points") for c in tasks)


# -- activities named once, in the section heading ------------------------------------------

def test_a_section_names_its_activity_and_the_slot_is_its_live_minutes(tmp_path):
    write_module(tmp_path, "tiny", [
        heading("Warm-up", 5, 0),
        heading("Run it", 10, 50, activity={"protocol": "tuning"}),
        heading("Score it", 5, 0, activity={"rubric": "student-led-discussion",
                                            "episode": "voting-age-discussion"})],
        session_minutes=50)
    assert section_activity("tiny", "Run it", root=tmp_path) == Activity(
        "Run it", 50, protocol="tuning")
    # No live minutes: no slot, so a runner would use the protocol's suggested times.
    score = section_activity(load_module("tiny", root=tmp_path), "Score it")
    assert (score.slot_minutes, score.rubric, score.episode) == (
        None, "student-led-discussion", "voting-age-discussion")


def test_asking_for_a_missing_section_or_activity_says_which_exist(tmp_path):
    write_module(tmp_path, "tiny", two_sections())
    with pytest.raises(ModuleError, match="no section called 'Thrid'.*'First'; 'Second'"):
        section_activity("tiny", "Thrid", root=tmp_path)
    with pytest.raises(ModuleError, match="'First' of module 'tiny' names no activity"):
        section_activity("tiny", "First", root=tmp_path)


@pytest.mark.parametrize("activity, complaint", [
    ("tuning", "must name what the section runs"),
    ({"protocl": "tuning"}, "'protocl', which the kit does not know"),
    ({"protocol": ""}, "'protocol' must be an id"),
    ({"protocol": "tuning", "rubric": "student-led-discussion"}, "not both"),
    ({"episode": "voting-age-discussion"}, "add \"rubric\""),
])
def test_a_malformed_activity_is_refused_with_the_section_named(tmp_path, activity, complaint):
    write_module(tmp_path, "tiny", [heading("Run it", 0, 30, activity=activity)])
    with pytest.raises(ModuleError) as err:
        load_module("tiny", root=tmp_path)
    assert "section 'Run it'" in str(err.value) and complaint in str(err.value)


# -- prose that repeats the minutes is checked against the metadata --------------------------

def test_time_line_wording():
    assert time_line(Section("S", 10, 45)) == "*Self-study about 10 minutes · live session 45 minutes*"
    assert time_line(Section("S", 90, 0)) == "*Self-study about 1 hour 30 minutes · no live session*"
    assert time_line(Section("S", 0, 1)) == "*Live session 1 minute · no self-study*"


def test_durations_read_hours_and_minutes_as_one():
    line = "**Time:** about 1 hour 35 minutes on your own, then a 2-hour live session."
    assert durations(line) == [95, 120]
    assert durations("about 1 h, then 90 minutes and 2 hours and 5 min") == [60, 90, 125]


def test_a_heading_whose_time_line_drifted_is_named(tmp_path):
    write_module(tmp_path, "tiny", [
        heading("First", 5, 10),
        heading("Second", 15, 20, text="*Self-study about 15 minutes · live session 25 minutes*"),
        heading("Third", 5, 0, text="No time line here.")], session_minutes=30)
    problems = module_problems(load_module("tiny", root=tmp_path))
    assert len(problems) == 2
    assert "section 'Second': the heading says *Self-study about 15 minutes · live session 25 " \
           "minutes*" in problems[0]
    assert "live session 20 minutes*" in problems[0]  # the line to write instead
    assert "section 'Third': the heading has no time line" in problems[1]
    assert "*Self-study about 5 minutes · no live session*" in problems[1]


def test_the_intro_time_line_is_checked_against_the_sums(tmp_path):
    intro = new_markdown_cell("# Tiny\n\n**Time:** about 1 h of reading on your own, then a\n"
                              "30-minute live session.")
    write_module(tmp_path, "tiny", [intro, *two_sections()])
    problems = module_problems(load_module("tiny", root=tmp_path))
    assert len(problems) == 1
    assert "the **Time:** line says 1 hour and 30 minutes" in problems[0]
    assert "20 minutes of self-study" in problems[0]
    intro.source = "# Tiny\n\n**Time:** about 20 minutes on your own, then a 30-minute session."
    write_module(tmp_path, "tiny", [intro, *two_sections()])
    assert module_problems(load_module("tiny", root=tmp_path)) == []


def test_a_protocol_section_checks_its_step_table_slot_text_and_length(tmp_path):
    from tlkit.practice.protocols import load_protocol

    tuning = load_protocol("tuning")
    fitted = plan_for(tuning, 45)     # what the section's runner shows
    rows = "".join(f"| {s.name} | {m} |\n" for s, m in zip(tuning.steps, fitted.minutes))
    table = f"| Step | Minutes |\n| --- | --- |\n{rows}| **Total** | **45** |\n"
    line = time_line(Section("Run it", 0, 45))
    good = f"{line}\n\n{table}\nThe runner is fitted to a 45-minute slot."
    write_module(tmp_path, "tiny", [heading("Run it", 0, 45, good, {"protocol": "tuning"})],
                 session_minutes=45)
    assert module_problems(load_module("tiny", root=tmp_path)) == []

    drifted = good.replace(f"| {fitted.minutes[0]} |", "| 99 |", 1)
    drifted = drifted.replace("45-minute slot", "60-minute slot")
    write_module(tmp_path, "tiny", [heading("Run it", 0, 45, drifted, {"protocol": "tuning"})],
                 session_minutes=45)
    problems = module_problems(load_module("tiny", root=tmp_path))
    assert any("says a 60-minute slot but the section has 45 live minutes" in p for p in problems)
    assert any("the step table gives [99," in p and "the runner fits tuning.yaml to the "
               "section's 45 live minutes" in p for p in problems)

    # The protocol's own 60-minute table above a runner fitted to 45 is caught too.
    suggested = "".join(f"| {s.name} | {s.suggested_minutes} |\n" for s in tuning.steps)
    full = good.replace(rows, suggested).replace("**45**", f"**{tuning.total_minutes}**")
    write_module(tmp_path, "tiny", [heading("Run it", 0, 45, full, {"protocol": "tuning"})],
                 session_minutes=45)
    problems = module_problems(load_module("tiny", root=tmp_path))
    assert len(problems) == 1 and f"(total {tuning.total_minutes}) minutes" in problems[0]
    assert f"{list(fitted.minutes)} (total 45)" in problems[0]

    short = tuning.min_minutes - 1
    write_module(tmp_path, "tiny", [heading("Run it", 0, short, None, {"protocol": "tuning"})],
                 session_minutes=short)
    problems = module_problems(load_module("tiny", root=tmp_path))
    assert problems == [f"tiny.ipynb, section 'Run it': {tuning.name} needs at least "
                        f"{tuning.min_minutes} minutes but the section has {short} live minutes. "
                        f"Give the section more live minutes or choose a shorter protocol."]


def test_an_activity_naming_an_unknown_protocol_is_reported(tmp_path):
    write_module(tmp_path, "tiny", [heading("Run it", 0, 30, None, {"protocol": "tunning"})])
    problems = module_problems(load_module("tiny", root=tmp_path))
    assert len(problems) == 1 and "its activity cannot be loaded" in problems[0]
    assert "tunning" in problems[0]


@pytest.mark.parametrize("name", list_modules())
def test_every_module_s_prose_agrees_with_its_metadata(name):
    assert module_problems(load_module(name)) == []


# -- one section's minutes, from the heading to every place that shows them -----------------

def _handout_minutes(panel) -> list[int]:
    import base64
    import re

    data = re.search(r"base64,([^']+)'", panel.handout.value).group(1)
    page = base64.b64decode(data).decode("utf-8")
    return [int(m) for m in re.findall(r'class="num tlkit-handout-minutes">(\d+)<', page)]


@pytest.mark.parametrize("live", [45, 52])
def test_a_section_s_live_minutes_reach_runner_guide_agenda_and_handout(tmp_path, monkeypatch,
                                                                        live):
    from tlkit.widgets.course.activity import activity_widget
    from tlkit.widgets.course.guide import ProtocolPanel
    from tlkit.widgets.practice.protocol_runner import ProtocolRunner

    monkeypatch.setenv("TLKIT_COURSE_ROOT", str(tmp_path))
    write_module(tmp_path, "tiny", [heading("Warm-up", 5, 10),
                                    heading("Run it", 10, live, None, {"protocol": "tuning"})],
                 session_minutes=10 + live)
    module = load_module("tiny")

    runner = activity_widget("tiny", "Run it", state_key="module-runner")
    assert isinstance(runner, ProtocolRunner)
    assert sum(runner.clock.state.step_minutes) == live == runner.slot_box.value

    panel = ProtocolPanel.for_section(module, "Run it")
    assert panel.plan == runner.plan  # the same plan, so the same step timings
    assert panel.plan.minutes == tuple(runner.clock.state.step_minutes)
    assert _handout_minutes(panel) == list(panel.plan.minutes)
    assert f"({live} min)</a>" in panel.handout.value

    assert [item.minutes for item in agenda(module) if item.title == "Run it"] == [live]
    assert f"live session {live} minutes" in time_line(module.sections[1])
    assert module_problems(module) == []


def test_the_protocols_module_runner_guide_and_agenda_agree(root):
    from tlkit.widgets.course.activity import activity_widget
    from tlkit.widgets.course.guide import ProtocolPanel

    module = load_module("protocols", root=root)
    tuning = next(s for s in module.sections if s.activity and s.activity.protocol)
    runner = activity_widget(module, tuning.title)
    panel = ProtocolPanel.for_section(module, tuning.title)
    agenda_minutes = next(i.minutes for i in agenda(module) if i.title == tuning.title)
    assert (sum(runner.clock.state.step_minutes) == panel.plan.total == agenda_minutes
            == tuning.live_minutes == sum(_handout_minutes(panel)))
    assert tuple(runner.clock.state.step_minutes) == panel.plan.minutes


def test_no_notebook_cell_retypes_a_section_s_minutes(root):
    """The widget cells and the facilitator notes name the section, never its minutes."""
    import re

    for name in list_modules(root):
        for path in (root / "modules" / name / f"{name}.ipynb", root / "facilitator" / f"{name}.ipynb"):
            if not path.is_file():
                continue
            for cell in nbformat.read(path, as_version=4).cells:
                assert "slot_minutes=" not in cell.source, (path.name, cell.source[:80])
                assert not re.search(r"--minutes \d", cell.source), (path.name, cell.source[:80])


def test_a_widget_cell_for_a_broken_section_shows_a_sentence(tmp_path, monkeypatch):
    from tlkit.widgets.course.activity import activity_widget

    monkeypatch.setenv("TLKIT_COURSE_ROOT", str(tmp_path))
    write_module(tmp_path, "tiny", two_sections())
    view = activity_widget("tiny", "First")
    assert "names no activity" in view.value and "Traceback" not in view.value


def test_a_widget_cell_reads_the_notebook_copy_it_runs_in(tmp_path, monkeypatch):
    """A learner's kernel runs in their workspace copy, with no course root to read."""
    from tlkit.widgets.course.activity import activity_widget

    write_module(tmp_path / "course", "tiny", [heading("Run it", 0, 50, None, {"protocol": "tuning"})],
                 session_minutes=50)
    copy = write_module(tmp_path / "workspace", "tiny",
                        [heading("Run it", 0, 48, None, {"protocol": "tuning"})],
                        session_minutes=48)
    monkeypatch.setenv("TLKIT_COURSE_ROOT", str(tmp_path / "course"))
    monkeypatch.chdir(copy.parent)
    runner = activity_widget("tiny", "Run it")
    assert sum(runner.clock.state.step_minutes) == 48  # the copy's own heading, not the source
    # A same-named notebook that is not the module (the facilitator guide) is not read.
    guide = tmp_path / "facilitator"
    guide.mkdir()
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Guide")]), guide / "tiny.ipynb")
    monkeypatch.chdir(guide)
    assert section_activity("tiny", "Run it").slot_minutes == 50
