"""Grading's messages name the cell and the problem in plain words, say each thing once, and
count the same learners throughout."""

from __future__ import annotations

import shutil

import nbformat
from cohort_course import MODULE, answered, cell_index, course_folders, hand_in, tlkit_course


def _second_module(root):
    """A second module in the course, so that messages per module can be counted."""
    src = root / "modules" / MODULE / f"{MODULE}.ipynb"
    nb = nbformat.read(src, as_version=4)
    nb.metadata["tlkit"]["module"] = "second"
    (root / "modules" / "second").mkdir()
    nbformat.write(nb, root / "modules" / "second" / "second.ipynb")
    with (root / "modules" / "course.yaml").open("a", encoding="utf-8") as f:
        f.write("  - id: second\n    title: Second\n    session_minutes: 10\n")


def test_grading_messages_are_plain_once_and_agree(tmp_path_factory):
    with course_folders(tmp_path_factory, "messages") as (base, root, build):
        _second_module(root)
        roster = base / "learners.csv"
        roster.write_text("id,first_name,last_name,email\nana,Ana,Diaz,\nben,Ben,Ng,\n",
                          encoding="utf-8")
        for step in (("init",), ("roster", str(roster)), ("release", "--all")):
            assert tlkit_course(*step)[0] == 0

        code, out = tlkit_course("autograde")
        assert code == 0, out
        assert out.count("Nothing to grade yet") == 1
        assert "Nothing to grade yet for 'demo', 'second': no hand-ins collected." in out
        assert "Next: tlkit course feedback" not in out

        nb = answered(build)
        nb.cells[cell_index(nb, "answer-minutes")].source = "minutes_left = slot - 30\nif minutes_left\n"
        hand_in(build, "ana", nb)
        hand_in(build, "ben", answered(build))
        hand_in(build, "not-on-roster", answered(build))
        assert tlkit_course("collect", MODULE)[0] == 0
        code, out = tlkit_course("autograde", "--jobs", "1")
        assert code == 0, out
        # One message for the module with nothing to grade; counts agree for the other.
        assert out.count("Nothing to grade yet for 'second'") == 1
        assert "Grading 2 submission(s) of 'demo' (1 more set aside, see below)" in out
        assert "learner 2 of 2" in out and "learner 3" not in out and "of 3 learners" in out
        # The cell by its section, the problem in plain words, and fix the line, not restore.
        assert ("the answer cell under 'Part one' (cell 4) could not run: Python could not "
                "read line 2 (a typo, or a missing bracket, quote or colon?)") in out
        assert "Fix line 2 of that cell (the answers in it stay)" in out
        assert "Restore that cell" not in out and ".py, line" not in out.split("Python said")[0]
