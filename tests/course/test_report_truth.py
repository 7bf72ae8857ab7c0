"""The progress report tells the truth at a glance: a legend that covers no bar, stages told
apart without colour, a dash (explained) for what is not known, reflections waiting kept apart
from "graded", and on the shared page which counts were hidden and why."""

from __future__ import annotations

import pytest
from cohort_course import MODULE, answered, course_folders, hand_in, tlkit_course

from tlkit.ops.report import STAGE_COLOURS, STAGE_HATCHES, STAGES, WAITING, progress_figure


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    with course_folders(tmp_path_factory, "report") as (base, root, build):
        roster = base / "learners.csv"
        roster.write_text("id,first_name,last_name,email\n" + "".join(
            f"l{n:02d},Lee,N{n},\n" for n in range(12)), encoding="utf-8")
        for step in (("init",), ("roster", str(roster)), ("release", "--all")):
            assert tlkit_course(*step)[0] == 0
        for learner in ("l00", "l01", "l02"):
            hand_in(build, learner, answered(build))
        assert tlkit_course("collect")[0] == 0
        assert tlkit_course("autograde", "--jobs", "1")[0] == 0
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{build / 'gradebook.db'}", "tlkit") as gb:
            grade = gb.find_grade("reflection", MODULE, MODULE, "l00")
            grade.manual_score, grade.needs_manual_grade = 1, False  # as the formgrader does
            gb.db.commit()
        assert tlkit_course("report", "--out", str(base / "full"))[0] == 0
        assert tlkit_course("report", "--out", str(base / "shared"), "--share")[0] == 0
        yield {"full": (base / "full" / "cohort-progress.html").read_text("utf-8"),
               "shared": (base / "shared" / "cohort-summary-shared.html").read_text("utf-8")}


def test_reflections_waiting_are_not_counted_as_graded(reports):
    assert (f"alt='Learners per module: demo: 1 graded, 2 {WAITING}, 0 needs follow-up, "
            "9 not submitted") in reports["full"]


def test_no_value_is_a_dash_with_a_note_never_na(reports):
    page = reports["full"]
    assert "&lt;NA&gt;" not in page and "<NA>" not in page and ">nan<" not in page
    assert "<td>\u2014</td>" in page
    assert "\u2014 means there is nothing to show yet" in page


def test_the_shared_page_says_which_counts_were_hidden(reports):
    page = reports["shared"]
    assert "demo: the counts of " in page
    assert f"{WAITING}, not submitted are hidden, each under 10 learners" in page
    assert "so its bar is empty" in page


def test_the_legend_covers_no_bar_and_stages_differ_without_colour():
    import pandas as pd

    counts = pd.DataFrame([[3, 2, 1, 6], [0, 0, 0, 12]], index=["demo", "roles"],
                          columns=STAGES)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig, ax = progress_figure(counts)
    renderer = FigureCanvasAgg(fig).get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    assert legend.x0 >= ax.get_window_extent(renderer).x1
    assert len(set(STAGE_HATCHES)) == len(STAGES)
    grey = STAGE_COLOURS[STAGES.index("not submitted")]
    assert len({grey[1:3], grey[3:5], grey[5:7]}) == 1  # a neutral grey
    hidden = counts.astype(object)
    hidden.loc["demo"] = ["<10", "<10", "<10", "<10"]
    fig, ax = progress_figure(counts, hidden)
    assert any("counts hidden" in t.get_text() for t in ax.texts)
