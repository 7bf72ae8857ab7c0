"""Running a notebook top to bottom on a fresh kernel, inside the test process.

nbclient is what JupyterLab's Run All and nbval both come down to; calling it here saves a
pytest subprocess per notebook. The kernel is this environment's Python (the kernelspec the
venv installs), started in the notebook's folder as Jupyter and Voila do.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


class NotebookFailed(AssertionError):
    """A cell raised: the message names the notebook, the cell and the error, as nbval did."""


def run_notebook(path: Path, *, allow_errors: bool = False, timeout: int = 120,
                 env: dict[str, str] | None = None):
    """The notebook at `path`, executed on a fresh kernel; raises NotebookFailed on an error
    unless `allow_errors` (then errors stay in the cells' outputs, as Run All leaves them)."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
                            resources={"metadata": {"path": str(path.parent)}})
    saved = dict(os.environ)
    os.environ.update(env or {})          # the kernel process inherits the environment
    try:
        client.execute()
    except CellExecutionError as error:
        raise NotebookFailed(f"{path} failed on a fresh kernel:\n{error}") from None
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return nb
