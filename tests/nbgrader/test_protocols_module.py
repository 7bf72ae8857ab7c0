"""The protocols module as learners and facilitators meet it: its checks' messages, its widget
cells, and the facts in its text held against the kit's content files and sources."""

from __future__ import annotations

import ast
import re
import shutil

import pytest
import yaml
from nbgrader_run import ROOT, cells_by_grade_id, read_nb, source_notebook
from support.notebooks import run_notebook

from tlkit.live import LiveStore
from tlkit.settings import CONTENT
from tlkit.practice.protocols import load_protocol
from tlkit.course.module import section_plan

MODULE = source_notebook("protocols")
GUIDE = ROOT / "facilitator" / "protocols.ipynb"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _cell(path, starts: str, tag: str | None = None) -> str:
    """The one markdown cell (optionally with `tag`) whose text starts with, or for a tagged
    note contains, `starts`."""
    cells = [c.source for c in read_nb(path).cells if c.cell_type == "markdown"
             and (tag in c.metadata.get("tags", []) and starts in c.source if tag
                  else c.source.startswith(starts))]
    assert len(cells) == 1, f"expected one cell for {starts!r} in {path.name}, found {len(cells)}"
    return cells[0]


def _paragraph(text: str, starts: str) -> str:
    [para] = [p for p in text.split("\n\n") if p.startswith(starts)]
    return _flat(para)


def _sentences_with(text: str, word: str) -> list[str]:
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z*])", _flat(text))
    found = [s for s in sentences if word in s]
    assert found, f"no sentence mentions {word!r}"
    return found


# --- the forms, as released to learners -----------------------------------------------------

FORMS = {"clarify_probe_tests": "clarify_probe", "agreement_tests": "agreement"}
LABELS = {"Q1": "clarifying", "Q2": "probing", "Q3": "advice", "Q4": "clarifying",
          "Q5": "probing"}


def test_released_form_cells_are_one_visible_call(graded):
    release = cells_by_grade_id(read_nb(graded("protocols").release))
    for grade_id, activity in FORMS.items():
        lines = release[grade_id].source.strip().splitlines()
        assert lines == ["from tlkit.widgets import activity_form",
                         f"activity_form(\"{activity}\")"], lines


def _run(path):
    """Run All on a fresh kernel in the notebook's folder, as JupyterLab does."""
    return run_notebook(path, allow_errors=True)


def _shown(cell) -> str:
    return "\n".join(str(out.get("text", "")) + str(out.get("data", {}).get("text/plain", ""))
                      + str(out.get("evalue", "")) for out in cell.outputs)


def test_run_all_on_a_fresh_learner_copy_reaches_the_end(graded, tmp_path, monkeypatch):
    # A teacher opens the released copy and chooses Run All before answering anything.
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    nb = _run(graded("protocols").release)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "Run All stopped before the last cell"
    errors = [(c.source[:60], out) for c in code for out in c.outputs
              if out.output_type == "error"]
    assert not errors, errors
    forms = cells_by_grade_id(nb)
    for grade_id in FORMS:            # each shows its form, nothing else
        [shown] = forms[grade_id].outputs
        assert "application/vnd.jupyter.widget-view+json" in shown["data"], shown


def test_validate_names_the_unanswered_items_in_one_sentence_per_form(graded, tmp_path):
    # nbgrader's Validate button (the Validator API) on a learner copy: a form with answers
    # missing fails with a plain sentence, not the kit's internals; a full form passes.
    from nbgrader.validator import Validator

    from tlkit.course.answers import save_activity

    release = graded("protocols").release
    copy = tmp_path / "learner" / release.name
    shutil.copytree(release.parent, copy.parent)
    save_activity("agreement", {"exact_agreement_percent": "50 %"}, copy.parent)
    save_activity("clarify_probe", {q: "probing" for q in LABELS}, copy.parent)
    failed = Validator().validate(str(copy))["failed"]
    by_call = {f["source"].splitlines()[-1]: f["raw_error"] for f in failed}
    assert set(by_call) == {'activity_form("agreement")'}, by_call
    error = by_call['activity_form("agreement")']
    assert error == "Within-one agreement has no answer yet.", error
    assert "Traceback" not in error and "File " not in error and "\x1b" not in error


# --- widget cells ---------------------------------------------------------------------------

def _state_keys(path) -> dict[str, str | None]:
    """Run a notebook's code cells in order and collect the state_key of every widget that its
    cells leave for display (searching inside containers), by class name."""
    namespace: dict = {}
    shown = []
    for cell in read_nb(path).cells:
        if cell.cell_type != "code" or "nbgrader" in cell.metadata:
            continue
        tree = ast.parse(cell.source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, path.name, "exec"), namespace)
        if last is not None:
            shown.append(eval(compile(ast.Expression(last.value), path.name, "eval"), namespace))
    keys: dict[str, str | None] = {}
    while shown:
        widget = shown.pop()
        if hasattr(widget, "state_key"):
            keys[type(widget).__name__] = widget.state_key
        shown.extend(getattr(widget, "children", ()))
    return keys


def test_module_widgets_save_apart_from_the_facilitator_guide():
    # Module and guide often run on the same laptop; a shared key would mix a learner's
    # practice run with the group's live session.
    module, guide = _state_keys(MODULE), _state_keys(GUIDE)
    for widget in ("ProtocolRunner", "CalibrationView", "FeedbackSorter", "LiveSessionJoin"):
        assert module.get(widget), f"the module's {widget} does not save its state"
    assert {"ProtocolRunner", "CalibrationView"} <= guide.keys()
    shared = set(module.values()) & set(guide.values())
    assert not shared, f"module and facilitator guide share saved state {shared}"


def _widgets(path) -> dict:
    """Run a notebook's widget cells as Run All would; the widgets they show, by class name."""
    namespace: dict = {}
    shown = {}
    for cell in read_nb(path).cells:
        if cell.cell_type != "code" or "nbgrader" in cell.metadata:
            continue
        tree = ast.parse(cell.source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, path.name, "exec"), namespace)
        if last is not None:
            widget = eval(compile(ast.Expression(last.value), path.name, "eval"), namespace)
            shown[type(widget).__name__] = widget
    return shown


def test_after_a_restart_run_all_brings_every_module_widget_back_as_saved():
    # What the restart note promises: Run > Run All Cells, and the saved work comes back.
    before = _widgets(MODULE)
    assert set(before) == {"ProtocolRunner", "LiveSessionJoin", "FeedbackSorter",
                           "ObservationNotes", "CalibrationView", "ReflectionBox",
                           "HandInPanel"}
    before["ProtocolRunner"].next_button.click()
    sorter = before["FeedbackSorter"]
    first = sorter.statements[0]
    sorter.toggles[first.id].value = "evaluative"
    notes = before["ObservationNotes"]
    notes.observer.value = "Ana"
    notes.note_box.value = "10:14 two students reading"
    notes.add_button.click()
    before["CalibrationView"].add_button.click()
    observers = [r.name.value for r in before["CalibrationView"].rows_box.children]
    live = LiveStore()                        # the sessions' database in the state folder
    session = live.open_session("tuning", [5, 15, 5])
    join = before["LiveSessionJoin"]
    join.code_box.value = session.code
    assert join.join(), join.join_message.value
    for widget in before.values():
        widget.close()

    after = _widgets(MODULE)                  # a fresh kernel runs the same cells
    assert "Step 2 of" in after["ProtocolRunner"].step_number.value
    assert after["FeedbackSorter"].statements == sorter.statements
    assert after["FeedbackSorter"].toggles[first.id].value == "evaluative"
    assert after["ObservationNotes"].observer.value == "Ana"
    assert [n.text for n in after["ObservationNotes"].notes] == ["10:14 two students reading"]
    assert [r.name.value for r in after["CalibrationView"].rows_box.children] == observers
    # The live-session box is back in the session as the same participant, not a new one.
    again = after["LiveSessionJoin"]
    assert again.participant == join.participant and live.participants(session.code) == 1
    assert "You are back in session" in again.banner.value
    # Once the session has ended, the next restart says so and offers the join form.
    live.end(session.code, session.token)
    for widget in after.values():
        widget.close()
    ended = _widgets(MODULE)["LiveSessionJoin"]
    assert ended.participant is None and ended.join_panel in ended.children
    assert "has ended" in ended.join_message.value


# --- facts in the text ----------------------------------------------------------------------

def test_tuning_table_matches_the_protocol_the_runner_uses():
    tuning = load_protocol("tuning")
    # The runner below the table is fitted to the section's live minutes; so is the table.
    fitted = section_plan("protocols", "Running a tuning protocol")
    section = _cell(MODULE, "## Running a tuning protocol")
    rows = [[c.strip(" *") for c in line.strip("|").split("|")]
            for line in section.splitlines()
            if line.startswith("|") and not set(line) <= set("|- ")]
    header, *steps, total = rows
    assert header[-1] == "Minutes" and total[0] == "Total"
    assert [int(minutes) for *_, minutes in steps] == list(fitted.minutes)
    for (name, *_), step in zip(steps, tuning.steps):
        assert name.startswith(step.name), (name, step.name)
    assert int(total[-1]) == fitted.total == 45
    assert "fits it to 45 minutes" in section
    size = re.search(r"Groups of (\d+) to (\d+)", section)
    assert size and tuple(map(int, size.groups())) == tuning.group_size


def test_showers_and_joyce_advised_dropping_all_spoken_feedback():
    background = yaml.safe_load((CONTENT / "statements" / "feedback.yaml").read_text("utf-8"))
    for text in (_cell(MODULE, "## Describe before you judge"), background["background"]):
        for sentence in _sentences_with(text, "Showers"):
            assert "feedback" in sentence and "evaluative" not in sentence, sentence


def test_north_carolina_figures_are_only_the_verified_ones():
    section = _cell(MODULE, "## Calibrating observers")
    caution = _paragraph(section, "**A caution from North Carolina.**")
    for figure in ("68.7%", "87.6%", ".49", ".67", "Holcomb"):
        assert figure in caution
    # The study as its authors describe it: early-childhood evaluators rating fictitious
    # profiles against an expert panel, not the state's evaluation process as a whole; and
    # within one counts the exact matches too. No other figures than the checked ones.
    for detail in ("45 early-childhood evaluators", "10 fictitious teacher profiles",
                   "expert panel", "exact matches included"):
        assert detail in caution
    assert "a study of the state's teacher evaluation process" not in caution
    rest = caution
    for verified in ("68.7%", "87.6%", ".49", ".67", "2022", "45 early", "10 fictitious"):
        rest = rest.replace(verified, "")
    assert not re.search(r"\d|\bten\b", rest), caution
    text = _flat(section)
    assert "Cohen's kappa** (Cohen, 1960)" in text and "Weighted kappa** (Cohen, 1968)" in text
    sources = _flat(_cell(MODULE, "### Sources"))
    assert "Cohen, J. (1960). A coefficient of agreement for nominal scales." in sources
    assert "Cohen, J. (1968). Weighted kappa: Nominal scale agreement" in sources


def test_walkthrough_authors_are_named_correctly_in_both_sources_lists():
    guide, module = _flat(_cell(GUIDE, "## Sources")), _flat(_cell(MODULE, "### Sources"))
    assert "Donald S. Kachur, Judith A. Stout and Claudia L. Edwards" in guide
    assert "Kachur, D. S., Stout, J. A., & Edwards, C. L. (2010)" in module
    for text in (guide, module):
        assert "Carl" not in text and "Eye On Education" in text


def test_claims_carry_only_what_their_sources_say():
    why = _cell(MODULE, "## Why protocols?")
    awkward = _paragraph(why, "**Expect some awkwardness at first.**")
    for sentence in _sentences_with(awkward, "McDonald"):
        assert not re.search(r"\b(two|three|\d+) uses\b", sentence), sentence
    [figures] = _sentences_with(why, "12,000")
    assert "2016–17" in figures and "Teachers leading the way" in figures
    [westeds] = [s for s in _flat(_cell(MODULE, "### Sources")).split(" - ")
                 if s.startswith("WestEd")]
    assert "Teachers leading the way" in westeds and "2016–17" in westeds


def test_calibration_note_allows_for_learners_who_saw_the_reference():
    note = _flat(_cell(MODULE, "voting-age episode", tag="facilitator"))
    assert "only after the group" not in note
    assert "already" in note and "own notebook" in note
    # In the live session: observers against each other first, the reference after.
    assert note.index("each other") < note.index("press Compare scores")


def test_corrected_citations_and_credits():
    module = "\n".join(c.source for c in read_nb(MODULE).cells)
    content = {p.relative_to(CONTENT).as_posix(): p.read_text("utf-8")
               for p in CONTENT.rglob("*.yaml")}
    # WestEd's CenterView is dated 2017, never "n.d.".
    assert "WestEd, n.d." not in module and "(n.d.)" not in _flat(_cell(MODULE, "### Sources"))
    assert module.count("WestEd, 2017") >= 4
    for name, text in content.items():
        if "CenterView" in text and "WestEd" in text:
            assert "2017" in text, name
    sources = _flat(_cell(MODULE, "### Sources"))
    assert "*American Educational Research Journal, 53*(6), 1698–1731." in sources
    assert "Classroom Walkthroughs to Improve Teaching and Learning" in (
        content["rubrics/student-led-discussion.yaml"])
    atlas = load_protocol("looking-at-data").originators
    assert "Eric Buchovecky" in atlas and "Project Zero" in atlas
    assert "building on the Collaborative Assessment Conference" not in atlas
    final_word = load_protocol("text-based-discussion").originators
    assert "Averette" not in final_word and "School Reform Initiative" in final_word
    kappa = _flat(_cell(MODULE, "## Calibrating observers"))
    assert "| below 0 | poor (worse than chance) |" in kappa


def test_the_class_certification_bar_names_teachstone_and_the_manual():
    section = _flat(_cell(MODULE, "## Calibrating observers"))
    [bar] = _sentences_with(section, "80%")
    assert "Teachstone" in bar and "Pre-K" in bar and "Pianta, La Paro & Hamre, 2008" in bar
    sources = _flat(_cell(MODULE, "### Sources"))
    assert "Teachstone." in sources and "(CLASS) manual, Pre-K." in sources
