"""The whole cycle for a cohort of 15 synthetic learners, through the commands a facilitator
types (`tlkit course ...`): one learner of each broken kind, grading with 2 workers, earlier
grades kept, and the progress report."""

from __future__ import annotations

import datetime as dt

import nbformat
import pandas as pd
import pytest
from cohort_course import MODULE, answered, cell_index, course_folders, hand_in, tlkit_course


UTC = dt.timezone.utc
LATER = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    with course_folders(tmp_path_factory, "cohort") as (base, root, build):
        yield _run(base, root, build)


def _run(base, root, build):
    learners = ["ok-a", "ok-b", "late", "wrong", "ok-e", "not-json", "empty", "not-utf8",
                "old-format", "deleted", "duplicated", "edited", "loops", "import-error",
                "huge-output"]
    roster = base / "learners.csv"
    roster.write_bytes(("\ufeffid,first_name,last_name,email\r\n" + "".join(
        f"{s},Léa {n},Núñez,\r\n" for n, s in enumerate(learners))).encode("utf-8"))
    logs = {}
    assert tlkit_course("init")[0] == 0
    logs["init-again"] = tlkit_course("init")
    logs["roster"] = tlkit_course("roster", str(roster))
    logs["release"] = tlkit_course("release", "--all", "--due", "2026-03-01 12:00")

    # Round one: two learners hand in good work; a facilitator grades one reflection by hand.
    hand_in(build, "ok-a", answered(build))
    hand_in(build, "not-json", answered(build))
    tlkit_course("collect")
    logs["round-one"] = tlkit_course("autograde", "--jobs", "1")
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{build / 'gradebook.db'}", "tlkit") as gb:
        gb.find_grade("reflection", MODULE, MODULE, "ok-a").manual_score = 1
        gb.db.commit()

    # Round two: everyone (not-json's newer hand-in is broken).
    good = lambda: answered(build)  # noqa: E731
    hand_in(build, "ok-b", good())
    hand_in(build, "late", good(), when=LATER)
    hand_in(build, "wrong", answered(build, minutes="slot - 20"))
    hand_in(build, "ok-e", good())
    hand_in(build, "not-json", '{"cells": [', when=LATER)
    hand_in(build, "empty", "")
    hand_in(build, "not-utf8", b"\xff\xfe{\x00\"\x00c\x00")
    hand_in(build, "old-format", nbformat.writes(nbformat.convert(good(), 3), version=3))
    nb = good()
    del nb.cells[cell_index(nb, "check-minutes")]
    hand_in(build, "deleted", nb)
    nb = good()
    check = cell_index(nb, "check-minutes")
    nb.cells.insert(check + 1, nbformat.from_dict(dict(nb.cells[check])))
    hand_in(build, "duplicated", nb)
    nb = good()
    nb.cells[cell_index(nb, "check-minutes")].source = "assert True"
    hand_in(build, "edited", nb)
    nb = good()
    nb.cells[cell_index(nb, "answer-minutes")].source = "while True:\n    pass\nminutes_left = slot - 30"
    hand_in(build, "loops", nb)
    nb = good()
    nb.cells[1].source = "import no_such_module_for_tlkit\nslot = 45"
    hand_in(build, "import-error", nb)
    nb = good()
    nb.cells.insert(2, nbformat.v4.new_code_cell(
        'print("x" * 50_000_000)', outputs=[nbformat.v4.new_output(
            "stream", name="stdout", text="x" * 50_000_000)]))
    hand_in(build, "huge-output", nb)

    logs["collect"] = tlkit_course("collect")
    logs["autograde"] = tlkit_course("autograde", "--jobs", "2", "--cell-timeout", "3")
    logs["feedback"] = tlkit_course("feedback")
    logs["report"] = tlkit_course("report", "--out", str(base / "report"))
    logs["shared"] = tlkit_course("report", "--out", str(base / "shared"), "--share")
    report = pd.read_csv(base / "report" / "cohort-progress.csv", keep_default_na=False)
    return {"base": base, "build": build, "logs": logs, "learners": learners,
            "report": report.set_index("learner")}


def test_every_step_succeeds_and_says_so_plainly(cycle):
    logs = cycle["logs"]
    assert all(code == 0 for code, _ in logs.values()), logs
    assert "Nothing needed creating." in logs["init-again"][1]
    assert "Added 15 learner(s)" in logs["roster"][1]
    assert "Released 'demo', due 2026-03-01 12:00." in logs["release"][1]
    out = logs["autograde"][1]
    # Counted over the 12 notebooks that run; the 3 set aside are said once, not counted in.
    assert "Grading 12 submission(s) of 'demo' (3 more set aside, see below)" in out
    assert "learner 12 of 12" in out and "learner 13" not in out
    assert "elapsed" in out and "left" in out
    assert "Module 'demo': 12 of 15 learners graded" in out
    assert "3 set aside" in out
    assert "Traceback" not in "".join(text for _, text in logs.values())


EXPECTED_SCORE = {  # of 2 autograded points (the reflection awaits a facilitator)
    "ok-b": 2, "late": 2, "wrong": 0, "ok-e": 2, "old-format": 2, "deleted": 0,
    "duplicated": 2, "edited": 2, "loops": 0, "import-error": 0, "huge-output": 2,
}
FINDING = {
    "not-json": "damaged", "empty": "is empty", "not-utf8": "not saved as UTF-8",
    "old-format": "old notebook format", "deleted": "Restore the cell from the released copy",
    "duplicated": "second copy of 'check-minutes'", "edited": "Restore the check cell",
    "loops": "time limit", "import-error": "ModuleNotFoundError", "huge-output": "output was cleared",
}


def test_each_broken_kind_is_named_with_what_to_do(cycle):
    report = cycle["report"]
    for learner, words in FINDING.items():
        assert words in report.loc[learner, "problems"], (learner, report.loc[learner, "problems"])
    for learner in ("ok-a", "ok-b", "late", "wrong", "ok-e"):
        assert report.loc[learner, "problems"] == ""


def test_scores_are_right_and_a_failed_grading_is_never_a_zero(cycle):
    report = cycle["report"]
    for learner, score in EXPECTED_SCORE.items():
        assert float(report.loc[learner, "score"]) == score, learner
        assert report.loc[learner, "status"] == "graded"
    for learner in ("empty", "not-utf8"):
        assert report.loc[learner, "score"] == ""  # blank, not 0
        assert report.loc[learner, "status"] == "set aside"
    # Graded in round one; the broken hand-in of round two changed nothing in the gradebook.
    assert float(report.loc["not-json", "score"]) == 2
    assert report.loc["not-json", "status"].startswith("set aside (score is from an earlier")
    # The facilitator's hand grade of round one is kept through round two.
    assert float(report.loc["ok-a", "score"]) == 3
    assert report.loc["ok-a", "reflections_awaiting"] == "0"
    assert report.loc["ok-b", "reflections_awaiting"] == "1"
    assert report.loc["late", "late"] == "True" and report.loc["ok-b", "late"] == "False"


def test_parallel_grading_loses_and_duplicates_no_grade(cycle):
    from nbgrader.api import Gradebook, Grade, SubmittedAssignment

    with Gradebook(f"sqlite:///{cycle['build'] / 'gradebook.db'}", "tlkit") as gb:
        submissions = gb.db.query(SubmittedAssignment).all()
        assert sorted(s.student.id for s in submissions) == sorted(
            [*EXPECTED_SCORE, "ok-a", "not-json"])
        # Two graded cells per submission, no more and no fewer.
        assert gb.db.query(Grade).count() == 2 * len(submissions)
        for learner, score in EXPECTED_SCORE.items():
            assert gb.find_submission(MODULE, learner).code_score == score, learner


def test_learners_files_stay_as_handed_in_and_feedback_is_made(cycle):
    build = cycle["build"]
    dup = nbformat.read(build / "submitted" / "duplicated" / MODULE / f"{MODULE}.ipynb", 4)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in dup.cells]
    assert ids.count("check-minutes") == 2
    assert (build / "submitted" / "empty" / MODULE / f"{MODULE}.ipynb").read_bytes() == b""
    for learner in EXPECTED_SCORE:
        assert (build / "feedback" / learner / MODULE / f"{MODULE}.html").is_file(), learner
    assert not (build / "feedback" / "empty").exists()
    # The widget cell was skipped while grading (it would fail outside the course).
    graded = nbformat.read(build / "autograded" / "ok-b" / MODULE / f"{MODULE}.ipynb", 4)
    assert graded.cells[2].outputs == []


def test_the_report_pages(cycle):
    base = cycle["base"]
    html = (base / "report" / "cohort-progress.html").read_text(encoding="utf-8")
    assert "<img" in html and ("alt='Learners per module: demo: 1 graded, "
                                "4 waiting for a reflection grade") in html
    assert "ok-b" in html and "Léa" in html
    shared = (base / "shared" / "cohort-summary-shared.html").read_text(encoding="utf-8")
    assert "<img" in shared and "&lt;10" in shared
    assert not any(learner in shared for learner in cycle["learners"])
    assert "Núñez" not in shared
