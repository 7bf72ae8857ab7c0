"""A module made by `tlkit new-module` passes every test layer untouched.

In a throwaway copy of the course (modules/, facilitator/, nbgrader_config.py and the tests),
the command makes a module; then the copy's own tests run on it: the notebooks top to bottom on
a fresh kernel, nbgrader generate_assignment and autograde (solution full marks, released copy
zero, the template's wrong answer zero with its message), and the notebooks' import rules.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from nbgrader_run import ROOT

from tlkit import cli

SLUG = "trial-module"


def test_a_new_module_passes_every_layer(tmp_path, monkeypatch):
    course = tmp_path / "course"
    course.mkdir()
    for folder in ("modules", "facilitator"):
        shutil.copytree(ROOT / folder, course / folder)
    for name in ("nbgrader_config.py", "pyproject.toml"):
        shutil.copy(ROOT / name, course / name)
    tests = course / "tests"
    shutil.copytree(ROOT / "tests" / "nbgrader", tests / "nbgrader",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tests" / "notebooks", tests / "notebooks",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (tests / "unit").mkdir()
    shutil.copy(ROOT / "tests" / "unit" / "test_rooms.py", tests / "unit" / "test_rooms.py")
    shutil.copy(ROOT / "tests" / "conftest.py", tests / "conftest.py")
    shutil.copytree(ROOT / "tests" / "support", tests / "support",
                    ignore=shutil.ignore_patterns("__pycache__"))

    monkeypatch.setenv("TLKIT_COURSE_ROOT", str(course))
    assert cli.main(["new-module", SLUG, "A trial module", "--minutes", "60"]) == 0
    # It ends, as every module does, with the panel a learner hands it in from.
    made = (course / "modules" / SLUG / f"{SLUG}.ipynb").read_text(encoding="utf-8")
    assert "HandInPanel()" in made

    env = {k: v for k, v in os.environ.items()
           if k not in ("TLKIT_COURSE_ROOT", "TLKIT_BUILD", "NBGRADER_EXECUTION")}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", SLUG,
         "tests/notebooks", "tests/nbgrader/test_module_grading.py", "tests/unit/test_rooms.py"],
        cwd=course, env=env, capture_output=True, text=True, timeout=900)
    report = (run.stdout + run.stderr)[-6000:]
    assert run.returncode == 0, report
    # notebooks: clean x2 and run x2; grading: 6 for the module; rooms: imports x2
    passed = int(run.stdout.rsplit(" passed", 1)[0].split()[-1])
    assert passed >= 12 and " failed" not in run.stdout, report
