"""A learner whose notebook kills its grading process, or whose grading never ends though each
cell stays under the cell limit, costs that learner only: the others are graded, theirs is
reported as not graded (never as a zero), and a fresh worker goes on."""

from __future__ import annotations

import contextlib
import io

import pandas as pd
import pytest
from cohort_course import answered, hand_in, write_course

from tlkit.cli import main

pytestmark = pytest.mark.course


def _tlkit(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["course", *args])
    return code, out.getvalue()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    base = tmp_path_factory.mktemp("survives")
    root, build = write_course(base / "course"), base / "build"
    mp.setenv("TLKIT_COURSE_ROOT", str(root))
    mp.setenv("TLKIT_BUILD", str(build))
    try:
        roster = base / "learners.csv"
        roster.write_text("id,first_name,last_name,email\nok-1,A,One,\ncrashes,B,Two,\n"
                          "slow,C,Three,\nok-2,D,Four,\n", encoding="utf-8")
        assert _tlkit("init")[0] == 0 and _tlkit("roster", str(roster))[0] == 0
        assert _tlkit("release", "--all")[0] == 0
        hand_in(build, "ok-1", answered(build))
        # The answer cell ends the process that grades it (as a crash or running out of memory
        # would), then the one that sleeps past the learner's limit, each cell under 60 s.
        hand_in(build, "crashes", answered(
            build, minutes="slot - 30\nimport os, signal\nos.kill(os.getppid(), signal.SIGKILL)"))
        hand_in(build, "slow", answered(build, minutes="slot - 30\nimport time\ntime.sleep(50)"))
        hand_in(build, "ok-2", answered(build))
        assert _tlkit("collect")[0] == 0
        log = _tlkit("autograde", "--jobs", "2", "--learner-timeout", "6")
        assert _tlkit("report", "--out", str(base / "report"))[0] == 0
        report = pd.read_csv(base / "report" / "cohort-progress.csv", keep_default_na=False)
        yield {"log": log, "report": report.set_index("learner"), "build": build}
    finally:
        mp.undo()


def test_the_others_are_graded_in_full(graded):
    code, out = graded["log"]
    assert code == 0, out
    assert "Module 'demo': 2 of 4 learners graded" in out
    assert "2 could not be graded (their earlier grades are kept)" in out
    assert "learner 4 of 4" in out and "Traceback" not in out
    for learner in ("ok-1", "ok-2"):
        assert float(graded["report"].loc[learner, "score"]) == 2
        assert graded["report"].loc[learner, "status"] == "graded"


def test_the_stopped_learners_are_named_with_why_and_never_shown_as_zero(graded):
    report = graded["report"]
    assert "the grading process stopped" in report.loc["crashes", "problems"]
    assert "took longer than 6 seconds" in report.loc["slow", "problems"]
    for learner in ("crashes", "slow"):
        assert report.loc[learner, "score"] == ""
        assert report.loc[learner, "status"] == "grading failed"
        assert "hand in again" in report.loc[learner, "problems"] or \
            "grade it by hand" in report.loc[learner, "problems"]
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded['build'] / 'gradebook.db'}", "tlkit") as gb:
        graded_ids = {s.student.id for s in gb.assignment_submissions("demo")}
    assert graded_ids == {"ok-1", "ok-2"}
