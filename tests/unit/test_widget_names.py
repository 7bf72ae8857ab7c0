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


# --- no button's words are cut off ----------------------------------------------------------

# What a button's words need, in em of its own 13px type: about 0.6 em a character, 2 em of
# padding and border, 1.5 em more with an icon. A button with no width set is 148px wide.
_DEFAULT_BUTTON_EM = 148 / 13


def _button_room(button) -> float | None:
    """The width a button has, in em; None when it grows with its words (auto, percent)."""
    width = (button.layout.width or "").strip()
    if not width:
        return _DEFAULT_BUTTON_EM
    if width.endswith("em"):
        return float(width[:-2])
    if width.endswith("px"):
        return float(width[:-2]) / 13
    return None


def _all_views():
    from tlkit.widgets import (CourseMapView, EnvironmentCheck, GrowthPlan, LiveSessionHost,
                               LiveSessionJoin, ObservationTrend, ScheduleView,
                               SelfAssessmentForm, SessionAudit, SurveyExplorer)

    yield from (make() for make in VIEWS.values())
    yield YearPlanner("own", calendar_file="school-year.csv")
    yield SessionAudit()
    yield SelfAssessmentForm()
    yield GrowthPlan()
    yield CourseMapView()
    yield ScheduleView()
    yield EnvironmentCheck(run=lambda: [])
    yield LiveSessionJoin()
    yield LiveSessionHost()
    yield SurveyExplorer()
    yield ObservationTrend()


def test_no_button_label_is_cut_off():
    cut = []
    for view in _all_views():
        for control in _controls(view):
            if isinstance(control, widgets.Button) and control.description:
                room = _button_room(control)
                needs = 0.6 * len(control.description) + 2 + (1.5 if control.icon else 0)
                if room is not None and room < needs:
                    cut.append(f"{control.description!r}: {room:.1f} em wide, needs {needs:.1f}")
            # A box's label sits in its description width and is cut at its edge.
            width = str(getattr(getattr(control, "style", None), "description_width", "") or "")
            if (isinstance(control, NAMED_BY_DESCRIPTION) and control.description
                    and width.endswith(("em", "px")) and width not in ("0px", "0em")):
                room = float(width[:-2]) / (13 if width.endswith("px") else 1)
                if room < 0.6 * len(control.description):
                    cut.append(f"label {control.description!r}: {room:.1f} em wide")
        view.close()
    assert cut == []
