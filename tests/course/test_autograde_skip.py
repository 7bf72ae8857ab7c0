"""Only cells that just show a widget are skipped while autograding."""

import pytest

from tlkit.ops.autograde_skip import widget_only


@pytest.mark.parametrize(("source", "skipped"), [
    ('from tlkit.widgets import activity_widget\n\nactivity_widget("p", "S", state_key="k")', True),
    ("from tlkit.widgets import FeedbackSorter\nFeedbackSorter()", True),
    ("from tlkit.widgets import LiveSessionJoin\n\nLiveSessionJoin()", True),
    ('from tlkit.widgets import LiveSessionJoin\n\nLiveSessionJoin(state_key="k")', True),
    ("from tlkit.widgets import FeedbackSorter\nsorter = FeedbackSorter()", False),
    ("from tlkit.widgets import FeedbackSorter\nFeedbackSorter()\nx = 1", False),
    ("from tlkit.widgets import FeedbackSorter", False),
    ("import tlkit.widgets\ntlkit.widgets.FeedbackSorter()", False),
    ("from tlkit.course.checks import check_activity\ncheck_activity('a')", False),
    ("from tlkit.widgets import (", False),
])
def test_widget_only(source, skipped):
    assert widget_only(source) is skipped


def test_the_protocols_module_join_cell_is_skipped():
    import json
    from pathlib import Path

    notebook = Path(__file__).resolve().parents[2] / "modules" / "protocols" / "protocols.ipynb"
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    [join] = [c for c in cells if "LiveSessionJoin(" in "".join(c["source"])
              and c["cell_type"] == "code"]
    assert widget_only("".join(join["source"])) and "nbgrader" not in join["metadata"]
