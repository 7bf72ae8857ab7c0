"""The kit's interactive components (ipywidgets), each a thin view over plain logic in tlkit.

Notebooks import them from here in one line, e.g. `from tlkit.widgets import ProtocolRunner`.
Rooms: `common` (messages and HTML shared by every widget), `course` (agenda, facilitator
guide panels), `practice` (protocol runner, feedback sorter, observation notes, calibration).
"""

import importlib

# Imported on first use, so a notebook pays only for the widgets it shows.
_LAZY = {
    "AgendaView": "course.agenda",
    "activity_widget": "course.activity",
    "ProtocolPanel": "course.guide",
    "ProtocolRunner": "practice.protocol_runner",
    "ProtocolPresenter": "practice.presenter",
    "FeedbackSorter": "practice.feedback_sort",
    "ObservationNotes": "practice.observation_notes",
    "CalibrationView": "practice.calibration_view",
    "ReadinessCheck": "planning.readiness_view",
    "PortfolioView": "planning.portfolio_view",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
