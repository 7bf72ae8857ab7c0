"""What a module's graded form cell calls: the form while a teacher studies, no widget while
nbgrader validates or grades.

nbgrader runs graded cells with no browser on the other end, and a widget there only costs
time (and waits on messages no one answers). So while nbgrader runs (NBGRADER_EXECUTION is
set) this builds nothing: it fails the cell with one sentence when the form's answers are
missing (what the learner's Validate button shows) and otherwise says nothing. The score
itself is computed outside the learner's kernel (tlkit.ops.form_scores).
"""

from __future__ import annotations

import os
from pathlib import Path


def activity_form(activity_id: str, folder: Path | str | None = None):
    if os.environ.get("NBGRADER_EXECUTION"):
        from tlkit.course.forms import fail_if_unanswered

        fail_if_unanswered(activity_id, folder)
        return None
    from tlkit.widgets.course.activity_form import ActivityForm

    return ActivityForm(activity_id, folder=folder)
