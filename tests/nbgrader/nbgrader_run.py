"""Running nbgrader's own command line against a course root, with the build folder in tmp."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml
from support import ROOT

WRONG_ANSWERS = Path(__file__).with_name("wrong_answers.yaml")


def nbgrader(*args: str, root: Path, build: Path | None,
             check: bool = True) -> subprocess.CompletedProcess:
    """`python -m nbgrader ARGS` from the course root, as an author would type it.

    TLKIT_BUILD keeps the gradebook and generated folders out of the repository (build=None:
    the configuration's default, <root>/build). The venv's scripts folder goes on PATH
    because nbgrader shells out to `alembic`.
    """
    env = {k: v for k, v in os.environ.items() if k != "TLKIT_BUILD"}
    if build is not None:
        env["TLKIT_BUILD"] = str(build)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)
    if check and done.returncode != 0:
        raise AssertionError(f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def cells_by_grade_id(nb) -> dict:
    return {nbgrader_meta(c)["grade_id"]: c for c in nb.cells if nbgrader_meta(c).get("grade_id")}


def is_autograded_test(cell) -> bool:
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"


def is_hand_graded(cell) -> bool:
    """A part a facilitator grades: a reflection's task cell (or a written answer cell)."""
    meta = nbgrader_meta(cell)
    return bool(meta.get("task")) or (bool(meta.get("grade")) and bool(meta.get("solution")))


def form_keys(nb) -> dict[str, dict]:
    """{activity id: key} of each form activity's grade cell (its hidden `score_form` call)."""
    from tlkit.ops.form_scores import score_call

    found = {}
    for cell in nb.cells:
        if is_autograded_test(cell) and (call := score_call(cell.source)):
            found[call[0]] = call[1]
    return found


def form_cell(nb, activity_id: str):
    """The grade cell that shows and scores `activity_id`'s form."""
    from tlkit.ops.form_scores import score_call

    for cell in nb.cells:
        if is_autograded_test(cell) and (score_call(cell.source) or ("",))[0] == activity_id:
            return cell
    raise AssertionError(f"No grade cell scores the form {activity_id!r}")


def reflection_ids(nb) -> list[str]:
    from tlkit.ops.form_scores import reflection_call

    return [r for c in nb.cells if c.cell_type == "code" and (r := reflection_call(c.source))]


def answers_file(activities: dict[str, dict], reflections: dict[str, str]) -> str:
    """What the forms write in my-answers.json for these values."""
    from tlkit.course.answers import Answers

    return Answers({a: {k: str(v) for k, v in values.items()} for a, values in activities.items()},
                   dict(reflections)).as_json()


def source_notebook(module: str, root: Path = ROOT) -> Path:
    return root / "modules" / module / f"{module}.ipynb"


def wrong_answers(module: str) -> dict:
    """The module's plausible wrong answers: {activity id: {"values": ..., "message": ...}}.

    They live in tests/nbgrader/wrong_answers.yaml, not in the notebook, so nothing that hints
    at an answer ships in the learner's release."""
    return yaml.safe_load(WRONG_ANSWERS.read_text(encoding="utf-8")).get(module) or {}


def read_nb(path: Path):
    return nbformat.read(path, as_version=4)


def write_demo_course(root: Path, *, intro: str = "Welcome to the demo module.") -> Path:
    """A one-module course with every kind of cell the kit relies on, for testing the set-up.

    The course gets its own copy of nbgrader_config.py, which treats its own folder as the
    course root, so this exercises the real configuration without touching the repository.
    """
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    def graded(**flags):
        return {"nbgrader": {"schema_version": 3, "grade": False, "solution": False,
                             "locked": False, **flags}}

    nb = new_notebook(metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "tlkit": {"module": "demo", "objectives": ["Try"]},
    })
    nb.cells = [
        new_markdown_cell(f"# Part one\n\n{intro}",
                          metadata={"tlkit": {"section": "Part one", "self_study_minutes": 5,
                                              "live_minutes": 10}}),
        new_markdown_cell("FACILITATOR-ONLY: pair people from different schools.",
                          metadata={"tags": ["facilitator"]}),
        new_code_cell("### BEGIN SOLUTION\nminutes_left = 45 - 30\n### END SOLUTION",
                      metadata=graded(solution=True, grade_id="answer-minutes")),
        new_code_cell('assert minutes_left == 15, "Subtract the minutes used from the slot"\n'
                      "### BEGIN HIDDEN TESTS\nassert minutes_left * 3 == 45\n"
                      "### END HIDDEN TESTS",
                      metadata=graded(grade=True, locked=True, points=1, grade_id="check-minutes")),
    ]
    module = root / "modules" / "demo"
    module.mkdir(parents=True, exist_ok=True)
    (root / "facilitator").mkdir(exist_ok=True)
    nbformat.write(nb, module / "demo.ipynb")
    # The manifest is what makes modules/demo/ a module (tlkit.course.manifest).
    (root / "modules" / "course.yaml").write_text(
        "modules:\n  - id: demo\n    title: Demo\n    session_minutes: 10\n", encoding="utf-8")
    (module / "slots.csv").write_text("slot,minutes\nopening,10\n", encoding="utf-8")
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    return root
