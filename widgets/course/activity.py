"""The widget a module section runs, built from that section's heading metadata.

A notebook cell names only the module and the section:

    activity_widget("protocols", "Running a tuning protocol", state_key="module-protocols-runner")

and gets the protocol runner timed to the section's live minutes, or the note-taker / the
calibration view for the section's rubric and episode (tlkit.course.module.section_activity).
So the minutes and ids are typed once, in the heading, and the agenda, the guide and the
handout read the same numbers. When the section cannot be read the cell shows the reason in
plain words instead of a traceback.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from tlkit.course.module import Activity, Module, section_activity


def activity_widget(module: Module | str, section: str, **kwargs) -> widgets.Widget:
    """The runner, note-taker or calibration view for `section` of `module`.

    Extra keyword arguments (state_key, now, ...) go to the widget itself.
    """
    try:
        activity = section_activity(module, section)
        return _build(activity, kwargs)
    except (ValueError, OSError) as err:
        # ModuleError, ProtocolError and the like are ValueErrors with a plain message.
        return problem_widget(f"The activity for {section!r} cannot be shown: {err}")


def _build(activity: Activity, kwargs: dict) -> widgets.Widget:
    if activity.protocol:
        from tlkit.widgets.practice.protocol_runner import ProtocolRunner

        return ProtocolRunner(activity.protocol, slot_minutes=activity.slot_minutes, **kwargs)
    if activity.episode:
        from tlkit.widgets.practice.calibration_view import CalibrationView

        return CalibrationView(rubric=activity.rubric, episode=activity.episode, **kwargs)
    from tlkit.widgets.practice.observation_notes import ObservationNotes

    return ObservationNotes(rubric=activity.rubric, **kwargs)


def problem_widget(message: str) -> widgets.HTML:
    # pre-line keeps the line breaks of a message that lists several problems.
    view = widgets.HTML(f"<p style='color:#b71c1c;font-size:1.1em;white-space:pre-line'>"
                        f"{html.escape(message)}</p>")
    view.add_class("tlkit-activity-problem")
    return view
