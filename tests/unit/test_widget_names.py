"""Every control of the kit's widgets has a name a screen reader reads.

ipywidgets 8 names a box through its description's <label for>; an empty description hides
that label (display:none), which leaves the <select> or <input> unnamed. Buttons are named by
their text or, when they show only an icon, by a tooltip.
"""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from tlkit.course.module import load_module
from tlkit.widgets.course.agenda import AgendaView
from tlkit.widgets.course.guide import ProtocolPanel
from tlkit.widgets.practice.calibration_view import CalibrationView
from tlkit.widgets.practice.feedback_sort import FeedbackSorter
from tlkit.widgets.practice.observation_notes import ObservationNotes
from tlkit.widgets.practice.protocol_runner import ProtocolRunner
from tlkit.widgets.planning.year_planner import YearPlanner
from tlkit.widgets.planning.portfolio_view import PortfolioView
from tlkit.widgets.planning.readiness_view import ReadinessCheck

# ToggleButtons are left out: each of their buttons is named by its own text.
NAMED_BY_DESCRIPTION = (widgets.Dropdown, widgets.Select, widgets.RadioButtons, widgets.Text, widgets.Textarea, widgets.IntText,
                        widgets.FloatText, widgets.Checkbox, widgets.SelectMultiple)


def _controls(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _controls(child)


def _unnamed(view) -> list[str]:
    unnamed = []
    for control in _controls(view):
        if isinstance(control, NAMED_BY_DESCRIPTION) and not control.description.strip():
            unnamed.append(f"{type(control).__name__} {control._dom_classes}")
        if isinstance(control, widgets.Button) and not (control.description.strip()
                                                        or control.tooltip):
            unnamed.append(f"Button {control._dom_classes}")
    return unnamed


VIEWS = {
    "calibration": lambda: CalibrationView(),
    "observation notes": lambda: ObservationNotes(state_key="names-notes"),
    "runner": lambda: ProtocolRunner("tuning"),
    "presenter": lambda: ProtocolRunner("tuning", presenter=True),
    "protocol panel": lambda: ProtocolPanel("tuning"),
    "agenda": lambda: AgendaView(load_module("protocols")),
    "feedback sorter": lambda: FeedbackSorter(seed=1),
    "year planner": lambda: YearPlanner(calendar_file="school-year.csv"),
    "readiness check": lambda: ReadinessCheck(),
    "portfolio": lambda: PortfolioView(modules={}, parts=[]),
}


@pytest.mark.parametrize("name", VIEWS)
def test_every_control_has_a_name(name):
    view = VIEWS[name]()
    try:
        assert _unnamed(view) == []
    finally:
        view.close()


def test_calibration_boxes_say_which_look_for_and_which_observer():
    view = CalibrationView(observers=("Ana",))
    row = view.rows_box.children[0]
    box = row.boxes["text-evidence"]
    short = view.rubric.look_for("text-evidence").short
    assert box.description == f"{short} score for Ana"
    row.name.value = "Ben"  # renaming the row renames its boxes for a screen reader
    assert box.description == f"{short} score for Ben"
    # The label is kept (not hidden) but takes no room: the grid lines up with its headings.
    assert box.style.description_width == "0px"


def test_observation_score_boxes_name_their_look_for():
    notes = ObservationNotes(state_key="names-scores")
    for lf in notes.rubric.look_fors:
        assert lf.name in notes.score_boxes[lf.id].description
