"""Only cells that just show a widget are skipped while autograding."""

import pytest

from tlkit.ops.autograde_skip import widget_only


@pytest.mark.parametrize(("source", "skipped"), [
    ('from tlkit.widgets import activity_widget\n\nactivity_widget("p", "S", state_key="k")', True),
    ("from tlkit.widgets import FeedbackSorter\nFeedbackSorter()", True),
    ("from tlkit.widgets import FeedbackSorter\nsorter = FeedbackSorter()", False),
    ("from tlkit.widgets import FeedbackSorter\nFeedbackSorter()\nx = 1", False),
    ("from tlkit.widgets import FeedbackSorter", False),
    ("import tlkit.widgets\ntlkit.widgets.FeedbackSorter()", False),
    ("from tlkit.course.checks import check_activity\ncheck_activity('a')", False),
    ("from tlkit.widgets import (", False),
])
def test_widget_only(source, skipped):
    assert widget_only(source) is skipped
