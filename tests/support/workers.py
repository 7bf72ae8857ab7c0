"""How `make test` shares the tests between its two worker processes (pytest-xdist)."""

from __future__ import annotations

from support import ROOT

# Layers whose tests share one server for the whole folder.
_ONE_GROUP_PER_LAYER = {"live", "hub"}
# Run All of every notebook: independent tests, each sent to whichever worker is free.
_SPREAD = {"tests/notebooks/test_notebooks_run.py"}
# nbgrader tests that grade modules (the session's `graded` fixture, once per module per
# process): grouped by the module they grade, named by a parameter or by the file.
_GRADED_BY_PARAMETER = {"tests/nbgrader/test_module_grading.py",
                        "tests/nbgrader/test_every_release_runs.py"}
_GRADED_BY_FILE = {"tests/nbgrader/test_protocols_module.py": "protocols",
                   "tests/nbgrader/test_adult_learning_module.py": "adult-learning"}


def worker_group(nodeid: str) -> str:
    """The unit of work a test goes to a worker in (`make test` runs two, pytest-xdist).

    Tests that share a costly fixture stay on one worker, so it is made once there: a module
    graded by nbgrader, a file's Voila, browser or course, a layer's database or hub. A test
    whose group is its own id goes to whichever worker is free."""
    path, _, rest = nodeid.partition("::")
    if path in _GRADED_BY_FILE:
        return f"graded-{_GRADED_BY_FILE[path]}"
    if path in _GRADED_BY_PARAMETER and "[" in rest:
        from tlkit.course.manifest import module_ids

        params = rest[rest.index("[") + 1:]
        module = max((m for m in module_ids(ROOT) if params.startswith(m)), key=len, default="")
        return f"graded-{module}" if module else path
    if path in _SPREAD:
        return nodeid
    parts = path.split("/")
    if len(parts) > 2 and parts[1] in _ONE_GROUP_PER_LAYER:
        return parts[1]
    return path


# Layers by how long their groups run, slowest first (read from `--durations`): a slow group
# handed out last would leave one worker idle while the other finishes it.
SLOW_FIRST = ("servers", "sandbox", "browser", "hub", "course", "nbgrader", "live", "notebooks")


def slow_first(nodeid: str) -> int:
    parts = nodeid.split("/")
    layer = parts[1] if len(parts) > 2 and parts[0] == "tests" else ""
    return SLOW_FIRST.index(layer) if layer in SLOW_FIRST else len(SLOW_FIRST)
