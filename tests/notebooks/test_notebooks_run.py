"""Every notebook in modules/ and facilitator/ runs top to bottom on a fresh kernel.

Each notebook is executed by nbclient (what Run All and nbval come down to) on a kernel of
this environment's Python, started in the notebook's folder as Jupyter and Voila do, with its
own TLKIT_STATE_DIR so widgets start from nothing. A failing cell fails the test with the
cell's source and traceback. The notebooks are committed without outputs, so there is nothing
stored to compare: what a notebook must produce is asserted inside it (nbgrader test cells)
or in the other layers.
"""

from __future__ import annotations

import pytest

from tlkit.course.module import list_modules, module_path
from support import ROOT
from support.notebooks import run_notebook

# The modules are the manifest's (modules/course.yaml), in course order; then every guide.
NOTEBOOKS = [module_path(name, ROOT) for name in list_modules(ROOT)] + sorted(
    nb for nb in (ROOT / "facilitator").rglob("*.ipynb") if ".ipynb_checkpoints" not in nb.parts
)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_runs_top_to_bottom(notebook, tmp_path):
    nb = run_notebook(notebook, env={"TLKIT_STATE_DIR": str(tmp_path / "state")})
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code), f"{notebook} stopped before its end"
