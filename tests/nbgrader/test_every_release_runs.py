"""Run All on every module's fresh learner copy reaches the last cell with no error: a teacher
who opens the released notebook and runs it before typing anything never meets a traceback.
(protocols and adult-learning have their own, fuller versions of this test.)"""

from __future__ import annotations

import pytest
from test_protocols_module import _run

from tlkit.course.manifest import module_ids

COVERED_ELSEWHERE = {"protocols", "adult-learning"}


@pytest.mark.parametrize("module", [m for m in module_ids() if m not in COVERED_ELSEWHERE])
def test_run_all_on_a_fresh_learner_copy_reaches_the_end(module, graded, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    nb = _run(graded(module).release)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, f"{module} has no code cells"
    assert all(c.execution_count for c in code), f"Run All stopped early in {module}"
    errors = [(c.source[:80], out.get("ename"), out.get("evalue"))
              for c in code for out in c.outputs if out.output_type == "error"]
    assert not errors, f"{module}: {errors}"
