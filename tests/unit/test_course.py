"""tlkit.course.module: module records read from notebook metadata, and the live-session agenda."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tlkit.course.module import AgendaItem, Module, ModuleError, Section, agenda, load_module


def heading(title, self_study, live):
    return new_markdown_cell(f"## {title}", metadata={
        "tlkit": {"section": title, "self_study_minutes": self_study, "live_minutes": live}})


def facilitator(text):
    return new_markdown_cell(text, metadata={"tags": ["facilitator"]})


def write_module(root, name, cells, meta=None):
    nb = new_notebook(cells=cells)
    if meta is not False:
        nb.metadata["tlkit"] = meta or {"module": name, "title": "A small module",
                                        "session_minutes": 30, "objectives": ["Do a thing"]}
    folder = root / "modules" / name
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")
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
    assert "Notebook metadata" in message and '"session_minutes"' in message


def test_missing_metadata_key_is_named(tmp_path):
    write_module(tmp_path, "tiny", two_sections(),
                 meta={"module": "tiny", "title": "T", "objectives": ["o"]})
    with pytest.raises(ModuleError, match=r"tiny\.ipynb.*no 'session_minutes'"):
        load_module("tiny", root=tmp_path)


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
    assert "add up to 25" in message and "session_minutes is 30" in message
    assert "tiny.ipynb" in message


def test_module_name_must_match_metadata(tmp_path):
    write_module(tmp_path, "tiny", two_sections(),
                 meta={"module": "other", "title": "T", "session_minutes": 30,
                       "objectives": ["o"]})
    with pytest.raises(ModuleError, match="'other'.*modules/tiny/tiny.ipynb"):
        load_module("tiny", root=tmp_path)


def test_missing_or_corrupt_notebook(tmp_path):
    write_module(tmp_path, "tiny", two_sections())
    with pytest.raises(ModuleError, match="Modules found: tiny"):
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
    ids = [c.metadata.nbgrader["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids))
    # nbgrader autograde stalls on widget comms, so graded cells must never build a widget.
    assert not any("widgets" in c.source for c in graded)
    answer_ids = {c.metadata.nbgrader["grade_id"] for c in graded if c.cell_type == "code"
                  and c.metadata.nbgrader["solution"]}
    assert len(answer_ids) >= 2
    assert any(c.cell_type == "markdown" and c.metadata.nbgrader.get("points") for c in graded)
