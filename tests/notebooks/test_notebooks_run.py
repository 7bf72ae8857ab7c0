"""Every notebook in modules/ and facilitator/ runs top to bottom on a fresh kernel.

Each notebook goes through nbval (`pytest --nbval-lax`) in its own pytest subprocess:
nbval starts a fresh kernel, runs every cell in order and reports the first failing cell
with its traceback, which is what an author needs to fix it. `--nbval-lax` because the
notebooks are committed without outputs, so there is nothing stored to compare; what a
notebook must produce is asserted inside it (nbgrader test cells) or in the other layers.
The subprocess runs in the notebook's folder, as Jupyter and Voila do, with its own
TLKIT_STATE_DIR so widgets start from nothing and never touch a user's saved state.
`--nbval-current-env` pins the kernel to this environment's Python, whatever `python` is
first on PATH.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tlkit.course.module import list_modules, module_path

ROOT = Path(__file__).resolve().parents[2]
# The modules are the manifest's (modules/course.yaml), in course order; then every guide.
NOTEBOOKS = [module_path(name, ROOT) for name in list_modules(ROOT)] + sorted(
    nb for nb in (ROOT / "facilitator").rglob("*.ipynb") if ".ipynb_checkpoints" not in nb.parts
)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_runs_top_to_bottom(notebook, tmp_path):
    env = dict(os.environ, TLKIT_STATE_DIR=str(tmp_path / "state"))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env",
         "--nbval-cell-timeout=120", "-p", "no:cacheprovider", "-q", notebook.name],
        cwd=notebook.parent, env=env, capture_output=True, text=True, timeout=900,
    )
    report = (run.stdout + run.stderr)[-6000:]
    assert run.returncode == 0, f"{notebook.relative_to(ROOT)} failed on a fresh kernel:\n{report}"
    assert " passed" in run.stdout, report
