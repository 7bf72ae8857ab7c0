"""Seconds per submission to autograde a cohort, with `tlkit course autograde`'s machinery.

For cohorts of synthetic learners (copies of the module's solution with written answers
filled in), serial (1 worker) and with 2 workers, next to the floor measured in the same run:
nbgrader's own autograde, unsandboxed, of a trivial one-cell notebook for the same number of
learners, serially. Grading runs each notebook in a sandbox (tlkit.ops.sandbox); the serial
run is repeated without one (--unsandboxed) to show what the sandbox costs. Printed as seconds
per submission and as ratios.

    .venv/bin/python benchmarks/autograde.py [--sizes 15 100] [--modules protocols ...]

Every module in the course's manifest by default (about two minutes per module for 15
learners on two cores; 100 learners take about seven times longer).

Targets: <= 1.3x the floor per submission (serial); >= 1.8x faster with 2 workers than 1;
the sandbox <= 1.15x the same grading without it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def _course(base: Path, modules: list[str]) -> Path:
    course = base / "course"
    (course / "facilitator").mkdir(parents=True)
    for module in modules:
        shutil.copytree(ROOT / "modules" / module, course / "modules" / module)
    shutil.copy(ROOT / "modules" / "course.yaml", course / "modules" / "course.yaml")
    shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    trivial = course / "modules" / "trivial"
    trivial.mkdir()
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3",
                                            "display_name": "Python 3", "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell(
        "import pandas as pd\nassert len(pd.DataFrame({'a': [1, 2]})) == 2",
        metadata={"nbgrader": {"grade": True, "solution": False, "locked": True, "points": 1,
                               "grade_id": "t", "schema_version": 3}})]
    nbformat.write(nb, trivial / "trivial.ipynb")
    return course


def _submit(build: Path, module: str, nb, students: list[str]) -> None:
    for s in students:
        folder = build / "submitted" / s / module
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{module}.ipynb")


def _solution(course: Path, module: str):
    """The module's solution as a learner would hand it in: written answers filled in."""
    nb = nbformat.read(course / "modules" / module / f"{module}.ipynb", 4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and meta.get("solution") and cell.cell_type == "markdown":
            cell.source = "A sample answer."
    return nb


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[15, 100])
    parser.add_argument("--modules", nargs="+", default=None,
                        help="module ids (default: every module in modules/course.yaml)")
    args = parser.parse_args()
    # The kernels' start-up notes (printed by nbgrader's own runs, the floor) would bury the table.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    base = Path(tempfile.mkdtemp(prefix="tlkit-bench-"))
    os.environ["TLKIT_BUILD"] = str(base / "build")
    from tlkit.course.manifest import module_ids

    modules = args.modules or module_ids(ROOT)
    course = _course(base, modules)
    os.environ["TLKIT_COURSE_ROOT"] = str(course)
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    from nbgrader.api import Gradebook

    from tlkit.ops.grading import autograde_module
    from tlkit.ops.nbgrader_api import course_api
    from tlkit.ops.release import generate_release

    build = base / "build"
    api = course_api(course)
    # The floor is nbgrader's own grading as it comes, without the sandbox the course's config
    # asks for.
    from tlkit.ops.nbgrader_api import CourseAPI
    from tlkit.ops.sandbox import unsandboxed_steps

    floor_api = CourseAPI(course, {"Autograde.autograde_preprocessors": unsandboxed_steps(
        list(api.config.Autograde.autograde_preprocessors))})
    for m in [*modules, "trivial"]:
        generate_release(course, m)
    trivial = nbformat.read(build / "release" / "trivial" / "trivial.ipynb", 4)
    print(f"{'module':>18} {'learners':>8} {'floor s/sub':>11} {'serial s/sub':>12} "
          f"{'2 workers s/sub':>15} {'serial/floor':>12} {'speed-up 2w':>11} "
          f"{'no sandbox s/sub':>16} {'sandbox cost':>12}", flush=True)
    for size in args.sizes:
        students = [f"l{size}-{n:03d}" for n in range(size)]
        with Gradebook(api.db_url, "tlkit") as gb:
            for s in students:
                gb.update_or_create_student(s)
        _submit(build, "trivial", trivial, students)
        t = time.perf_counter()
        for s in students:  # nbgrader alone, one learner per call, serially: the floor
            floor_api.autograde("trivial", s)
        floor = (time.perf_counter() - t) / size
        for module in modules:
            _submit(build, module, _solution(course, module), students)
            # Serial runs with and without the sandbox alternate, twice, and the faster of each
            # pair counts: a busy machine then weighs on both alike.
            runs = {True: [], False: []}
            for sandbox in (True, False, True, False):
                runs[sandbox].append(autograde_module(course, module, jobs=1, students=students,
                                                      progress=None, sandbox=sandbox))
            two = autograde_module(course, module, jobs=2, students=students, progress=None)
            assert all(run.count("graded") == size for run in [*runs[True], *runs[False], two])
            s1 = min(run.seconds for run in runs[True]) / size
            s0 = min(run.seconds for run in runs[False]) / size
            s2 = two.seconds / size
            print(f"{module:>18} {size:>8} {floor:>11.2f} {s1:>12.2f} {s2:>15.2f} "
                  f"{s1 / floor:>11.2f}x {s1 / s2:>10.2f}x {s0:>16.2f} {s1 / s0:>11.2f}x",
                  flush=True)
    shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
