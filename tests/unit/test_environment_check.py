"""The set-up check in Start here: each check finds a broken set-up and says what to do."""

from __future__ import annotations


from tlkit.course import environment_check as ec
from tlkit.course.manifest import module_ids
from support import ROOT


def _versions(**overrides):
    """A fake installed set: every needed package at a sensible version, with overrides
    (None = not installed)."""
    base = {name: "1.0" for name, _role in ec.NEEDED}
    base.update(ipywidgets="8.1.9", jupyterlab_widgets="3.0.17", tlkit="0.1.0")
    base.update(overrides)
    return base.get


def test_this_machine_passes_every_check(tmp_path):
    checks = ec.run_checks(root=ROOT, state=tmp_path / "state")
    assert [c.status for c in checks] == [ec.OK] * len(checks), checks
    assert ec.summary(checks).startswith("Everything is in place")
    course = next(c for c in checks if c.name == "The course")
    assert f"{len(module_ids(ROOT))} modules" in course.found


def test_an_old_python_is_a_problem_with_a_fix():
    check = ec.check_python((3, 9, 18))
    assert check.status == ec.PROBLEM
    assert "3.9.18" in check.found and "3.11" in check.fix
    assert ec.check_python((3, 12, 1)).ok


def test_a_missing_package_is_named_with_what_it_does():
    check = ec.check_packages(_versions(nbgrader=None, matplotlib=None))
    assert check.status == ec.PROBLEM
    assert "nbgrader (checks and collects your answers)" in check.found
    assert "matplotlib (the charts)" in check.found
    assert "make start" in check.fix


def test_a_version_other_than_the_pinned_one_is_a_warning(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("pandas==3.1.1\nPyYAML==6.0.3  # comment\n", encoding="utf-8")
    pins = ec.read_pins(lock)
    assert pins == {"pandas": "3.1.1", "pyyaml": "6.0.3"}
    check = ec.check_packages(_versions(pandas="2.0.0", PyYAML="6.0.3"), pins)
    assert check.status == ec.WARNING
    assert "pandas 2.0.0 (the course was tested with 3.1.1)" in check.found
    assert "PyYAML" not in check.found
    assert ec.read_pins(tmp_path / "missing.lock") == {}


def test_widgets_that_do_not_match_explain_model_not_found():
    check = ec.check_widgets(_versions(jupyterlab_widgets="1.1.7"))
    assert check.status == ec.PROBLEM
    assert "model not found" in check.found and "make start" in check.fix
    assert ec.check_widgets(_versions()).ok
    absent = ec.check_widgets(_versions(ipywidgets=None))
    assert absent.status == ec.PROBLEM and "ipywidgets is not installed" in absent.found


def test_the_kit_missing_is_a_problem():
    check = ec.check_kit(_versions(tlkit=None))
    assert check.status == ec.PROBLEM and "tlkit" in check.found


def test_a_folder_that_cannot_be_written_is_a_problem_that_says_work_is_kept(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    check = ec.check_saving(blocker / "state")   # a folder cannot be made inside a file
    assert check.status == ec.PROBLEM
    assert "TLKIT_STATE_DIR" in check.fix and "still saved" in check.fix
    assert ec.check_saving(tmp_path / "fine").ok
    assert list((tmp_path / "fine").iterdir()) == []   # the probe file is removed


def test_no_course_folder_is_a_warning_not_a_failure(tmp_path):
    check = ec.check_course(tmp_path)
    assert check.status == ec.WARNING
    assert "notebooks still work" in check.fix


def test_the_summary_counts_problems_and_warnings():
    checks = [ec.Check("a", ec.PROBLEM, ""), ec.Check("b", ec.PROBLEM, ""),
              ec.Check("c", ec.WARNING, ""), ec.Check("d", ec.OK, "")]
    assert ec.summary(checks) == ("2 problems need fixing and 1 thing is worth a look. "
                                  "What to do is below each one.")
    assert ec.summary(checks[2:]) == "1 thing is worth a look. What to do is below each one."
